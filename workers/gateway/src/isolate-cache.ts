const MAX_KEYS = 16;

/**
 * One value per key, computed at most once per `ttlMs` in this isolate; callers that miss together share one
 * computation. Only plain data may be kept (a Response or a stream cannot cross requests). `keep` says whether a
 * computed value may be cached (a partial answer is served but computed again next time).
 */
export function isolateCache<T>(ttlMs: number, keep: (value: T) => boolean = () => true) {
  const entries = new Map<string, { at: number; value: T }>();
  const pending = new Map<string, Promise<T>>();
  return {
    get(key: string, compute: () => Promise<T>): Promise<T> {
      const entry = entries.get(key);
      if (entry && Date.now() - entry.at < ttlMs) return Promise.resolve(entry.value);
      let computing = pending.get(key);
      if (!computing) {
        computing = compute()
          .then((value) => {
            // Keys come from requests (an origin): bounded, so made-up ones cannot grow the isolate's memory.
            if (entries.size >= MAX_KEYS) entries.clear();
            if (keep(value)) entries.set(key, { at: Date.now(), value });
            return value;
          })
          .finally(() => pending.delete(key));
        pending.set(key, computing);
      }
      return computing;
    },
    /** Forgets every entry (tests change what a value depends on between cases). */
    clear(): void {
      entries.clear();
    },
  };
}
