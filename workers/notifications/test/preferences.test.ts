import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { database } from "../src/db/client";
import { getPreferences, updatePreferences } from "../src/db/queries/preferences";
import { asUser, uid } from "./helpers";

const PATH = "/api/notifications/preferences";
const patch = (userId: string, body: unknown) =>
  asUser(userId, PATH, { method: "PATCH", body: typeof body === "string" ? body : JSON.stringify(body) });

describe("GET /api/notifications/preferences", () => {
  it("answers the defaults for a user who never set any: email on, sms off", async () => {
    const response = await asUser(uid("user"), PATH);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ preferences: { email: true, sms: false, phone: null } });
  });

  it("needs a caller", async () => {
    const response = await exports.default.fetch(`http://notifications${PATH}`);
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });
});

describe("PATCH /api/notifications/preferences", () => {
  it("changes only the fields sent, and GET shows the result", async () => {
    const userId = uid("user");
    let response = await patch(userId, { phone: "+14155550123" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      preferences: { email: true, sms: false, phone: "+14155550123" },
    });

    response = await patch(userId, { sms: true, email: false });
    expect(await response.json()).toEqual({
      preferences: { email: false, sms: true, phone: "+14155550123" },
    });

    response = await patch(userId, { sms: false, phone: null });
    expect(await response.json()).toEqual({ preferences: { email: false, sms: false, phone: null } });

    response = await asUser(userId, PATH);
    expect(await response.json()).toEqual({ preferences: { email: false, sms: false, phone: null } });
  });

  it("accepts sms and a phone in one request", async () => {
    const response = await patch(uid("user"), { sms: true, phone: "+447700900123" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      preferences: { email: true, sms: true, phone: "+447700900123" },
    });
  });

  it("an empty patch changes nothing", async () => {
    const response = await patch(uid("user"), {});
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ preferences: { email: true, sms: false, phone: null } });
  });

  it("refuses sms without a phone", async () => {
    const userId = uid("user");
    const response = await patch(userId, { sms: true });
    expect(response.status).toBe(400);
    const problem = await response.json();
    expect(problem).toMatchObject({ status: 400, code: "validation_failed", errors: [{ path: "sms" }] });
    expect(await (await asUser(userId, PATH)).json()).toEqual({
      preferences: { email: true, sms: false, phone: null },
    });
  });

  it("refuses removing the phone while sms is on", async () => {
    const userId = uid("user");
    await patch(userId, { sms: true, phone: "+14155550123" });
    const response = await patch(userId, { phone: null });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ path: "phone" }] });
  });

  it.each([
    ["no plus", "14155550123"],
    ["leading zero", "+04155550123"],
    ["letters", "+1415555O123"],
    ["too long", "+1234567890123456"],
    ["spaces", "+1 415 555 0123"],
    ["empty", ""],
  ])("refuses a phone that is not E.164 (%s)", async (_, phone) => {
    const response = await patch(uid("user"), { phone });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ path: "phone" }] });
  });

  it("refuses wrong types and a body that is not JSON", async () => {
    const userId = uid("user");
    const wrong = await patch(userId, { email: "yes", sms: 1 });
    expect(wrong.status).toBe(400);
    const paths = ((await wrong.json()) as { errors: { path: string }[] }).errors.map((e) => e.path).sort();
    expect(paths).toEqual(["email", "sms"]);
    expect((await patch(userId, "{nope")).status).toBe(400);
  });

  it("needs a caller", async () => {
    const response = await exports.default.fetch(`http://notifications${PATH}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: false }),
    });
    expect(response.status).toBe(401);
  });

  it("one user's change never touches another's", async () => {
    const a = uid("user");
    const b = uid("user");
    await patch(a, { email: false });
    expect(await (await asUser(b, PATH)).json()).toEqual({
      preferences: { email: true, sms: false, phone: null },
    });
  });
});

describe("updatePreferences under a race", () => {
  it("the CHECK constraint refuses sms without a phone when the handler's read was stale", async () => {
    const db = database(env.DB);
    const userId = uid("user");
    await patch(userId, { email: false });
    // The handler read a phone that a concurrent PATCH has removed since.
    const stale = { email: false, sms: true, phone: "+14155550123" };
    expect(await updatePreferences(db, userId, { sms: true }, stale)).toBeNull();
    expect(await getPreferences(db, userId)).toEqual({ email: false, sms: false, phone: null });
  });
});
