import type { ProductSortField } from "@edge-shop/contracts";
import { errors } from "@edge-shop/worker-kit";

// A cursor is the position of the last product of a page in its sort order: the sort it belongs to, that product's
// sort key and its `seq` (the tie-break). It carries no filters: the next page is "after this position" under
// whatever filters the request has. base64url of a small JSON array, versioned.

/** A sort order a cursor can follow: a field and a direction (relevance has no cursors). */
export interface CursorSort {
  sortBy: ProductSortField;
  sortOrder: "asc" | "desc";
}

/** A decoded cursor: the sort key (ms since the epoch for createdAt, minor units for price, the name) and `seq`. */
export interface Position {
  key: number | string;
  seq: number;
}

const VERSION = 1;

function sortTag(sort: CursorSort): string {
  return `${sort.sortBy}:${sort.sortOrder}`;
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(
      Uint8Array.from(binary, (c) => c.charCodeAt(0)),
    );
  } catch {
    return undefined;
  }
}

/** The cursor of the page after `position` in `sort`. */
export function encodeCursor(sort: CursorSort, position: Position): string {
  return toBase64Url(JSON.stringify([VERSION, sortTag(sort), position.key, position.seq]));
}

function invalid(message: string): never {
  throw errors.validation([{ path: "cursor", message }]);
}

/** The position a cursor names, checked against the request's sort; a 400 problem for anything else. */
export function decodeCursor(cursor: string, sort: CursorSort): Position {
  const text = fromBase64Url(cursor);
  let value: unknown;
  try {
    value = text === undefined ? undefined : JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value) || value.length !== 4 || value[0] !== VERSION) {
    invalid("Not a cursor: pass `pagination.nextCursor` as it was given");
  }
  const [, tag, key, seq] = value as [unknown, unknown, unknown, unknown];
  if (tag !== sortTag(sort)) invalid("This cursor belongs to another sort: ask again without it");
  const keyType = sort.sortBy === "name" ? "string" : "number";
  if (
    typeof key !== keyType ||
    !Number.isSafeInteger(seq) ||
    (typeof key === "number" && !Number.isSafeInteger(key))
  ) {
    invalid("Not a cursor: pass `pagination.nextCursor` as it was given");
  }
  return { key: key as number | string, seq: seq as number };
}
