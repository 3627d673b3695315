// The state every contract scenario shares: the document's checker, two users and the admin's token.
import { expect } from "vitest";
import { ADMIN, type ApiInit, api } from "../client";
import { type Checked, Contract, type OpenApiDocument } from "./openapi-validate";

export interface Auth {
  token: string;
  refreshToken: string;
  user: { id: string };
}

interface Session {
  contract: Contract;
  buyer: Auth;
  other: Auth;
  admin: string;
}

/** Filled by `startSession()` in the test file's beforeAll. */
export const session = {} as Session;

/** One request through the gateway, checked against the document. */
export async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  init: ApiInit = {},
): Promise<Checked<T>> {
  return session.contract.check<T>(method, path, await api(path, { ...init, method }));
}

/** A checked call that must answer `status`. */
export async function expectCall<T = Record<string, unknown>>(
  status: number,
  method: string,
  path: string,
  init: ApiInit = {},
): Promise<T> {
  const result = await call<T>(method, path, init);
  if (result.status !== status) {
    throw new Error(
      `${method} ${path}: expected ${status}, got ${result.status}: ${JSON.stringify(result.body)}`,
    );
  }
  return result.body;
}

export const password = "correct-horse-battery";

/** Registers a fresh user through a checked call. */
export const register = () =>
  expectCall<Auth>(201, "POST", "/api/users/register", {
    json: { email: `contract-${crypto.randomUUID()}@example.com`, password, firstName: "Ada", lastName: "L" },
  });

/** A fresh Idempotency-Key header. */
export const key = () => ({ "idempotency-key": crypto.randomUUID() });

/** Fetches the live document and signs in the session's users. */
export async function startSession(): Promise<void> {
  const response = await api("/openapi.json");
  expect(response.status).toBe(200);
  session.contract = new Contract((await response.json()) as OpenApiDocument);
  [session.buyer, session.other] = await Promise.all([register(), register()]);
  const login = await expectCall<{ token: string }>(200, "POST", "/api/users/login", { json: ADMIN });
  session.admin = login.token;
}
