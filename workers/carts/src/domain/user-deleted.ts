import { DELETED_USER_ID, type EventEnvelope } from "@edge-shop/contracts";
import { alreadyProcessed, anonymisedEventBodies, inboxInsert } from "@edge-shop/worker-kit";
import { database } from "../db/client";
import { forgetUser } from "./carts";

/**
 * What carts does with an event of its queue: on `user.deleted`, the person's cart goes (its object's storage and
 * the record of which cart it was), with the inbox row and the stored event bodies' id (dead letters) in the same
 * batch. A second delivery finds the inbox row and does nothing. Other events are not for carts: acked.
 */
export async function onCartsEvent(env: Env, event: EventEnvelope): Promise<void> {
  if (event.type !== "user.deleted") return;
  const db = database(env.DB);
  if (await alreadyProcessed(db, event.id)) return;
  const { userId } = event.data;
  await forgetUser(env, userId, [
    ...anonymisedEventBodies(db, userId, DELETED_USER_ID, { deadLetters: true }),
    inboxInsert(db, event),
  ]);
}
