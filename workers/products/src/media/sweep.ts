import { IMAGE_VARIANT_WIDTHS, variantKey } from "@edge-shop/contracts";
import { log } from "@edge-shop/worker-kit";
import { database } from "../db/client";
import { claimForDeletion, forgetMedia, noteReleases } from "../db/queries/media";

/** How long a picture stays after its last product stopped showing it (an upload in flight is never swept). */
export const SWEEP_GRACE_MS = 60 * 60 * 1000;
// R2 deletes at most 1,000 keys per call: 3 objects per picture.
const PICTURES_PER_ROUND = 300;

/**
 * The scheduled sweep: notes which pictures no product shows any more, then deletes the objects (original and
 * variants) of those unreferenced for longer than the grace period, and forgets them. Answers how many it deleted.
 */
export async function sweepMedia(env: Env, now: Date): Promise<number> {
  const db = database(env.DB);
  await noteReleases(db, now);
  const cutoff = new Date(now.getTime() - SWEEP_GRACE_MS);
  let deleted = 0;
  for (;;) {
    const due = await claimForDeletion(db, cutoff, PICTURES_PER_ROUND);
    if (due.length === 0) break;
    const keys = due.flatMap((row) => [row.key, ...IMAGE_VARIANT_WIDTHS.map((w) => variantKey(row.hash, w))]);
    await env.MEDIA.delete(keys);
    await forgetMedia(
      db,
      due.map((row) => row.hash),
    );
    deleted += due.length;
    if (due.length < PICTURES_PER_ROUND) break;
  }
  if (deleted > 0) log("info", "media sweep", { deleted });
  return deleted;
}
