export interface Bindings {
  DB: D1Database;
  CACHE: KVNamespace;
  CACHE_TTL_SECONDS: string;
  /** Workers Analytics Engine dataset `edge_shop_products` (absent in tests that do not bind one). */
  METRICS?: AnalyticsEngineDataset;
  /** The git sha this worker was built from (`--var VERSION:<sha>`), shown by GET /api/admin/status. */
  VERSION?: string;
}
