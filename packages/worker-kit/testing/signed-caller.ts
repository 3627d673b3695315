// How a worker's tests call it as the gateway does: with a request id and the caller signed for that request.

import { env } from "cloudflare:workers";
import type { Identity } from "@edge-shop/contracts";
import { signIdentity } from "../src/signed-identity";

/**
 * `init`'s headers plus, when there is a caller, `x-request-id` (kept if set) and the `x-identity` the gateway
 * would sign for it with the test `IDENTITY_SECRET` (vitest.shared.ts). Sign per request: it expires in a minute.
 */
export async function forwardedAs(caller: Identity | undefined, init?: HeadersInit): Promise<Headers> {
  const headers = new Headers(init);
  if (!caller) return headers;
  const requestId = headers.get("x-request-id") ?? crypto.randomUUID();
  const { IDENTITY_SECRET } = env as unknown as { IDENTITY_SECRET: string };
  headers.set("x-request-id", requestId);
  headers.set("x-identity", await signIdentity(IDENTITY_SECRET, caller, requestId));
  return headers;
}
