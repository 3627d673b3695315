import { adminRoutes, createServiceApp } from "@edge-shop/worker-kit";
import { exportRoutes } from "./routes/export";
import { paymentRoutes } from "./routes/payments";
import { refundRoutes } from "./routes/refunds";
import { simulatorRoutes } from "./routes/simulator";
import { webhookRoutes } from "./routes/webhook";

/** The payments service's HTTP API: its route modules on worker-kit's service app. */
export const app = createServiceApp<Env>("payments");
webhookRoutes(app);
paymentRoutes(app);
refundRoutes(app);
simulatorRoutes(app);
exportRoutes(app);
adminRoutes(app, { service: "payments", deadLetters: true });
