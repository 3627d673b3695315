// Turns free text into an FTS5 MATCH expression that can only ever mean "documents containing these words".
// Only runs of letters, digits and combining marks survive (what the unicode61 tokenizer would index anyway),
// each is wrapped in double quotes (so OR, NOT, NEAR, column filters, `*` and `^` are plain words), and the
// last one gets a prefix `*` outside its quotes so a search box finds "head" → "headphones".
// Nothing else of the input is kept, so quotes, parentheses and SQL fragments cannot change the query.

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const MAX_TERMS = 12;

export type FtsQuery = { kind: "none" } | { kind: "empty" } | { kind: "match"; expression: string };

/** `none`: no search was asked for; `empty`: one was, but it has no searchable word (matches nothing). */
export function toFtsQuery(input: string | undefined): FtsQuery {
  if (input === undefined || input.trim() === "") return { kind: "none" };
  const words = (input.normalize("NFKC").match(WORD) ?? []).slice(0, MAX_TERMS);
  if (words.length === 0) return { kind: "empty" };
  const last = words.length - 1;
  const terms = words.map((word, i) => (i === last ? `"${word}"*` : `"${word}"`));
  return { kind: "match", expression: terms.join(" ") };
}
