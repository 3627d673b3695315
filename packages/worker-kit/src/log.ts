import { currentContext } from "./context";
import { redact } from "./redact";

type Level = "info" | "warn" | "error";

/** The ids of the work in progress (service, request, correlation, event, user) that every line carries. */
function contextFields(): Record<string, unknown> {
  const { service, requestId, correlationId, eventId, userId } = currentContext();
  return { service, requestId, correlationId, eventId, userId };
}

/**
 * Writes one JSON line: Workers Logs indexes the fields, so every line is a record, not prose. The line carries
 * the ids of the current request or event, and is redacted: secret fields (passwords, tokens, keys) are dropped,
 * emails masked (`a***@example.com`), card tokens and JWTs removed.
 */
export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  write(level, redact({ level, msg, time: new Date().toISOString(), ...contextFields(), ...fields }));
}

/**
 * `log` without the redaction walk, for lines whose every field the code itself sets to an id, a route
 * template, a method, a status or a number, never to user text: the request log line, written by every worker
 * for every request, where the walk cost more than the line's own write.
 */
export function logPlain(level: Level, msg: string, fields: Record<string, unknown>): void {
  write(level, { level, msg, time: new Date().toISOString(), ...contextFields(), ...fields });
}

function write(level: Level, record: unknown): void {
  const line = JSON.stringify(record);
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/** The fields of an error worth logging: its message and stack, never sent to clients. */
export function errorFields(error: unknown): Record<string, unknown> {
  return error instanceof Error
    ? { error: error.message, errorName: error.name, stack: error.stack }
    : { error: String(error) };
}
