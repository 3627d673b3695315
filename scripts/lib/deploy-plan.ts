// Planning for `pnpm run deploy`: the order the workers go out in, the wrangler commands for each, and the
// checks that stop a deploy with placeholder values. Pure functions: scripts/deploy.ts runs what they return.
import { isPlaceholderId } from "./provision-plan";
import type { Environment, ShopWorker } from "./shop-config";

/**
 * The workers ordered so that each one's service-binding targets are deployed before it (a binding to a worker
 * that does not exist yet fails the deploy), keeping the given order among independent workers. Throws on a
 * binding to a worker no config deploys (a typo) and on a cycle.
 */
export function deployOrder(workers: ShopWorker[]): ShopWorker[] {
  const byName = new Map(workers.map((w) => [w.name, w]));
  for (const w of workers) {
    for (const target of w.serviceTargets) {
      if (!byName.has(target))
        throw new Error(`${w.configPath}: ${w.name} binds "${target}", which no config deploys`);
    }
  }
  const ordered: ShopWorker[] = [];
  const done = new Set<string>();
  while (ordered.length < workers.length) {
    const next = workers.find((w) => !done.has(w.name) && w.serviceTargets.every((t) => done.has(t)));
    if (!next) {
      const left = workers.filter((w) => !done.has(w.name)).map((w) => w.name);
      throw new Error(`service bindings form a cycle among: ${left.join(", ")}`);
    }
    ordered.push(next);
    done.add(next.name);
  }
  return ordered;
}

/**
 * The wrangler commands that deploy one worker: its D1 migrations, applied remotely first, then the code, with
 * `version` (the git sha) as its VERSION var when given (GET /api/admin/status shows it).
 */
export function deployCommands(worker: ShopWorker, env: Environment, version?: string): string[][] {
  const target = ["--env", env, "-c", worker.configPath];
  return [
    ...worker.d1.map((db) => ["d1", "migrations", "apply", db.name, "--remote", ...target]),
    ["deploy", ...target, ...(version ? ["--var", `VERSION:${version}`] : [])],
  ];
}

/**
 * What in the configs cannot go live: top-level bindings the environment does not repeat (the worker would run
 * without them), unprovisioned ids, and example.com routes and shop origins (the links of account emails).
 */
export function preflightProblems(workers: ShopWorker[], env: Environment): string[] {
  const provision = `run \`pnpm provision --env ${env}\``;
  return workers.flatMap((w) => [
    ...w.gaps.map(
      (gap) => `${w.configPath}: [env.${env}] lacks the top level's ${gap} (bindings are not inherited)`,
    ),
    ...w.d1
      .filter((db) => isPlaceholderId(db.id))
      .map((db) => `${w.configPath}: D1 ${db.name} has no database_id yet (${provision})`),
    ...w.kv
      .filter((ns) => isPlaceholderId(ns.id))
      .map((ns) => `${w.configPath}: KV binding ${ns.binding} has no id yet (${provision})`),
    ...w.routes
      .filter((route) => /(^|\.)example\.com(\/|$)/.test(route))
      .map(
        (route) => `${w.configPath}: route ${route} is a placeholder: set your own domain in [env.${env}]`,
      ),
    ...(w.shopOrigin && /[/.]example\.com(\/|$)/.test(w.shopOrigin)
      ? [`${w.configPath}: SHOP_ORIGIN ${w.shopOrigin} is a placeholder: set the shop's URL in [env.${env}]`]
      : []),
  ]);
}
