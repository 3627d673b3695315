import { z } from "@hono/zod-openapi";

export const FieldErrorSchema = z.object({ path: z.string(), message: z.string() }).openapi("FieldError");
export type FieldError = z.infer<typeof FieldErrorSchema>;

/** RFC 9457 problem details, with the request id and a stable machine-readable code. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    requestId: z.string(),
    errors: z.array(FieldErrorSchema).optional(),
    reason: z.string().optional().openapi({
      description: "Why, for a refusal with several causes (e.g. `usage_limit` of `invalid_promotion`)",
    }),
  })
  .openapi("Problem");
export type Problem = z.infer<typeof ProblemSchema>;

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
