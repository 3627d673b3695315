import { answerHealthFirst, isDeadLetterQueue, storeDeadLetters } from "@edge-shop/worker-kit";
import { app } from "./app";
import { database } from "./db/client";
import { consumeNotifications } from "./delivery/consumer";

export default {
  fetch: answerHealthFirst("notifications", app.fetch),
  queue: (batch, env) =>
    isDeadLetterQueue(batch.queue)
      ? storeDeadLetters(batch, { service: "notifications", db: database(env.DB), metrics: env.METRICS })
      : consumeNotifications(batch, env),
} satisfies ExportedHandler<Env>;
