import { WorkerEntrypoint } from "cloudflare:workers";
import { app } from "./app";
import type { Bindings } from "./env";

/** Typed RPC for the other services (bound with `entrypoint = "ProductsRpc"`). */
export class ProductsRpc extends WorkerEntrypoint<Bindings> {}

export default app;
