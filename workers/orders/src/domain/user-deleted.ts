import { DELETED_USER_ID, type EventEnvelope } from "@edge-shop/contracts";
import { anonymisedEventBodies, type EventOutcome, idempotencyKeys, inbox } from "@edge-shop/worker-kit";
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { orders } from "../db/schema";
import type { Plan } from "./mark-paid";

/** What an anonymised order shows as its address. */
export const ERASED_ADDRESS = "(erased)";

/**
 * `user.deleted`: the person's orders stay for accounting (amounts, lines, statuses, payments) but name no one:
 * their user id becomes `DELETED_USER_ID` and their address `(erased)`; the stored answers of their idempotency
 * keys (which repeat the address) go, and stored event bodies no longer carry their id. Idempotent.
 */
export function userDeletedPlan(
  db: Db,
  event: EventEnvelope<"user.deleted">,
): Plan<{ outcome: EventOutcome }> {
  const { userId } = event.data;
  return {
    statements: [
      db
        .update(orders)
        .set({ userId: DELETED_USER_ID, shippingAddress: JSON.stringify(ERASED_ADDRESS) })
        .where(eq(orders.userId, userId)),
      db.delete(idempotencyKeys).where(eq(idempotencyKeys.userId, userId)),
      ...anonymisedEventBodies(db, userId, DELETED_USER_ID, { deadLetters: true }),
      db
        .insert(inbox)
        .values({ eventId: event.id, type: event.type, processedAt: Date.now() })
        .onConflictDoNothing(),
    ],
    read: () => ({ outcome: { ok: true } }),
  };
}
