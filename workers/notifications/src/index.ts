import { answerHealthFirst, isDeadLetterQueue, storeDeadLetters, withContext } from "@edge-shop/worker-kit";
import { app } from "./app";
import { database } from "./db/client";
import { consumeNotifications } from "./delivery/consumer";
import { runMaintenance } from "./delivery/retention";

export default {
  fetch: answerHealthFirst("notifications", app.fetch),
  queue: (batch, env) =>
    isDeadLetterQueue(batch.queue)
      ? storeDeadLetters(batch, { service: "notifications", db: database(env.DB), metrics: env.METRICS })
      : consumeNotifications(batch, env),
  async scheduled(_controller, env) {
    await withContext({ service: "notifications", metrics: env.METRICS }, () =>
      runMaintenance(env, database(env.DB)),
    );
  },
} satisfies ExportedHandler<Env>;
