import { createServiceApp } from "@edge-shop/worker-kit";
import type { Bindings } from "./env";
import { paymentRoutes } from "./routes/payments";
import { webhookRoutes } from "./routes/webhook";

export const app = createServiceApp<Bindings>("payments");
webhookRoutes(app);
paymentRoutes(app);
