// `pnpm provision --env staging|production [--print] [--dry-run]`
//
// Creates the D1 databases, KV namespaces, R2 buckets, queues and dead-letter queues that the [env.<env>] sections of the
// wrangler configs name, and writes the new ids back into those sections. Idempotent: it lists what the account
// has first and creates only what is missing, so a second run changes nothing. Needs `wrangler login` (or
// CLOUDFLARE_API_TOKEN, plus CLOUDFLARE_ACCOUNT_ID when the token reaches several accounts).
//   --print     print the ids as config lines instead of editing the configs
//   --dry-run   contact nothing: print the commands a first run on an empty account would run
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import {
  createCommands,
  type Existing,
  type IdUpdate,
  idUpdates,
  requiredResources,
} from "./lib/provision-plan";
import { LIST_D1, LIST_KV, LIST_R2, listQueues, provisionAccount } from "./lib/provision-run";
import { loadShop, parseEnvironment } from "./lib/shop-config";
import { setBindingId } from "./lib/toml-ids";
import { ROOT } from "./lib/workers";
import { shown, wranglerLoud, wranglerOutput } from "./lib/wrangler-cli";

async function writeIds(env: string, updates: IdUpdate[]): Promise<void> {
  for (const configPath of new Set(updates.map((u) => u.configPath))) {
    let text = await readFile(`${ROOT}${configPath}`, "utf8");
    for (const u of updates.filter((x) => x.configPath === configPath)) {
      text = setBindingId(text, { env, table: u.table, binding: u.binding, idField: u.idField, id: u.id });
    }
    await writeFile(`${ROOT}${configPath}`, text);
  }
}

const { values } = parseArgs({
  options: {
    env: { type: "string" },
    print: { type: "boolean", default: false },
    "dry-run": { type: "boolean", default: false },
  },
  strict: true,
});

try {
  const env = parseEnvironment(values.env);
  const resources = requiredResources(await loadShop(env));
  console.log(`provision ${env}:`);
  console.log(`  D1 databases   ${[...new Set(resources.d1.map((d) => d.name))].join(", ")}`);
  console.log(`  KV namespaces  ${resources.kv.map((k) => k.title).join(", ")}`);
  console.log(`  R2 buckets     ${resources.r2.join(", ")}`);
  console.log(`  queues         ${resources.queues.join(", ")}`);

  if (values["dry-run"]) {
    const empty: Existing = { d1: new Map(), kv: new Map(), r2: new Set(), queues: new Set() };
    console.log("\n--dry-run: contacts nothing; on an empty account it would run:");
    for (const args of [LIST_D1, LIST_KV, LIST_R2, listQueues(1), ...createCommands(resources, empty)]) {
      console.log(`  ${shown(args)}`);
    }
    console.log(`  …then list again and write each id into its [env.${env}] section.`);
    process.exit(0);
  }

  const cli = { output: wranglerOutput, loud: wranglerLoud };
  const { created, updates, account } = await provisionAccount(resources, cli, (args) =>
    console.log(`\n$ ${shown(args)}`),
  );
  if (created.length === 0) console.log("\nnothing to create: every resource exists");
  if (updates.length === 0) {
    console.log("every config already holds the right ids");
  } else if (values.print) {
    console.log("\nput these ids in the configs:");
    for (const u of updates) {
      console.log(
        `  ${u.configPath} [[env.${env}.${u.table}]] binding = "${u.binding}": ${u.idField} = "${u.id}"`,
      );
    }
  } else {
    await writeIds(env, updates);
    // Read back through wrangler: the edit must resolve to the new ids, or the deploy would use stale ones.
    const reread = idUpdates(requiredResources(await loadShop(env)), account);
    if (reread.updates.length > 0)
      throw new Error(`ids not written: ${reread.updates.map((u) => u.resource).join(", ")}`);
    for (const u of updates) console.log(`wrote ${u.configPath}: ${u.resource} → ${u.idField} = "${u.id}"`);
    console.log("commit the updated wrangler.toml files (ids are not secret).");
  }
} catch (error) {
  console.error(`provision: ${(error as Error).message}`);
  process.exit(1);
}
