import { env } from "cloudflare:workers";
import type { Identity, Product } from "@edge-shop/contracts";
import { makePng, randomRgb } from "../../../packages/worker-kit/testing/png";
import { admin, call } from "./helpers";

/** A PNG no other test uploaded. */
export const freshPng = (width = 40, height = 30) => makePng(width, height, randomRgb(), randomRgb());

/** The same picture converted by the Images binding (a real JPEG or WebP file). */
export async function converted(png: Uint8Array<ArrayBuffer>, format: "image/jpeg" | "image/webp") {
  const output = await env.IMAGES.input(new Blob([png]).stream()).output({ format });
  return new Uint8Array(await output.response().arrayBuffer());
}

/** POST /api/products/:id/images as the gateway forwards it. */
export function upload(id: string, body: BodyInit, type = "image/png", as: Identity | null = admin) {
  const headers = type ? { "content-type": type } : undefined;
  return call(`/api/products/${id}/images`, { method: "POST", as: as ?? undefined, headers, body });
}

/** An upload that must answer 201; its product. */
export async function uploaded(id: string, body: BodyInit, type = "image/png"): Promise<Product> {
  const response = await upload(id, body, type);
  if (response.status !== 201)
    throw new Error(`upload answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { product: Product }).product;
}

/** The keys of every object stored under a picture's hash (its original and variants). */
export async function objectsOf(url: string): Promise<string[]> {
  const hash = url.slice("/media/".length, "/media/".length + 64);
  const listed = await env.MEDIA.list({ prefix: hash });
  return listed.objects.map((o) => o.key).sort();
}
