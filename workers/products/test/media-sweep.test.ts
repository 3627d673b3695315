import { env } from "cloudflare:workers";
import type { Product } from "@edge-shop/contracts";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { database } from "../src/db/client";
import { media } from "../src/db/schema";
import { SWEEP_GRACE_MS, sweepMedia } from "../src/media/sweep";
import { admin, call, insertProducts, send } from "./helpers";
import { freshPng, objectsOf, upload, uploaded } from "./images";

const later = (ms: number) => new Date(Date.now() + ms);
const removeFirst = (id: string) => call(`/api/products/${id}/images/0`, { method: "DELETE", as: admin });

describe("the media sweep", () => {
  it("deletes a removed picture's objects once unreferenced for the grace period, and keeps shown ones", async () => {
    const [p] = (await insertProducts([{ name: "Swept" }])) as [Product];
    const [removed = ""] = (await uploaded(p.id, await freshPng())).images;
    const kept = (await uploaded(p.id, await freshPng())).images[1] ?? "";
    expect((await removeFirst(p.id)).status).toBe(200);
    await sweepMedia(env, later(0));
    expect(await objectsOf(removed)).toHaveLength(3);
    await sweepMedia(env, later(SWEEP_GRACE_MS + 60_000));
    expect(await objectsOf(removed)).toEqual([]);
    expect(await objectsOf(kept)).toHaveLength(3);
    const row = await database(env.DB)
      .select()
      .from(media)
      .where(eq(media.key, removed.slice(7)))
      .get();
    expect(row).toBeUndefined();
  });

  it("keeps a picture another product (even a deactivated one) still shows", async () => {
    const [a, b] = (await insertProducts([{ name: "A" }, { name: "B" }])) as [Product, Product];
    const png = await freshPng();
    const [url = ""] = (await uploaded(a.id, png)).images;
    await uploaded(b.id, png);
    expect((await send("DELETE", `/api/products/${b.id}`, undefined)).status).toBe(204);
    expect((await removeFirst(a.id)).status).toBe(200);
    await sweepMedia(env, later(0));
    await sweepMedia(env, later(SWEEP_GRACE_MS + 60_000));
    expect(await objectsOf(url)).toHaveLength(3);
  });

  it("a picture uploaded again after its release is kept, and one uploaded after its deletion is stored anew", async () => {
    const [p] = (await insertProducts([{ name: "Back" }])) as [Product];
    const png = await freshPng();
    const [url = ""] = (await uploaded(p.id, png)).images;
    await removeFirst(p.id);
    await sweepMedia(env, later(0));
    await uploaded(p.id, png);
    await sweepMedia(env, later(SWEEP_GRACE_MS + 60_000));
    expect(await objectsOf(url)).toHaveLength(3);
    await removeFirst(p.id);
    await sweepMedia(env, later(0));
    await sweepMedia(env, later(SWEEP_GRACE_MS + 60_000));
    expect(await objectsOf(url)).toEqual([]);
    expect((await uploaded(p.id, png)).images).toEqual([url]);
    expect(await objectsOf(url)).toHaveLength(3);
  });

  it("answers 503 to an upload of a picture the sweep is deleting, and finishes an interrupted deletion", async () => {
    const [p] = (await insertProducts([{ name: "Busy" }])) as [Product];
    const png = await freshPng();
    const [url = ""] = (await uploaded(p.id, png)).images;
    await removeFirst(p.id);
    // As if a sweep had claimed the picture and stopped before deleting anything.
    await database(env.DB)
      .update(media)
      .set({ deleting: true })
      .where(eq(media.key, url.slice(7)));
    const busy = await upload(p.id, png);
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("5");
    await sweepMedia(env, later(0));
    expect(await objectsOf(url)).toEqual([]);
    expect((await uploaded(p.id, png)).images).toEqual([url]);
  });

  it("sweeps the objects of an upload that died before any product showed them", async () => {
    const png = await freshPng();
    const [p] = (await insertProducts([{ name: "Died" }])) as [Product];
    const [url = ""] = (await uploaded(p.id, png)).images;
    // As if the upload had stored its objects and never reached the product: no product shows the picture.
    await send("PATCH", `/api/products/${p.id}`, { images: [] });
    await sweepMedia(env, later(SWEEP_GRACE_MS / 2));
    expect(await objectsOf(url)).toHaveLength(3);
    await sweepMedia(env, later(2 * SWEEP_GRACE_MS));
    expect(await objectsOf(url)).toEqual([]);
  });
});
