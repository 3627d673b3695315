// Contract scenarios: the admin routes (status of every service, dead letters).
import { describe, it } from "vitest";
import { expectCall, session } from "./session";

/** GET /api/admin/status, the dead-letter list and replay. */
export function adminContract(): void {
  describe("admin", () => {
    it("status: 200, 401, 403", async () => {
      await expectCall(200, "GET", "/api/admin/status", { token: session.admin });
      await expectCall(401, "GET", "/api/admin/status");
      await expectCall(403, "GET", "/api/admin/status", { token: session.buyer.token });
    });

    it("dead letters: list 200, 400, 401, 403; replay of an unknown one 404", async () => {
      await expectCall(200, "GET", "/api/admin/dead-letters?limit=5", { token: session.admin });
      await expectCall(200, "GET", "/api/admin/dead-letters?service=orders", { token: session.admin });
      await expectCall(400, "GET", "/api/admin/dead-letters?page=11&limit=100", { token: session.admin });
      await expectCall(401, "GET", "/api/admin/dead-letters");
      await expectCall(403, "GET", "/api/admin/dead-letters", { token: session.buyer.token });
      const replay = `/api/admin/dead-letters/orders:${crypto.randomUUID()}/replay`;
      await expectCall(404, "POST", replay, { token: session.admin });
      await expectCall(401, "POST", replay);
      await expectCall(403, "POST", replay, { token: session.buyer.token });
    });
  });
}
