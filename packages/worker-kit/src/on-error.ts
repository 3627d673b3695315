import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ZodError } from "zod";
import { AppError } from "./app-error";
import { errorFields, log } from "./log";
import { problemOf, problemResponse, validationError } from "./problem";

const CODE_BY_STATUS: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "unprocessable_content",
  429: "too_many_requests",
  502: "bad_gateway",
  503: "service_unavailable",
  504: "gateway_timeout",
};

function requestIdOf(c: Context): string {
  return (c.get("requestId" as never) as string | undefined) ?? "unknown";
}

/** Any thrown value as an AppError: known errors keep their status, the rest become a generic 500. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) return validationError(error);
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    return new AppError(status, CODE_BY_STATUS[status] ?? "error", error.message || "Request failed");
  }
  return new AppError(500, "internal_error", "Something went wrong on our side");
}

/** The one `onError`: renders problem+json with the request id and logs only server errors, with their stack. */
export function onError(service: string): ErrorHandler {
  return function handleError(error, c) {
    const appError = toAppError(error);
    const requestId = requestIdOf(c);
    if (appError.status >= 500) {
      log("error", "unhandled error", {
        service,
        requestId,
        method: c.req.method,
        path: c.req.path,
        ...errorFields(appError === error && appError.cause !== undefined ? appError.cause : error),
      });
    }
    return problemResponse(problemOf(appError, requestId), appError.extraHeaders);
  };
}

/** Unknown routes are a 404 problem like every other error. */
export function notFound(): NotFoundHandler {
  return function handleNotFound(c) {
    const error = new AppError(404, "not_found", `No route for ${c.req.method} ${c.req.path}`);
    return problemResponse(problemOf(error, requestIdOf(c)));
  };
}
