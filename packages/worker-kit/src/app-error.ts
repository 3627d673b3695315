import type { FieldError } from "@edge-shop/contracts";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

interface AppErrorOptions {
  errors?: FieldError[];
  headers?: Record<string, string>;
  title?: string;
  /** Why a refusal with several causes happened (e.g. `usage_limit` of `invalid_promotion`), as `reason`. */
  reason?: string;
  /** The underlying failure, logged with its stack for server errors, never sent to the client. */
  cause?: unknown;
}

/** The one error type of the shop: a status, a stable `code` and a human `detail`, rendered as problem+json. */
export class AppError extends HTTPException {
  readonly code: string;
  readonly detail: string;
  readonly title: string;
  readonly errors: FieldError[] | undefined;
  readonly reason: string | undefined;
  readonly extraHeaders: Record<string, string>;

  constructor(status: ContentfulStatusCode, code: string, detail: string, options: AppErrorOptions = {}) {
    super(status, { message: detail, cause: options.cause });
    this.code = code;
    this.detail = detail;
    this.title = options.title ?? titleOf(code);
    this.errors = options.errors;
    this.reason = options.reason;
    this.extraHeaders = options.headers ?? {};
  }
}

/** `not_found` → `Not found`. */
export function titleOf(code: string): string {
  const words = code.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Shorthands for the errors every service raises. */
export const errors = {
  notFound: (what: string) => new AppError(404, "not_found", `${what} not found`),
  unauthorized: (detail = "Authentication required") => new AppError(401, "unauthorized", detail),
  forbidden: (detail = "You are not allowed to do this") => new AppError(403, "forbidden", detail),
  conflict: (code: string, detail: string) => new AppError(409, code, detail),
  validation: (errors: FieldError[], detail = "The request is not valid") =>
    new AppError(400, "validation_failed", detail, { errors, title: "Validation failed" }),
};
