import { relative } from "node:path";
import { defineConfig } from "drizzle-kit";

// drizzle-kit prefixes paths with "./", so absolute paths break; paths relative to the current directory
// work both from this folder (`drizzle-kit generate`) and from the root (`pnpm db:generate`).
const here = (path: string) => relative(process.cwd(), new URL(path, import.meta.url).pathname) || ".";

export default defineConfig({
  dialect: "sqlite",
  schema: here("./src/db/schema.ts"),
  out: here("../../migrations/payments"),
});
