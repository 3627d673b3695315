import { AppError } from "@edge-shop/worker-kit";
import { z } from "@hono/zod-openapi";

// A product's ETag is its row version: every change of the row moves it, stock reservations and releases included,
// so `If-Match` on an admin write refuses to overwrite what changed since the admin read it (docs/architecture.md,
// "Stock").

/** The ETag of a product at a version. */
export const etagOf = (version: number) => `"${version}"`;

/** The `ETag` response header, as the product routes document it. */
export const etagHeader = z.object({
  ETag: z.string().openapi({ description: "The product's version, for `If-Match` on PUT and PATCH" }),
});

/** The optional `If-Match` request header of PUT and PATCH. */
export const IfMatchHeaderSchema = z.object({
  "if-match": z
    .string()
    .max(1000)
    .optional()
    .openapi({
      description:
        "The `ETag` of the product as last read. When it is no longer current (an order reserved stock, another " +
        "admin saved) the write is refused with 412 and nothing changes. Without it the body replaces the fields " +
        "as they are when the write commits.",
      example: '"42"',
    }),
});

/** What `If-Match` asks for: any current version (`*`), one of some versions, or nothing (no header). */
export type Precondition = { any: true } | { versions: number[] } | undefined;

/** Parses `If-Match`: `*`, or a list of strong entity tags (a weak or foreign one can never match). */
export function parseIfMatch(header: string | undefined): Precondition {
  if (header === undefined) return undefined;
  if (header.trim() === "*") return { any: true };
  const versions = header
    .split(",")
    .map((tag) => /^"(\d{1,15})"$/.exec(tag.trim())?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number);
  return { versions };
}

/** The 412 of a write whose `If-Match` names no current version, with the current ETag. */
export function preconditionFailed(currentVersion: number): AppError {
  return new AppError(
    412,
    "precondition_failed",
    "The product changed since it was read (If-Match is not its current ETag); read it again",
    { headers: { etag: etagOf(currentVersion) } },
  );
}
