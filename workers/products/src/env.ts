export interface Bindings {
  DB: D1Database;
  CACHE: KVNamespace;
  CACHE_TTL_SECONDS: string;
}
