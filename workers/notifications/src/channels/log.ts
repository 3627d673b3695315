import { log } from "@edge-shop/worker-kit";
import type { OutgoingMessage, Sender } from "./types";

/** The local default: sends nothing, writes what would be sent as one JSON log line (the delivery log row has the rest). */
export const logSender: Sender = {
  provider: "log",
  async send(message: OutgoingMessage) {
    log("info", "notification (log provider, not sent)", {
      service: "notifications",
      channel: message.channel,
      to: message.to,
      subject: message.subject,
      text: message.text,
    });
  },
};
