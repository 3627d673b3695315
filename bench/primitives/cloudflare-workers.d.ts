// Types of workerd's built-in module for the bench's own workers, which the scripts project typechecks with
// Node's types (the importable workers-types have no `cloudflare:workers` block). esbuild leaves the import
// to workerd.
declare module "cloudflare:workers" {
  import type { CloudflareWorkersModule as M } from "@cloudflare/workers-types/index.ts";
  export const DurableObject: typeof M.DurableObject;
  export type DurableObject<Env> = M.DurableObject<Env>;
  export const WorkerEntrypoint: typeof M.WorkerEntrypoint;
  export type WorkerEntrypoint<Env> = M.WorkerEntrypoint<Env>;
}
