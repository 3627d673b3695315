import { WorkerEntrypoint } from "cloudflare:workers";
import { app } from "./app";
import type { Bindings } from "./env";

/** Typed RPC for the other services (bound with `entrypoint = "OrdersRpc"`). */
export class OrdersRpc extends WorkerEntrypoint<Bindings> {}

export default app;
