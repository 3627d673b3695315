// The steps of `pnpm provision` against an account, through a wrangler CLI given as a parameter (the real one in
// scripts/provision.ts, a simulated account in the tests): list, create what is missing, list again, and return
// the ids the configs must hold.
import {
  createCommands,
  type Existing,
  type IdUpdate,
  idUpdates,
  parseD1List,
  parseKvList,
  parseQueueTable,
  parseR2List,
  type Resources,
} from "./provision-plan";

export interface WranglerCli {
  /** Runs a command and resolves with its stdout. */
  output(args: string[]): Promise<string>;
  /** Runs a command with its output shown to the user. */
  loud(args: string[]): Promise<void>;
}

export const LIST_D1 = ["d1", "list", "--json"];
export const LIST_KV = ["kv", "namespace", "list"];
export const LIST_R2 = ["r2", "bucket", "list"];
export const listQueues = (page: number) => ["queues", "list", "--page", String(page)];

/** Every queue name in the account: `wrangler queues list` shows one page at a time. */
async function existingQueues(cli: WranglerCli): Promise<Set<string>> {
  const names = new Set<string>();
  for (let page = 1; page <= 100; page++) {
    const fresh = parseQueueTable(await cli.output(listQueues(page))).filter((name) => !names.has(name));
    if (fresh.length === 0) break;
    for (const name of fresh) names.add(name);
  }
  return names;
}

/**
 * What the account has: D1 databases and KV namespaces always, R2 buckets and queues when asked (they have no ids
 * to write).
 */
export async function listAccount(cli: WranglerCli, withNamed: boolean): Promise<Existing> {
  return {
    d1: parseD1List(await cli.output(LIST_D1)),
    kv: parseKvList(await cli.output(LIST_KV)),
    r2: withNamed ? parseR2List(await cli.output(LIST_R2)) : new Set(),
    queues: withNamed ? await existingQueues(cli) : new Set(),
  };
}

/**
 * Creates what the account lacks and returns the commands it ran, the ids to write and the account as listed
 * last. Throws when a created resource does not show up in the list afterwards (nothing is written then).
 */
export async function provisionAccount(
  resources: Resources,
  cli: WranglerCli,
  announce: (args: string[]) => void = () => {},
): Promise<{ created: string[][]; updates: IdUpdate[]; account: Existing }> {
  let account = await listAccount(cli, true);
  const created = createCommands(resources, account);
  for (const args of created) {
    announce(args);
    await cli.loud(args);
  }
  if (created.length > 0) account = await listAccount(cli, false);
  const { updates, missing } = idUpdates(resources, account);
  if (missing.length > 0)
    throw new Error(`created but not listed (retry in a minute): ${missing.join(", ")}`);
  return { created, updates, account };
}
