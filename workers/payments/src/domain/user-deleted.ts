import { DELETED_USER_ID, type EventEnvelope } from "@edge-shop/contracts";
import { anonymisedEventBodies, idempotencyKeys, inbox } from "@edge-shop/worker-kit";
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { payments } from "../db/schema";

/**
 * `user.deleted`: the person's payments stay for accounting (amounts, statuses, provider references) but name no
 * one: their user id becomes `DELETED_USER_ID`, as orders does with their orders (so a payment and its order still
 * agree); the stored answers of their idempotency keys go, and stored event bodies no longer carry their id. One
 * batch, idempotent.
 */
export async function eraseUser(db: Db, event: EventEnvelope<"user.deleted">): Promise<void> {
  const { userId } = event.data;
  await db.batch([
    db.update(payments).set({ userId: DELETED_USER_ID }).where(eq(payments.userId, userId)),
    db.delete(idempotencyKeys).where(eq(idempotencyKeys.userId, userId)),
    ...anonymisedEventBodies(db, userId, DELETED_USER_ID, { deadLetters: true }),
    db
      .insert(inbox)
      .values({ eventId: event.id, type: event.type, processedAt: Date.now() })
      .onConflictDoNothing(),
  ]);
}
