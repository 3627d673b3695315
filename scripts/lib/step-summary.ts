// What `pnpm test` prints of a step that passed: one line, so a green run fits on a screen. A failing step
// prints everything it wrote (scripts/test.ts).

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** The output without terminal colours. */
export const plain = (output: string) => output.replace(ANSI, "");

/** Vitest's closing counts, e.g. `79 files, 697 tests passed (3 skipped)`; undefined if it printed none. */
export function vitestSummary(output: string): string | undefined {
  const text = plain(output);
  const files = /Test Files\s+(.+?)\s*\(\d+\)\s*$/m.exec(text)?.[1];
  const tests = /^\s*Tests\s+(.+?)\s*\(\d+\)\s*$/m.exec(text)?.[1];
  if (!files || !tests) return undefined;
  return `test files: ${files}; tests: ${tests}`;
}

/** The last line a step printed (its own summary, for the scripts that print one). */
export function lastLine(output: string): string {
  const lines = plain(output)
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.at(-1) ?? "";
}
