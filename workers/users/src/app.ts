import { adminRoutes, createServiceApp } from "@edge-shop/worker-kit";
import { authRoutes } from "./routes/auth";
import { jwksRoutes } from "./routes/jwks";
import { profileRoutes } from "./routes/profile";

/** The users service's HTTP API: its route modules on worker-kit's service app. */
export const app = createServiceApp<Env>("users");
authRoutes(app);
profileRoutes(app);
jwksRoutes(app);
adminRoutes(app, { service: "users", deadLetters: false });
