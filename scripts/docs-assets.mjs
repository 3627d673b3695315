// The gateway's custom build (`[build]` in the root wrangler.toml; wrangler runs it before dev, deploy and a dry
// run): copies the API reference's assets from the installed, lockfile-pinned swagger-ui-dist into the storefront's
// static assets (git-ignored), so /docs runs no third-party code from another origin and works offline.
// Plain JavaScript on purpose: wrangler runs it with whatever `node` is on the PATH, before any TypeScript tooling.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "workers/gateway/package.json"));
const from = dirname(require.resolve("swagger-ui-dist/package.json"));
const to = join(root, "storefront/public/vendor/swagger-ui");
mkdirSync(to, { recursive: true });
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"]) copyFileSync(join(from, file), join(to, file));
