import type { ProductListQuery } from "@edge-shop/contracts";
import type { FtsQuery } from "../search/fts-query";

// KV keys hold at most 512 bytes: a short query is its own key (a UTF-16 unit is at most 3 UTF-8 bytes), which
// spares a SHA-256 per request; a longer one is hashed. A hash is hex, never starts with "[".
const MAX_PLAIN_KEY = 160;

/** SHA-256 hex of a string: list keys hash their query so any search text fits KV's 512-byte key limit. */
async function digest(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/**
 * The cache key of a public list or search, built from the parsed query (defaults applied, search normalised), so
 * equivalent URLs share it.
 */
export async function listCacheKey(query: ProductListQuery, fts: FtsQuery): Promise<string> {
  const canonical = JSON.stringify([
    query.page,
    query.limit,
    query.category ?? null,
    query.minPrice ?? null,
    query.maxPrice ?? null,
    fts.kind === "match" ? fts.expression : fts.kind,
    query.sortBy ?? null,
    query.sortOrder,
    query.cursor ?? null,
  ]);
  return `list:${canonical.length <= MAX_PLAIN_KEY ? canonical : await digest(canonical)}`;
}
