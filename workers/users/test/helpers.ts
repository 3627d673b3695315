import { exports } from "cloudflare:workers";
import type { AuthResponse, Identity, Role } from "@edge-shop/contracts";
import { forwardedAs } from "../../../packages/worker-kit/testing/signed-caller";

export const PASSWORD = "correct-horse-battery";

/** An email no other test uses (storage is shared by the tests of a file). */
export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${crypto.randomUUID()}@example.com`;
}

/** A caller as the gateway verified it. */
export function caller(userId: string, role: Role = "user"): Identity {
  return { userId, role };
}

/** A request to the users service as the gateway forwards it (full public path), signed for `as`. */
export async function call(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; as?: Identity } = {},
): Promise<Response> {
  const headers = await forwardedAs(options.as, options.headers);
  if (options.body !== undefined) headers.set("content-type", "application/json");
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
