import { CatalogLimits, type ProductListQuery } from "@edge-shop/contracts";
import { errors } from "@edge-shop/worker-kit";
import type { ListShape } from "../db/queries/list-sql";
import { type CursorSort, decodeCursor, type Position } from "./cursor";
import { type Band, boundsSpan, cutBands } from "./price-bands";

/** `list`: no search; `ranked`: a search by relevance; `sorted`: a search sorted by a field. */
export type ListMode = "list" | "ranked" | "sorted";

/** What one list request reads: its statement's shape, where its page starts and how many rows it asks for. */
export interface PagePlan {
  mode: ListMode;
  shape: ListShape;
  /** The sort a cursor follows (none for relevance). */
  sort: CursorSort | undefined;
  position: Position | undefined;
  offset: number;
  /** Products the page shows at most. */
  size: number;
  /** Results that `page` numbers reach (the first of the list, the ranked candidates, the scope's matches). */
  reach: number;
  /** The page lies past what page numbers reach: only the totals are read. */
  beyondReach: boolean;
  /**
   * A price range under another sort: past the window its page is a walk of price bands (price-bands.ts), cut
   * from its bounds and read by the page statement itself (`bounds`), or cut to where its rows are by a second
   * statement (`span`). None for other lists.
   */
  bandsFrom: "bounds" | "span" | undefined;
  /** The bands cut from the bounds (`bandsFrom: "bounds"`). */
  bands: Band[];
}

// A range whose bounds cut into this many bands or fewer has its bands' walk in its page statement: compiling a
// few walks costs less than a second statement. See docs/architecture.md, "Catalog and search".
const BANDS_IN_PAGE = 4;

function reachOf(mode: ListMode): number {
  if (mode === "ranked") return CatalogLimits.ranked;
  if (mode === "sorted") return CatalogLimits.searchScope;
  return CatalogLimits.window;
}

/** The plan of a validated list query (`searching`: it has search words; relevance when it has no `sortBy`). */
export function planPage(query: ProductListQuery, searching: boolean): PagePlan {
  const mode: ListMode = !searching ? "list" : query.sortBy ? "sorted" : "ranked";
  const sort: CursorSort | undefined =
    mode === "ranked" ? undefined : { sortBy: query.sortBy ?? "createdAt", sortOrder: query.sortOrder };
  if (query.cursor !== undefined) {
    if (!sort) throw errors.validation([{ path: "cursor", message: "A search by relevance has no cursors" }]);
    if (query.page !== 1) throw errors.validation([{ path: "page", message: "Use either page or cursor" }]);
  }
  const position = query.cursor !== undefined && sort ? decodeCursor(query.cursor, sort) : undefined;
  const reach = reachOf(mode);
  const offset = position ? 0 : (query.page - 1) * query.limit;
  // Page numbers stop at the reach (a page across it is cut there); a cursor goes on past it in a list.
  const size = position && mode === "list" ? query.limit : Math.max(0, Math.min(query.limit, reach - offset));
  const priced = query.minPrice !== undefined || query.maxPrice !== undefined;
  const banded = mode === "list" && priced && sort?.sortBy !== "price";
  const cut = banded ? cutBands(boundsSpan(query.minPrice, query.maxPrice)) : [];
  const bands = cut.length <= BANDS_IN_PAGE ? cut : [];
  return {
    mode,
    shape: {
      includeInactive: query.includeInactive,
      category: query.category !== undefined,
      minPrice: query.minPrice !== undefined,
      maxPrice: query.maxPrice !== undefined,
      sortBy: sort?.sortBy ?? "createdAt",
      sortOrder: sort?.sortOrder ?? "asc",
      cursor: position !== undefined,
      bands: bands.length > 0 ? bands.map((band) => band.level) : undefined,
    },
    sort,
    position,
    offset,
    size,
    reach,
    beyondReach: size === 0,
    bandsFrom: !banded ? undefined : bands.length > 0 ? "bounds" : "span",
    bands,
  };
}
