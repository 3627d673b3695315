import { exports } from "cloudflare:workers";
import type { AuthResponse, Role } from "@edge-shop/contracts";

export const PASSWORD = "correct-horse-battery";

/** An email no other test uses (storage is shared by the tests of a file). */
export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${crypto.randomUUID()}@example.com`;
}

/** The headers the gateway sets after verifying a token. */
export function as(userId: string, role: Role = "user"): Record<string, string> {
  return { "x-user-id": userId, "x-user-role": role };
}

/** A request to the users service as the gateway forwards it (full public path). */
export function call(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  return exports.default.fetch(`http://users${path}`, {
    method,
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
  });
}

/** Registers a fresh account and returns the 201 body with its credentials. */
export async function registerUser(
  overrides: Record<string, unknown> = {},
): Promise<AuthResponse & { email: string; password: string }> {
  const email = uniqueEmail();
  const body = { email, password: PASSWORD, firstName: "Ada", lastName: "Lovelace", ...overrides };
  const response = await call("POST", "/api/users/register", { body });
  if (response.status !== 201) throw new Error(`register: ${response.status} ${await response.text()}`);
  return {
    ...((await response.json()) as AuthResponse),
    email: String(body.email),
    password: String(body.password),
  };
}

export function login(email: string, password: string): Promise<Response> {
  return call("POST", "/api/users/login", { body: { email, password } });
}

/** Every string of a JSON value, to check that no password material leaks. */
export function serialized(value: unknown): string {
  return JSON.stringify(value);
}
