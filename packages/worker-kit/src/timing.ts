/** Resolves after `ms` milliseconds (a timer; in a Worker, keep it inside a request or `waitUntil`). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
