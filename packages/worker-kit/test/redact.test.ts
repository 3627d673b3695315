import { afterEach, describe, expect, it, vi } from "vitest";
import { withContext } from "../src/context";
import { log } from "../src/log";
import { redact, redactText } from "../src/redact";

function captured(fn: () => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const write = (line: unknown) => void lines.push(String(line));
  vi.spyOn(console, "log").mockImplementation(write);
  vi.spyOn(console, "warn").mockImplementation(write);
  vi.spyOn(console, "error").mockImplementation(write);
  fn();
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

afterEach(() => vi.restoreAllMocks());

describe("redact", () => {
  it("masks emails wherever they appear", () => {
    expect(redactText("ada.lovelace@example.com")).toBe("a***@example.com");
    expect(redactText("to Ada <ada@shop.example.co.uk>, cc b@x.io")).toBe(
      "to Ada <a***@shop.example.co.uk>, cc b***@x.io",
    );
  });

  it("drops secret keys at any depth and in any case", () => {
    const out = redact({
      password: "p",
      currentPassword: "p",
      refresh_token: "r",
      Authorization: "Bearer x",
      nested: { cardToken: "tok_visa", secret: "s", apiKey: "k", keep: "ok", list: [{ token: "t", id: 1 }] },
    });
    expect(out).toEqual({ nested: { keep: "ok", list: [{ id: 1 }] } });
  });

  it("removes card tokens, JWTs and bearer credentials from free text", () => {
    const jwt = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLWJ5dGVz";
    expect(redactText(`charge with tok_visa failed; card_declined`)).toBe(
      "charge with tok_[redacted] failed; card_declined",
    );
    expect(redactText(`token ${jwt} refused`)).toBe("token [jwt] refused");
    expect(redactText("Authorization: Bearer abc.def-ghi")).toBe("Authorization: Bearer [redacted]");
  });

  it("masks phone numbers but their last two digits", () => {
    expect(redactText("+14155550123")).toBe("+***23");
    expect(redactText("sms to +447700900123 sent")).toBe("sms to +***23 sent");
    expect(redact({ to: "+14155550123", phone: "+33612345678" })).toEqual({ to: "+***23", phone: "+***78" });
    // Not a phone number: too short, or arithmetic.
    expect(redactText("1+1=2, +12 points")).toBe("1+1=2, +12 points");
  });

  it("leaves numbers, booleans and ordinary strings alone", () => {
    expect(redact({ status: 201, ok: true, route: "/api/orders/:id", none: null })).toEqual({
      status: 201,
      ok: true,
      route: "/api/orders/:id",
      none: null,
    });
  });
});

describe("log", () => {
  it("writes one redacted JSON line with the ids of the current context", () => {
    const [line] = captured(() =>
      withContext({ service: "orders", requestId: "req-1", userId: "u-1" }, () =>
        withContext({ correlationId: "corr-1", eventId: "evt-1" }, () =>
          log("warn", "something", { email: "grace@example.com", password: "hunter2", orderId: "o-1" }),
        ),
      ),
    );
    expect(line).toMatchObject({
      level: "warn",
      msg: "something",
      service: "orders",
      requestId: "req-1",
      correlationId: "corr-1",
      eventId: "evt-1",
      userId: "u-1",
      email: "g***@example.com",
      orderId: "o-1",
    });
    expect(line).not.toHaveProperty("password");
  });

  it("lets explicit fields win over the context and omits unknown ids", () => {
    const [line] = captured(() =>
      withContext({ service: "orders" }, () => log("info", "x", { service: "kit" })),
    );
    expect(line?.service).toBe("kit");
    expect(line).not.toHaveProperty("requestId");
  });

  it("keeps the context across awaits and isolates concurrent work", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const work = (id: string, ms: number) =>
      withContext({ requestId: id }, async () => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        log("info", "done");
      });
    await Promise.all([work("slow", 20), work("fast", 1)]);
    expect(lines.map((l) => (JSON.parse(l) as { requestId: string }).requestId)).toEqual(["fast", "slow"]);
  });
});
