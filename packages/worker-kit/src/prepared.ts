// Shapes kept: a client can vary a query's shape (a price range's bands), so a memo must not grow without bound;
// past it, the least recently used shape is built again when it comes back.
const MAX_SHAPES = 256;

/**
 * A memo by query shape: `memo(shape, build)` runs `build` the first time this isolate meets `shape`, then hands
 * back what it built. `build` must depend on nothing but the shape. At most `capacity` shapes are kept (the least
 * recently used go first).
 */
export function memoPerShape<Built>(capacity = MAX_SHAPES): (shape: string, build: () => Built) => Built {
  const shapes = new Map<string, Built>();
  return (shape, build) => {
    let built = shapes.get(shape);
    if (built === undefined) built = build();
    else shapes.delete(shape);
    shapes.set(shape, built);
    for (const oldest of shapes.keys()) {
      if (shapes.size <= capacity) break;
      shapes.delete(oldest);
    }
    return built;
  };
}

/**
 * A memo of statements per database handle and query shape: `statement(db, shape, build)` runs `build` the first
 * time this isolate meets `shape` on `db`, then hands back what it built (drizzle prepared statements, which only
 * bind their values). As `memoPerShape`, per handle. See docs/architecture.md, "Catalog and search".
 */
export function preparedPerShape<Handle extends object, Built>(
  capacity = MAX_SHAPES,
): (handle: Handle, shape: string, build: () => Built) => Built {
  const byHandle = new WeakMap<Handle, (shape: string, build: () => Built) => Built>();
  return (handle, shape, build) => {
    let memo = byHandle.get(handle);
    if (!memo) {
      memo = memoPerShape<Built>(capacity);
      byHandle.set(handle, memo);
    }
    return memo(shape, build);
  };
}
