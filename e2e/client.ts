import { inject } from "vitest";

export const ADMIN = { email: "admin@example.com", password: "admin-password-1" };

let ipCounter = 0;

/** A client address of its own, so per-IP rate limits never couple unrelated tests. */
export function freshIp(): string {
  ipCounter++;
  return `198.51.100.${ipCounter % 250}`.concat(`-${process.pid}-${ipCounter}`);
}

export interface ApiInit extends Omit<RequestInit, "body"> {
  /** Serialised as JSON with the right content type. */
  json?: unknown;
  body?: RequestInit["body"];
  token?: string;
  ip?: string;
}

/** A request through the gateway, as any client would send it. */
export function api(path: string, init: ApiInit = {}): Promise<Response> {
  const { json, token, ip, ...rest } = init;
  const headers = new Headers(rest.headers);
  headers.set("cf-connecting-ip", ip ?? freshIp());
  if (token) headers.set("authorization", `Bearer ${token}`);
  if (json !== undefined) headers.set("content-type", "application/json");
  const body = json !== undefined ? JSON.stringify(json) : rest.body;
  return fetch(`${inject("baseUrl")}${path}`, { ...rest, headers, body: body ?? null });
}

/** The JSON body of a response, failing the test with the body when the status is not the expected one. */
export async function expectJson<T = Record<string, unknown>>(
  response: Response,
  status: number,
): Promise<T> {
  const text = await response.text();
  if (response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Registers a fresh user and returns its tokens and user. */
export async function registerUser(overrides: Record<string, unknown> = {}) {
  const email = `e2e-${crypto.randomUUID()}@example.com`;
  const response = await api("/api/users/register", {
    method: "POST",
    json: { email, password: "correct-horse-battery", firstName: "Ada", lastName: "Lovelace", ...overrides },
  });
  const body = await expectJson<{ token: string; refreshToken: string; user: { id: string; email: string } }>(
    response,
    201,
  );
  return { ...body, email, password: "correct-horse-battery" };
}

/** Logs the seeded admin in and returns its access token. */
export async function adminToken(): Promise<string> {
  const response = await api("/api/users/login", { method: "POST", json: ADMIN });
  return (await expectJson<{ token: string }>(response, 200)).token;
}

/** Polls `check` every `intervalMs` until it returns a value (not undefined) or the time is up. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
