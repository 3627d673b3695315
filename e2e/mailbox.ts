// The local mailbox: under the `log` email provider, GET /api/notifications shows every email in full, links
// with their one-time tokens included (docs/architecture.md, "Accounts").
import { api, eventually, expectJson } from "./client";

interface Notification {
  to: string;
  subject: string;
  body: string;
  eventType: string;
}

/** The shop origin of the links in account emails: SHOP_ORIGIN of the local notifications worker. */
export const LOCAL_SHOP_ORIGIN = "http://localhost:8787";

/**
 * Waits for the caller's newest email of `eventType` (beyond the first `skip`) and answers it with the token of
 * its link (`<origin>/#/verify-email?token=…` or `…/#/reset-password?token=…`).
 */
export async function emailedLink(
  token: string,
  eventType: string,
  skip = 0,
): Promise<{ email: Notification; route: string; token: string; link: string }> {
  const email = await eventually(async () => {
    const { notifications } = await expectJson<{ notifications: Notification[] }>(
      await api("/api/notifications?limit=100", { token }),
      200,
    );
    const matching = notifications.filter((n) => n.eventType === eventType);
    return matching.length > skip ? matching[0] : undefined;
  }, 30_000);
  const match = /(\S+\/#\/(verify-email|reset-password)\?token=([A-Za-z0-9_-]+))/.exec(email?.body ?? "");
  if (!email || !match?.[1] || !match[2] || !match[3]) throw new Error(`no link in ${eventType}`);
  return { email, link: match[1], route: match[2], token: match[3] };
}
