/**
 * A memo of statements per database handle and query shape: `statement(db, shape, build)` runs `build` the first
 * time this isolate meets `shape` on `db`, then hands back what it built (drizzle prepared statements, which only
 * bind their values). `build` must depend on nothing but the shape; the shapes must be few.
 * See docs/architecture.md, "Catalog and search".
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
