import { and, eq, inArray, isNotNull, isNull, lt, not, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client";
import { media, products } from "../schema";

export type MediaRow = typeof media.$inferSelect;

/** Whether some product (active or not) shows the picture whose original is `key`. */
export function isReferenced(key: SQL | typeof media.key): SQL {
  return sql`EXISTS (SELECT 1 FROM ${products}, json_each(${products.images}) AS shown
    WHERE shown.value = '/media/' || ${key})`;
}

/** A picture's row, if it was ever stored. */
export async function findMedia(db: Db, hash: string): Promise<MediaRow | undefined> {
  return db.select().from(media).where(eq(media.hash, hash)).get();
}

/**
 * Records a picture before its objects are written (unreferenced since `now`), so that objects left by an upload
 * that dies half way are swept like any other unreferenced picture. A row that exists is left as it is.
 */
export async function claimMedia(db: Db, hash: string, key: string, now: Date): Promise<void> {
  await db.insert(media).values({ hash, key, createdAt: now, releasedAt: now }).onConflictDoNothing();
}

/** Every object of the picture is in R2. */
export async function markStored(db: Db, hash: string): Promise<void> {
  await db.update(media).set({ stored: true }).where(eq(media.hash, hash));
}

/**
 * Notes when pictures lost their last reference (and forgets it for those referenced again): the sweep deletes
 * a picture only once it has been unreferenced for its grace period.
 */
export async function noteReleases(db: Db, now: Date): Promise<void> {
  await db.batch([
    db
      .update(media)
      .set({ releasedAt: now })
      .where(and(isNull(media.releasedAt), not(isReferenced(media.key)))),
    db
      .update(media)
      .set({ releasedAt: null })
      .where(and(isNotNull(media.releasedAt), eq(media.deleting, false), isReferenced(media.key))),
  ]);
}

/**
 * Marks for deletion (at most `limit`) the pictures unreferenced since before `cutoff`, and answers them with
 * those whose deletion was interrupted: from here on an upload of the same bytes waits until the rows are gone.
 */
export async function claimForDeletion(db: Db, cutoff: Date, limit: number): Promise<MediaRow[]> {
  const due = db
    .select({ hash: media.hash })
    .from(media)
    .where(or(eq(media.deleting, true), and(lt(media.releasedAt, cutoff), not(isReferenced(media.key)))))
    .limit(limit);
  return db.update(media).set({ deleting: true }).where(inArray(media.hash, due)).returning();
}

/** Forgets pictures whose objects the sweep has deleted. */
export async function forgetMedia(db: Db, hashes: string[]): Promise<void> {
  if (hashes.length === 0) return;
  await db.delete(media).where(and(inArray(media.hash, hashes), eq(media.deleting, true)));
}
