// The one Node API worker-kit uses. workerd provides it (nodejs_compat is on by default from the 2026-08-04
// compatibility date); @types/node is not loaded for worker code, so its shape is declared here.
declare module "node:async_hooks" {
  export class AsyncLocalStorage<T> {
    getStore(): T | undefined;
    run<R>(store: T, callback: () => R): R;
  }
}
