import { BaseSequencer, type TestSpecification } from "vitest/node";

// expiry-order.test.ts first, expiry.test.ts last (see expiring-order.ts); the rest in vitest's own order.
const FIRST = "/expiry-order.test.ts";
const LAST = "/expiry.test.ts";

export class ExpiryLastSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) =>
      file.moduleId.endsWith(FIRST) ? 0 : file.moduleId.endsWith(LAST) ? 2 : 1;
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}
