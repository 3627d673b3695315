import { currentContext } from "./context";

/** Rows D1 read and wrote for one unit of work (a request, an RPC call), from each statement's `meta`. */
export interface D1Tally {
  rowsRead: number;
  rowsWritten: number;
}

/**
 * A tally for a unit of work when the service's `D1_STATS` var is set (the bench sets it; it is empty in every
 * deployed environment, where nothing here runs): the request log and RPC lines then report `d1RowsRead`.
 */
export function d1TallyIf(enabled: unknown): D1Tally | undefined {
  return typeof enabled === "string" && enabled !== "" ? { rowsRead: 0, rowsWritten: 0 } : undefined;
}

/** The tally's fields for a log line (none without a tally). */
export function d1Fields(tally: D1Tally | undefined): Record<string, number> {
  return tally ? { d1RowsRead: tally.rowsRead, d1RowsWritten: tally.rowsWritten } : {};
}

function count(meta: D1Meta | undefined): void {
  const tally = currentContext().d1;
  if (!tally || !meta) return;
  tally.rowsRead += meta.rows_read;
  tally.rowsWritten += meta.rows_written;
}

// drizzle reads rows through `raw()`, which drops `meta`: it is answered from `all()` here, converted the way
// drizzle converts a batch's rows (column order, names unique in every statement it renders).
function rowsAsArrays(rows: Record<string, unknown>[]): unknown[][] {
  return rows.map((row) => Object.keys(row).map((key) => row[key]));
}

const inner = new WeakMap<object, D1PreparedStatement>();

function counting(statement: D1PreparedStatement): D1PreparedStatement {
  const wrapped = {
    bind: (...values: unknown[]) => counting(statement.bind(...values)),
    async all<T>() {
      const result = await statement.all<T>();
      count(result.meta);
      return result;
    },
    async run<T>() {
      const result = await statement.run<T>();
      count(result.meta);
      return result;
    },
    async first(column?: string) {
      const result = await statement.all<Record<string, unknown>>();
      count(result.meta);
      const row = result.results[0] ?? null;
      return column === undefined ? row : (row?.[column] ?? null);
    },
    async raw(options?: { columnNames?: boolean }) {
      if (options?.columnNames) return statement.raw({ columnNames: true });
      const result = await statement.all<Record<string, unknown>>();
      count(result.meta);
      return rowsAsArrays(result.results);
    },
  };
  inner.set(wrapped, statement);
  return wrapped as unknown as D1PreparedStatement;
}

const wrappers = new WeakMap<D1Database, D1Database>();

function countingDatabase(d1: D1Database): D1Database {
  let wrapped = wrappers.get(d1);
  if (!wrapped) {
    wrapped = {
      prepare: (query: string) => counting(d1.prepare(query)),
      async batch<T>(statements: D1PreparedStatement[]) {
        const results = await d1.batch<T>(statements.map((s) => inner.get(s) ?? s));
        for (const result of results) count(result.meta);
        return results;
      },
      exec: (query: string) => d1.exec(query),
      withSession: (constraint?: string) => d1.withSession(constraint),
      dump: () => d1.dump(),
    } as unknown as D1Database;
    wrappers.set(d1, wrapped);
  }
  return wrapped;
}

/**
 * `d1` itself, or, while the work in progress keeps a D1 tally (`D1_STATS` set), a stand-in that adds every
 * statement's rows read and written to it. See bench/README.md, "A large catalog".
 */
export function withD1Stats(d1: D1Database): D1Database {
  return currentContext().d1 ? countingDatabase(d1) : d1;
}
