import { app } from "./app";
import { consumeNotifications } from "./delivery/consumer";
import type { Bindings } from "./env";

export default {
  fetch: app.fetch,
  queue: (batch, env) => consumeNotifications(batch, env),
} satisfies ExportedHandler<Bindings>;
