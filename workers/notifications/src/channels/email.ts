import { logSender } from "./log";
import { misconfigured, type OutgoingMessage, ProviderError, postToProvider, type Sender } from "./types";

/** "edge-shop <no-reply@example.com>" → { name, email }; a bare address stays a string. */
function senderAddress(from: string): string | EmailAddress {
  const match = /^\s*(.*?)\s*<([^<>\s]+)>\s*$/.exec(from);
  return match?.[1] && match[2] ? { name: match[1], email: match[2] } : from.trim();
}

/** Cloudflare's `send_email` binding (locally simulated by wrangler, which writes the message to a file). */
function cloudflareSender(binding: SendEmail, from: string): Sender {
  return {
    provider: "cloudflare",
    async send(message: OutgoingMessage) {
      try {
        await binding.send({
          from: senderAddress(from),
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
        });
      } catch (error) {
        // The binding rejects addresses it may not send to; anything else is worth another try.
        const text = error instanceof Error ? error.message : String(error);
        throw new ProviderError(`cloudflare: ${text}`, !/not allowed|invalid/i.test(text));
      }
    },
  };
}

/** A Resend/SendGrid-style JSON API: `POST EMAIL_API_URL` with a bearer key. */
function httpSender(url: string, apiKey: string, from: string): Sender {
  return {
    provider: "http",
    send: (message: OutgoingMessage) =>
      postToProvider("http-email", url, {
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({
          from,
          to: [message.to],
          subject: message.subject,
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
        }),
      }),
  };
}

/** The email sender chosen by EMAIL_PROVIDER. */
export function emailSender(env: Env): Sender {
  switch (env.EMAIL_PROVIDER) {
    case "log":
      return logSender(env);
    case "cloudflare":
      return env.EMAIL
        ? cloudflareSender(env.EMAIL, env.EMAIL_FROM)
        : misconfigured("cloudflare", "the EMAIL send_email binding is missing");
    case "http":
      return env.EMAIL_API_KEY
        ? httpSender(env.EMAIL_API_URL, env.EMAIL_API_KEY, env.EMAIL_FROM)
        : misconfigured("http-email", "the EMAIL_API_KEY secret is not set");
    default:
      return misconfigured(env.EMAIL_PROVIDER, "unknown EMAIL_PROVIDER");
  }
}
