/** D1 binds at most this many parameters in one statement: longer `IN (…)` lists go in several statements. */
export const D1_MAX_BOUND_PARAMETERS = 100;

/** `items` cut into consecutive runs of at most `size` (the last one shorter); none for an empty list. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
