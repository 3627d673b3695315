// Contract scenarios: notifications and preferences.
import { describe, it } from "vitest";
import { eventually } from "../client";
import { expectCall, session } from "./session";

/** The notification list and preferences. */
export function notificationsContract(): void {
  describe("notifications", () => {
    it("list and preferences: 200, 400, 401", async () => {
      await eventually(async () => {
        const page = await expectCall<{ notifications: unknown[] }>(200, "GET", "/api/notifications", {
          token: session.buyer.token,
        });
        return page.notifications.length > 0 ? page : undefined;
      });
      await expectCall(400, "GET", "/api/notifications?limit=500", { token: session.buyer.token });
      await expectCall(401, "GET", "/api/notifications");
      await expectCall(200, "GET", "/api/notifications/preferences", { token: session.buyer.token });
      await expectCall(401, "GET", "/api/notifications/preferences");
      const prefs = "/api/notifications/preferences";
      await expectCall(200, "PATCH", prefs, {
        token: session.buyer.token,
        json: { sms: true, phone: "+14155550123" },
      });
      await expectCall(200, "PATCH", prefs, {
        token: session.buyer.token,
        json: { phone: null, sms: false },
      });
      await expectCall(400, "PATCH", prefs, { token: session.other.token, json: { sms: true } });
      await expectCall(401, "PATCH", prefs, { json: { email: false } });
    });
  });
}
