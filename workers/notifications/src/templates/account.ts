import type { EventDataOf } from "@edge-shop/contracts";
import { escapeHtml, layout, oneLine } from "./format";
import type { Recipient, RenderContext, Rendered } from "./types";

/** A link into the storefront's hash routes: `<origin>/#/<route>?token=…` (the token is base64url already). */
export function accountLink(origin: string, route: "verify-email" | "reset-password", token: string): string {
  return `${origin.replace(/\/+$/, "")}/#/${route}?token=${encodeURIComponent(token)}`;
}

/** "2026-12-07 10:30 UTC": when a link stops working, the same for every reader. */
function until(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function hi(to: Recipient) {
  return { text: `Hi ${to.firstName},`, html: `<p>Hi ${escapeHtml(to.firstName)},</p>` };
}

function button(href: string, label: string): string {
  return `<p><a href="${escapeHtml(href)}" style="display:inline-block;padding:8px 16px;background:#1d4ed8;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(label)}</a></p>
<p style="font-size:12px;color:#555">Or paste this address into your browser: ${escapeHtml(href)}</p>`;
}

/** user.registered: the welcome message, with the link that verifies the address when the event carries one. */
export function welcome(data: EventDataOf<"user.registered">, to: Recipient, ctx: RenderContext): Rendered {
  const subject = oneLine(`Welcome to edge-shop, ${to.firstName}`);
  const greeting = hi(to);
  const ready = `Your edge-shop account for ${data.email} is ready. Happy shopping!`;
  const readyHtml = `Your edge-shop account for <strong>${escapeHtml(data.email)}</strong> is ready. Happy shopping!`;
  const sms = "edge-shop: welcome! Your account is ready.";
  if (!data.verification) {
    return {
      subject,
      text: [greeting.text, "", ready].join("\n"),
      html: layout(subject, `${greeting.html}\n<p>${readyHtml}</p>`),
      sms,
    };
  }
  const link = accountLink(ctx.origin, "verify-email", data.verification.token);
  const text = [
    greeting.text,
    "",
    ready,
    "",
    `Please confirm your email address (the link works until ${until(data.verification.expiresAt)}):`,
    link,
  ].join("\n");
  const html = layout(
    subject,
    `${greeting.html}
<p>${readyHtml}</p>
<p>Please confirm your email address (the link works until ${until(data.verification.expiresAt)}):</p>
${button(link, "Confirm my email address")}`,
  );
  return { subject, text, html, sms, secrets: [data.verification.token] };
}

type Link = EventDataOf<"user.verification_requested">;

function linkMessage(
  data: Link,
  to: Recipient,
  parts: {
    subject: string;
    intro: string;
    action: string;
    route: "verify-email" | "reset-password";
    after: string;
  },
  ctx: RenderContext,
): Rendered {
  const link = accountLink(ctx.origin, parts.route, data.token);
  const greeting = hi(to);
  const expiry = `The link works once, until ${until(data.expiresAt)}.`;
  const text = [greeting.text, "", parts.intro, "", link, "", expiry, parts.after].join("\n");
  const html = layout(
    parts.subject,
    `${greeting.html}
<p>${escapeHtml(parts.intro)}</p>
${button(link, parts.action)}
<p>${escapeHtml(expiry)} ${escapeHtml(parts.after)}</p>`,
  );
  // Never by SMS (see delivery/policy.ts); the text is there because every message has one.
  return {
    subject: parts.subject,
    text,
    html,
    sms: `edge-shop: ${parts.subject}. See your email.`,
    secrets: [data.token],
  };
}

/** user.verification_requested: a new link to confirm the account's address. */
export function verificationRequested(data: Link, to: Recipient, ctx: RenderContext): Rendered {
  return linkMessage(
    data,
    to,
    {
      subject: "Confirm your email address",
      intro: `Please confirm that ${data.email} is your email address:`,
      action: "Confirm my email address",
      route: "verify-email",
      after: "If you did not ask for it, you can ignore this email.",
    },
    ctx,
  );
}

/** user.password_reset_requested: the reset link. */
export function passwordReset(data: Link, to: Recipient, ctx: RenderContext): Rendered {
  return linkMessage(
    data,
    to,
    {
      subject: "Reset your edge-shop password",
      intro:
        "Someone (hopefully you) asked to reset the password of your edge-shop account. Choose a new one here:",
      action: "Choose a new password",
      route: "reset-password",
      after: "If you did not ask for it, ignore this email: your password stays as it is.",
    },
    ctx,
  );
}

/** user.email_change_requested: sent to the new address; the link makes it the login email. */
export function emailChangeRequested(data: Link, to: Recipient, ctx: RenderContext): Rendered {
  return linkMessage(
    data,
    to,
    {
      subject: "Confirm your new email address",
      intro: `Please confirm that ${data.email} should become the login email of your edge-shop account:`,
      action: "Confirm my new address",
      route: "verify-email",
      after: "Until you do, your login email stays as it is. If you did not ask for it, ignore this email.",
    },
    ctx,
  );
}

/** user.email_changed: sent to the old address once the new one is confirmed. */
export function emailChanged(data: EventDataOf<"user.email_changed">, to: Recipient): Rendered {
  const subject = "Your edge-shop email address was changed";
  const greeting = hi(to);
  const what = `The login email of your edge-shop account is now ${data.newEmail}.`;
  const unlike = "If you did not do this, reset your password from the login page at once and contact us.";
  const text = [greeting.text, "", what, unlike].join("\n");
  const html = layout(subject, `${greeting.html}\n<p>${escapeHtml(what)}</p>\n<p>${escapeHtml(unlike)}</p>`);
  return { subject, text, html, sms: "edge-shop: the login email of your account was changed." };
}
