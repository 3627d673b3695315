import { describe, expect, it } from "vitest";
import { preparedPerShape } from "../src/prepared";

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

  it("keeps at most `capacity` shapes per handle, dropping the least recently used", () => {
    const statement = preparedPerShape<object, string>(2);
    const db = {};
    let builds = 0;
    const build = (shape: string) => () => `${shape}${++builds}`;
    statement(db, "a", build("a"));
    statement(db, "b", build("b"));
    statement(db, "a", build("a")); // a is now the most recently used
    statement(db, "c", build("c")); // drops b
    expect(statement(db, "a", build("a"))).toBe("a1");
    expect(statement(db, "b", build("b"))).toBe("b4");
    expect(builds).toBe(4);
  });
});
