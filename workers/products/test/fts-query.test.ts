import { describe, expect, it } from "vitest";
import { toFtsQuery } from "../src/search/fts-query";

describe("toFtsQuery", () => {
  it("quotes every word and prefix-matches the last", () => {
    expect(toFtsQuery("wireless head")).toEqual({ kind: "match", expression: '"wireless" "head"*' });
  });

  it("keeps operators, quotes and SQL as plain words", () => {
    expect(toFtsQuery("' OR 1=1 --")).toEqual({ kind: "match", expression: '"OR" "1" "1"*' });
    expect(toFtsQuery('"unbalanced (')).toEqual({ kind: "match", expression: '"unbalanced"*' });
    expect(toFtsQuery("NEAR(a b)")).toEqual({ kind: "match", expression: '"NEAR" "a" "b"*' });
    expect(toFtsQuery("name:phone ^x NOT y")).toEqual({
      kind: "match",
      expression: '"name" "phone" "x" "NOT" "y"*',
    });
  });

  it("tells no search from a search with no words", () => {
    expect(toFtsQuery(undefined)).toEqual({ kind: "none" });
    expect(toFtsQuery("   ")).toEqual({ kind: "none" });
    expect(toFtsQuery("*")).toEqual({ kind: "empty" });
    expect(toFtsQuery('"" () -- ;')).toEqual({ kind: "empty" });
  });

  it("keeps letters of any script and caps the number of terms", () => {
    expect(toFtsQuery("Café crème")).toEqual({ kind: "match", expression: '"Café" "crème"*' });
    const many = toFtsQuery(Array.from({ length: 30 }, (_, i) => `w${i}`).join(" "));
    expect(many.kind === "match" && many.expression.split(" ").length).toBe(12);
  });
});
