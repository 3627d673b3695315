// This isolate's copies of versions (the catalog's, each product's), each usable for MEMO_MS without asking KV
// again (see catalog-cache.ts).

const MEMO_MS = 1000;

/** Versions by key, each remembered for a second; at most `capacity` keys (the least recently set go first). */
export class VersionMemo {
  private readonly memos = new Map<string, { version: number; until: number }>();

  constructor(private readonly capacity: number) {}

  /** Remembers `version` for a second, unless a higher one remembered here is still fresh. */
  remember(key: string, version: number): void {
    const now = Date.now();
    const known = this.memos.get(key);
    // Versions only grow: a reader that fetched the mirror just before a write here must not undo the write.
    if (known && known.until > now && known.version > version) return;
    this.memos.delete(key);
    this.memos.set(key, { version, until: now + MEMO_MS });
    for (const oldest of this.memos.keys()) {
      if (this.memos.size <= this.capacity) break;
      this.memos.delete(oldest);
    }
  }

  /** The version remembered under `key` if it is still fresh. */
  recall(key: string): number | undefined {
    const known = this.memos.get(key);
    return known && known.until > Date.now() ? known.version : undefined;
  }
}
