import { PROBLEM_CONTENT_TYPE, type Problem } from "@edge-shop/contracts";
import type { ZodError } from "zod";
import { AppError, titleOf } from "./app-error";

/** Renders an RFC 9457 problem+json response. */
export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { ...headers, "content-type": PROBLEM_CONTENT_TYPE },
  });
}

/** Builds the problem body of an AppError. */
export function problemOf(error: AppError, requestId: string): Problem {
  return {
    type: `urn:edge-shop:problem:${error.code}`,
    title: error.title,
    status: error.status,
    detail: error.detail,
    code: error.code,
    requestId,
    ...(error.errors ? { errors: error.errors } : {}),
    ...(error.reason ? { reason: error.reason } : {}),
  };
}

/** Turns a zod error into the `errors: [{ path, message }]` of a 400 problem. */
export function validationError(error: ZodError, where?: string): AppError {
  const fieldErrors = error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].filter(Boolean).join("."),
    message: issue.message,
  }));
  return new AppError(400, "validation_failed", "The request is not valid", {
    errors: fieldErrors,
    title: titleOf("validation_failed"),
  });
}
