import { log } from "@edge-shop/worker-kit";
import type { OutgoingMessage, Sender } from "./types";

/**
 * The local default: sends nothing, writes what would be sent as one JSON log line (the delivery log row has the
 * rest). The message's text (names, order lines) is in the line only when LOG_PROVIDER_TEXT = "true": on for
 * local development, off wherever logs leave the machine (staging's Workers Logs).
 */
export function logSender(env: Pick<Env, "LOG_PROVIDER_TEXT">): Sender {
  const withText = env.LOG_PROVIDER_TEXT === "true";
  return {
    provider: "log",
    async send(message: OutgoingMessage) {
      log("info", "notification (log provider, not sent)", {
        service: "notifications",
        channel: message.channel,
        to: message.to,
        subject: message.subject,
        ...(withText ? { text: message.text } : { textLength: message.text.length }),
      });
    },
  };
}
