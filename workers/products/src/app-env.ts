import type { ServiceEnv } from "@edge-shop/worker-kit";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Bindings } from "./env";

export type AppEnv = ServiceEnv<Bindings>;
export type App = OpenAPIHono<AppEnv>;
