import { afterEach, beforeEach, vi } from "vitest";

// No test may reach the internet: any fetch a test did not stub itself fails loudly.
beforeEach(() => {
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
    const url = input instanceof Request ? input.url : String(input);
    throw new Error(`unexpected outbound request to ${url}`);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});
