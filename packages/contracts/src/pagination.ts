import { z } from "@hono/zod-openapi";

export const MAX_PAGE_SIZE = 100;

/** `page` and `limit` query parameters: positive integers, `limit` at most 100. */
export const PageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(10),
});
export type PageQuery = z.infer<typeof PageQuerySchema>;

export const PaginationSchema = z
  .object({
    page: z.number().int(),
    limit: z.number().int(),
    total: z.number().int(),
    pages: z.number().int(),
  })
  .openapi("Pagination");
export type Pagination = z.infer<typeof PaginationSchema>;

/** The `pagination` object of a list response. */
export function pagination(query: PageQuery, total: number): Pagination {
  return { page: query.page, limit: query.limit, total, pages: Math.ceil(total / query.limit) };
}
