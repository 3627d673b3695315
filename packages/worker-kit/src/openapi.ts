import { PROBLEM_CONTENT_TYPE, ProblemSchema } from "@edge-shop/contracts";
import type { MiddlewareHandler } from "hono";
import { signedIn } from "./identity";

/** Building blocks for `createRoute({ request, responses })`, so every route documents errors the same way. */
export const openApi = {
  /** A response entry for a problem+json error. */
  problem(description: string) {
    return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } };
  },
  /** A JSON response entry. */
  json<T>(schema: T, description: string) {
    return { description, content: { "application/json": { schema } } };
  },
  /** A required JSON request body (a missing body is a 400, not an empty object). */
  jsonBody<T>(schema: T) {
    return { required: true, content: { "application/json": { schema } } };
  },
  /**
   * Who may call a route: documents the bearer token and checks the caller before anything else runs (then
   * `more`, e.g. the idempotency middleware). Spread into `createRoute`: `...openApi.access("admin")`.
   */
  access<M extends MiddlewareHandler[]>(role: "user" | "admin", ...more: M) {
    const middleware: [ReturnType<typeof signedIn>, ...M] = [signedIn(role), ...more];
    return { security: [{ bearerAuth: [] }], middleware };
  },
};
