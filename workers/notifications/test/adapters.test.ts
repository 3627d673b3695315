import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { emailSender } from "../src/channels/email";
import { smsSender } from "../src/channels/sms";
import { ProviderError } from "../src/channels/types";
import { httpEnv, stubProviders } from "./helpers";

const email = {
  channel: "email" as const,
  to: "ada@example.test",
  subject: "Receipt for order ABC",
  text: "Hi Ada",
  html: "<p>Hi Ada</p>",
};
const sms = {
  channel: "sms" as const,
  to: "+14155550123",
  subject: "Receipt",
  text: "edge-shop: paid",
  html: null,
};
const fetchSpy = () => vi.mocked(globalThis.fetch);

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}

describe("HTTP email adapter", () => {
  it("POSTs JSON with the bearer key", async () => {
    const seen = stubProviders(fetchSpy(), () => Response.json({ id: "email_1" }));
    await emailSender(httpEnv()).send(email);
    expect(seen).toHaveLength(1);
    const request = seen[0] as Request;
    expect(request.method).toBe("POST");
    expect(request.url).toBe("https://email.test/send");
    expect(request.headers.get("authorization")).toBe("Bearer test-email-key");
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(await request.json()).toEqual({
      from: env.EMAIL_FROM,
      to: ["ada@example.test"],
      subject: "Receipt for order ABC",
      text: "Hi Ada",
      html: "<p>Hi Ada</p>",
    });
  });

  it.each([
    [500, true],
    [503, true],
    [429, true],
    [401, true],
    [400, false],
    [422, false],
  ])("HTTP %i fails with retryable = %s", async (status, retryable) => {
    stubProviders(fetchSpy(), () => new Response("nope", { status }));
    const error = await failure(emailSender(httpEnv()).send(email));
    expect(error.retryable).toBe(retryable);
    expect(error.message).toContain(String(status));
  });

  it("a network error is retryable", async () => {
    fetchSpy().mockRejectedValue(new TypeError("connection reset"));
    const error = await failure(emailSender(httpEnv()).send(email));
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("connection reset");
  });

  it("an unknown provider name fails retryably instead of dropping mail", async () => {
    const error = await failure(emailSender({ ...env, EMAIL_PROVIDER: "carrier-pigeon" }).send(email));
    expect(error.retryable).toBe(true);
  });
});

describe("HTTP SMS adapter", () => {
  it("POSTs a Twilio-style form with basic auth", async () => {
    const seen = stubProviders(fetchSpy(), () => Response.json({ sid: "SM1" }, { status: 201 }));
    await smsSender(httpEnv()).send(sms);
    const request = seen[0] as Request;
    expect(request.url).toBe("https://sms.test/Messages.json");
    expect(request.headers.get("authorization")).toBe(`Basic ${btoa("AC123:test-sms-token")}`);
    expect(request.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    const form = await request.formData();
    expect(Object.fromEntries(form)).toEqual({
      To: "+14155550123",
      From: env.SMS_FROM,
      Body: "edge-shop: paid",
    });
  });

  it("a 5xx is retryable, a 400 is not", async () => {
    stubProviders(fetchSpy(), () => new Response("down", { status: 502 }));
    expect((await failure(smsSender(httpEnv()).send(sms))).retryable).toBe(true);
    stubProviders(fetchSpy(), () => Response.json({ code: 21211 }, { status: 400 }));
    expect((await failure(smsSender(httpEnv()).send(sms))).retryable).toBe(false);
  });

  it("without the auth token secret, sending fails retryably", async () => {
    const error = await failure(smsSender({ ...httpEnv(), SMS_AUTH_TOKEN: undefined }).send(sms));
    expect(error.message).toContain("SMS_AUTH_TOKEN");
  });
});

describe("log and Cloudflare adapters", () => {
  it("the log provider sends nothing over the network and writes one JSON line", async () => {
    const lines = vi.spyOn(console, "log").mockImplementation(() => undefined);
    await emailSender(env).send(email);
    await smsSender(env).send(sms);
    expect(fetchSpy()).not.toHaveBeenCalled();
    const logged = lines.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
    expect(logged).toEqual([
      // Logs never carry a full email address or phone number (worker-kit's log() masks them).
      expect.objectContaining({
        channel: "email",
        to: "a***@example.test",
        subject: "Receipt for order ABC",
      }),
      expect.objectContaining({ channel: "sms", to: "+***23", text: "edge-shop: paid" }),
    ]);
  });

  it("the log provider leaves the message's text out unless LOG_PROVIDER_TEXT is true (staging)", async () => {
    const lines = vi.spyOn(console, "log").mockImplementation(() => undefined);
    await emailSender({ ...env, LOG_PROVIDER_TEXT: "false" }).send(email);
    await smsSender({ ...env, LOG_PROVIDER_TEXT: "" }).send(sms);
    const logged = lines.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
    expect(logged).toEqual([
      expect.objectContaining({ channel: "email", subject: "Receipt for order ABC", textLength: 6 }),
      expect.objectContaining({ channel: "sms", textLength: 15 }),
    ]);
    expect(logged.some((line) => "text" in line)).toBe(false);
  });

  it("the cloudflare provider sends through the send_email binding (simulated locally)", async () => {
    await emailSender({ ...env, EMAIL_PROVIDER: "cloudflare" }).send(email);
    expect(fetchSpy()).not.toHaveBeenCalled();
  });

  it("the cloudflare provider without the binding fails retryably", async () => {
    const error = await failure(
      emailSender({ ...env, EMAIL_PROVIDER: "cloudflare", EMAIL: undefined as unknown as SendEmail }).send(
        email,
      ),
    );
    expect(error.message).toContain("binding");
  });
});
