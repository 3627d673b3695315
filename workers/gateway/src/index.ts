import { app } from "./app";

export { RateLimiter } from "./rate-limit/rate-limiter";

export default app;
