// Shapes kept per handle: a client can vary a query's shape (a price range's bands), so the memo must not grow
// without bound; past it, the least recently used shape is built again when it comes back.
const MAX_SHAPES = 256;

/**
 * A memo of statements per database handle and query shape: `statement(db, shape, build)` runs `build` the first
 * time this isolate meets `shape` on `db`, then hands back what it built (drizzle prepared statements, which only
 * bind their values). `build` must depend on nothing but the shape. At most `capacity` shapes per handle are kept
 * (the least recently used go first). See docs/architecture.md, "Catalog and search".
 */
export function preparedPerShape<Handle extends object, Built>(
  capacity = MAX_SHAPES,
): (handle: Handle, shape: string, build: () => Built) => Built {
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
    } else {
      shapes.delete(shape);
    }
    shapes.set(shape, built);
    for (const oldest of shapes.keys()) {
      if (shapes.size <= capacity) break;
      shapes.delete(oldest);
    }
    return built;
  };
}
