import { CLIENT_IP } from "../lib/stack.ts";

// What the bench's requests share: the client address they come from, the page size and price ceiling of their
// list queries, the address their orders ship to, and how their checks read a JSON body.

/** A JSON object as a check reads it. */
export type Json = Record<string, unknown>;

export const isObject = (body: unknown): body is Json => typeof body === "object" && body !== null;

/** `body[key]` when `body` is an object, else undefined. */
export const field = (body: unknown, key: string): unknown => (isObject(body) ? body[key] : undefined);

/** Products per page in the bench's list queries. */
export const PAGE = 20;

// Prices in the catalog are far below this: a maxPrice just under it changes the cache key, not the result.
export const PRICE_CEILING = 999_999_999;

/** The headers of a request without a token, from the bench's client address. */
export const publicHeaders = { "cf-connecting-ip": CLIENT_IP };

/** Where the bench's orders ship to. */
export const BENCH_ADDRESS = { line1: "1 Bench St", city: "Springfield", postalCode: "12345", country: "US" };
