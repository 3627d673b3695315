/**
 * A memo of statements per database handle and per query shape: `statement(db, shape, build)` runs `build` the
 * first time this isolate meets `shape` on `db`, then hands back what it built. For drizzle prepared statements,
 * whose values are placeholders: drizzle renders a query builder's SQL again on every run (~45 µs per statement
 * here, more than SQLite needs to answer a 20-row page), a prepared one only binds its values. `build` must
 * depend on nothing but the shape; the shapes must be few (a handful of optional filters and sort orders).
 */
export function preparedPerShape<Handle extends object, Built>(): (
  handle: Handle,
  shape: string,
  build: () => Built,
) => Built {
  const byHandle = new WeakMap<Handle, Map<string, Built>>();
  return (handle, shape, build) => {
    let shapes = byHandle.get(handle);
    if (!shapes) {
      shapes = new Map();
      byHandle.set(handle, shapes);
    }
    let built = shapes.get(shape);
    if (built === undefined) {
      built = build();
      shapes.set(shape, built);
    }
    return built;
  };
}
