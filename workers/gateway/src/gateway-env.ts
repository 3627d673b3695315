import type { Identity } from "@edge-shop/contracts";
import type { RouteRule } from "./routes";

export type GatewayEnv = {
  Bindings: Env;
  Variables: { requestId: string; identity: Identity | undefined; route: RouteRule | undefined };
};
