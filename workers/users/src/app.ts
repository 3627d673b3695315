import { adminRoutes, createServiceApp } from "@edge-shop/worker-kit";
import { adminUserRoutes } from "./routes/admin-users";
import { authRoutes } from "./routes/auth";
import { emailLinkRoutes } from "./routes/email-links";
import { exportRoutes } from "./routes/export";
import { jwksRoutes } from "./routes/jwks";
import { passwordResetRoutes } from "./routes/password-reset";
import { profileRoutes } from "./routes/profile";

/** The users service's HTTP API: its route modules on worker-kit's service app. */
export const app = createServiceApp<Env>("users");
authRoutes(app);
emailLinkRoutes(app);
passwordResetRoutes(app);
profileRoutes(app);
jwksRoutes(app);
adminUserRoutes(app);
exportRoutes(app);
adminRoutes(app, { service: "users", deadLetters: false });
