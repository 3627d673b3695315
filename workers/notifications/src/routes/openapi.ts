import { PROBLEM_CONTENT_TYPE, ProblemSchema } from "@edge-shop/contracts";

/** An OpenAPI response entry for a problem+json error. */
export function problem(description: string) {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } };
}

/** An OpenAPI JSON request body, required (a missing body is a 400, not an empty object). */
export function jsonBody<T>(schema: T) {
  return { required: true, content: { "application/json": { schema } } };
}

/** An OpenAPI JSON response entry. */
export function json<T>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}
