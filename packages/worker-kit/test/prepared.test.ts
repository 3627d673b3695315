import { describe, expect, it } from "vitest";
import { memoPerShape, preparedPerShape } from "../src/prepared";

describe("preparedPerShape", () => {
  it("builds once per shape and handle, then hands back what it built", () => {
    const statement = preparedPerShape<object, { shape: string; n: number }>();
    const [db, other] = [{}, {}];
    let builds = 0;
    const build = (shape: string) => () => ({ shape, n: ++builds });
    const first = statement(db, "a", build("a"));
    expect(statement(db, "a", build("a"))).toBe(first);
    expect(statement(db, "b", build("b"))).toEqual({ shape: "b", n: 2 });
    expect(statement(other, "a", build("a"))).toEqual({ shape: "a", n: 3 });
    expect(statement(db, "a", build("a"))).toBe(first);
    expect(builds).toBe(3);
  });

  it("keeps at most `capacity` shapes, dropping the least recently used", () => {
    const memo = memoPerShape<string>(2);
    let builds = 0;
    const build = (shape: string) => () => `${shape}${++builds}`;
    memo("a", build("a"));
    memo("b", build("b"));
    memo("a", build("a")); // a is now the most recently used
    memo("c", build("c")); // drops b
    expect(memo("a", build("a"))).toBe("a1");
    expect(memo("b", build("b"))).toBe("b4");
    expect(builds).toBe(4);
  });
});
