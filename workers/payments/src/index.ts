import { answerHealthFirst, handleQueue, withContext } from "@edge-shop/worker-kit";
import { app } from "./app";
import { database } from "./db/client";
import { SERVICE } from "./domain/events";
import { runMaintenance } from "./domain/maintenance";
import { onOrderEvent } from "./domain/refund-order";
import { eraseUser } from "./domain/user-deleted";

export default {
  fetch: answerHealthFirst("payments", app.fetch),
  async queue(batch: MessageBatch, env: Env, _ctx: ExecutionContext): Promise<void> {
    const db = database(env.DB);
    await handleQueue(batch, { service: SERVICE, db, metrics: env.METRICS }, (event) =>
      event.type === "user.deleted" ? eraseUser(db, event) : onOrderEvent(env, db, event),
    );
  },
  async scheduled(_controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
    await withContext({ service: SERVICE, metrics: env.METRICS }, () =>
      runMaintenance(env, database(env.DB)),
    );
  },
} satisfies ExportedHandler<Env>;
