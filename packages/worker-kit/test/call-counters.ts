/**
 * Test support: bindings that count the calls made through them, so a test can pin how many platform calls a
 * code path makes (never how long they take). Through the D1 binding, a statement run on its own counts as a
 * read (SELECT) or a write; a `batch()` counts once, however many statements it holds.
 */
export interface D1Calls {
  reads: number;
  writes: number;
  batches: number;
  /** The SQL of every statement run on its own, and `batch(n)` per batch, in order. */
  log: string[];
}

const REAL = Symbol("real statement");

type Counted = D1PreparedStatement & { [REAL]: D1PreparedStatement };

function counted(real: D1PreparedStatement, sql: string, calls: D1Calls): Counted {
  const note = () => {
    if (/^\s*select\b/i.test(sql)) calls.reads++;
    else calls.writes++;
    calls.log.push(sql);
  };
  const statement = {
    [REAL]: real,
    bind: (...values: unknown[]) => counted(real.bind(...values), sql, calls),
    first: (column?: string) => {
      note();
      return column === undefined ? real.first() : real.first(column);
    },
    run: () => {
      note();
      return real.run();
    },
    all: () => {
      note();
      return real.all();
    },
    raw: (options?: { columnNames?: boolean }) => {
      note();
      return options?.columnNames ? real.raw({ columnNames: true }) : real.raw();
    },
  };
  return statement as unknown as Counted;
}

/** Wraps a D1 binding; `calls` grows with every round trip made through the wrapper. */
export function countingD1(d1: D1Database): { d1: D1Database; calls: D1Calls; reset(): void } {
  const calls: D1Calls = { reads: 0, writes: 0, batches: 0, log: [] };
  const wrapper = {
    prepare: (sql: string) => counted(d1.prepare(sql), sql, calls),
    batch: (statements: Counted[]) => {
      calls.batches++;
      calls.log.push(`batch(${statements.length})`);
      return d1.batch(statements.map((s) => s[REAL]));
    },
    exec: (sql: string) => {
      calls.writes++;
      calls.log.push(sql);
      return d1.exec(sql);
    },
    // A session's calls are counted with the binding's (a request's reads and writes, replicas or not).
    withSession: (constraint?: string) => {
      const session = d1.withSession(constraint);
      return {
        prepare: (sql: string) => counted(session.prepare(sql), sql, calls),
        batch: (statements: Counted[]) => {
          calls.batches++;
          calls.log.push(`batch(${statements.length})`);
          return session.batch(statements.map((s) => s[REAL]));
        },
        getBookmark: () => session.getBookmark(),
      };
    },
    dump: () => d1.dump(),
  };
  return {
    d1: wrapper as unknown as D1Database,
    calls,
    reset() {
      calls.reads = 0;
      calls.writes = 0;
      calls.batches = 0;
      calls.log.length = 0;
    },
  };
}

/** A queue binding that counts its sends (keeping each body) and forwards them to the real queue. */
export function countingQueue(queue: Queue): { queue: Queue; sent: unknown[] } {
  const sent: unknown[] = [];
  const wrapper = {
    send: (body: unknown, options?: QueueSendOptions) => {
      sent.push(body);
      return queue.send(body, options);
    },
    sendBatch: () => Promise.reject(new Error("not expected")),
  };
  return { queue: wrapper as unknown as Queue, sent };
}
