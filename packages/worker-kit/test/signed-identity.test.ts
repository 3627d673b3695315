import { describe, expect, it } from "vitest";
import { requireUser } from "../src/identity";
import { createServiceApp } from "../src/service-app";
import { SIGNED_IDENTITY_TTL_SECONDS, signIdentity, verifyIdentity } from "../src/signed-identity";

const SECRET = "identity-secret-of-this-test";
const alice = { userId: "user-alice", role: "user" as const };

describe("signIdentity / verifyIdentity", () => {
  it("round-trips the identity for the request it was signed for", async () => {
    const signed = await signIdentity(SECRET, alice, "req-1");
    expect(await verifyIdentity(SECRET, signed, "req-1")).toEqual(alice);
  });

  it("refuses another secret, another request, a tampered claim and a tampered MAC", async () => {
    const signed = await signIdentity(SECRET, alice, "req-1");
    const [claims = "", mac = ""] = signed.split(".");
    const asAdmin = btoa(JSON.stringify({ ...JSON.parse(atob(claims)), role: "admin" })).replace(/=+$/, "");
    expect(await verifyIdentity("another-secret", signed, "req-1")).toBeNull();
    expect(await verifyIdentity(SECRET, signed, "req-2")).toBeNull();
    expect(await verifyIdentity(SECRET, `${asAdmin}.${mac}`, "req-1")).toBeNull();
    expect(await verifyIdentity(SECRET, `${claims}.${mac.slice(0, -2)}AA`, "req-1")).toBeNull();
  });

  it("refuses an expired signature and malformed values", async () => {
    const signedAt = Date.now() - (SIGNED_IDENTITY_TTL_SECONDS + 2) * 1000;
    expect(await verifyIdentity(SECRET, await signIdentity(SECRET, alice, "r", signedAt), "r")).toBeNull();
    for (const value of ["", ".", "a.b.c", "not base64!.x", "e30.AAAA"]) {
      expect(await verifyIdentity(SECRET, value, "r"), value).toBeNull();
    }
  });
});

describe("a service's identity middleware", () => {
  const app = createServiceApp<{ IDENTITY_SECRET: string }>("test");
  app.get("/api/me", (c) => c.json(requireUser(c)));
  const env = { IDENTITY_SECRET: SECRET };
  const get = (headers: Record<string, string>) => app.request("/api/me", { headers }, env);

  it("trusts only an identity the gateway signed for this request", async () => {
    const signed = await signIdentity(SECRET, alice, "req-ok");
    const response = await get({ "x-request-id": "req-ok", "x-identity": signed });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(alice);
  });

  it("answers 401 to a forged, replayed or unsigned-but-claimed identity", async () => {
    const forged = await signIdentity("guessed", { userId: "x", role: "admin" }, "req-f");
    const replayed = await signIdentity(SECRET, alice, "req-old");
    for (const headers of [
      { "x-request-id": "req-f", "x-identity": forged },
      { "x-request-id": "req-new", "x-identity": replayed },
      { "x-request-id": "req-g", "x-identity": "garbage" },
    ]) {
      const response = await get(headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: "invalid_identity" });
    }
  });

  it("treats the old unsigned headers as nobody", async () => {
    const response = await get({ "x-user-id": "admin-1", "x-user-role": "admin" });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: "unauthorized" });
  });

  it("refuses every identity when the secret is not configured", async () => {
    const signed = await signIdentity(SECRET, alice, "req-n");
    const response = await app.request(
      "/api/me",
      { headers: { "x-request-id": "req-n", "x-identity": signed } },
      {
        IDENTITY_SECRET: "",
      },
    );
    expect(response.status).toBe(401);
  });
});
