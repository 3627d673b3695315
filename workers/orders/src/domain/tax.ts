import type { Db } from "../db/client";
import { taxRates } from "../db/schema";

/** How long an isolate keeps the tax table: a changed rate applies to new orders within this time. */
const TAX_TABLE_TTL_MS = 60_000;

let cached: { rates: Map<string, number>; until: number } | undefined;

/**
 * The destination's tax rate in basis points (0 for a country not in the table, or none). The table is small
 * and rarely changes: one read per isolate a minute, so an order pays no D1 round trip for its tax.
 */
export async function taxRateOf(db: Db, country: string | null, now = Date.now()): Promise<number> {
  if (!cached || cached.until <= now) {
    const rows = await db.select({ country: taxRates.country, rateBp: taxRates.rateBp }).from(taxRates);
    cached = { rates: new Map(rows.map((r) => [r.country, r.rateBp])), until: now + TAX_TABLE_TTL_MS };
  }
  return country === null ? 0 : (cached.rates.get(country) ?? 0);
}
