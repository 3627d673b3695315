import { describe, expect, it } from "vitest";
import {
  ARGON2_PARAMS,
  constantTimeEqual,
  DUMMY_HASH,
  hashPassword,
  needsRehash,
  parsePhc,
  verifyPassword,
} from "../src/domain/password";

describe("password hashing", () => {
  it("pins the OWASP argon2id parameters (m=7 MiB, t=5, p=1)", () => {
    // Changing these is a deliberate decision: existing hashes are upgraded on the next login.
    expect(ARGON2_PARAMS).toEqual({ m: 7168, t: 5, p: 1 });
  });

  it("stores a self-describing PHC string with a 16-byte salt and a 32-byte hash", async () => {
    const phc = await hashPassword("a long password");
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=7168,t=5,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    const parsed = parsePhc(phc);
    expect(parsed?.salt).toHaveLength(16);
    expect(parsed?.hash).toHaveLength(32);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same password")).not.toBe(await hashPassword("same password"));
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const phc = await hashPassword("right password");
    expect(await verifyPassword("right password", phc)).toBe(true);
    expect(await verifyPassword("wrong password", phc)).toBe(false);
  });

  it("verifies hashes made with other parameters and flags them for rehash", async () => {
    const old = await hashPassword("old params", { m: 1024, t: 2, p: 1 });
    expect(old).toContain("$m=1024,t=2,p=1$");
    expect(await verifyPassword("old params", old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(await hashPassword("current params"))).toBe(false);
  });

  it("matches no password with a malformed or out-of-bounds hash", async () => {
    expect(await verifyPassword("x", "not a hash")).toBe(false);
    expect(parsePhc("$argon2id$v=19$m=4194304,t=5,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA")).toBeUndefined();
    expect(parsePhc("$argon2i$v=19$m=7168,t=5,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA")).toBeUndefined();
    expect(needsRehash("not a hash")).toBe(true);
  });

  it("uses the current parameters for the unknown-email dummy hash", () => {
    expect(parsePhc(DUMMY_HASH)?.params).toEqual(ARGON2_PARAMS);
  });

  it("compares bytes without an early exit on length or content", () => {
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2]))).toBe(false);
  });
});
