import type { EventDataOf } from "@edge-shop/contracts";
import { escapeHtml, layout, oneLine } from "./format";
import type { Recipient, Rendered } from "./types";

/** user.registered: the welcome message. */
export function welcome(data: EventDataOf<"user.registered">, to: Recipient): Rendered {
  const subject = oneLine(`Welcome to edge-shop, ${to.firstName}`);
  const text = [
    `Hi ${to.firstName},`,
    "",
    `Your edge-shop account for ${data.email} is ready. Happy shopping!`,
  ].join("\n");
  const html = layout(
    subject,
    `<p>Hi ${escapeHtml(to.firstName)},</p>
<p>Your edge-shop account for <strong>${escapeHtml(data.email)}</strong> is ready. Happy shopping!</p>`,
  );
  return { subject, text, html, sms: "edge-shop: welcome! Your account is ready." };
}
