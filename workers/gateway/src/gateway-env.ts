import type { Identity } from "@edge-shop/contracts";
import type { GatewayBindings } from "./env";
import type { RouteRule } from "./routes";

export type GatewayEnv = {
  Bindings: GatewayBindings;
  Variables: { requestId: string; identity: Identity | undefined; route: RouteRule | undefined };
};
