import { type ImageContentType, mediaUrl, originalKey, ProductLimits } from "@edge-shop/contracts";
import { AppError, errors } from "@edge-shop/worker-kit";
import type { Db } from "../db/client";
import { claimMedia, findMedia, markStored } from "../db/queries/media";
import { appendImage } from "../db/queries/product-images";
import { findProduct, type WriteResult } from "../db/queries/products";
import { renderVariants } from "./render";
import { storeObjects } from "./store";
import { sniff, unsupported } from "./upload-body";

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

const full = () =>
  new AppError(409, "too_many_images", `A product has at most ${ProductLimits.images} pictures`);

// The sweep is deleting this very picture's objects (it was unreferenced for an hour): try again once it is done.
const sweeping = () =>
  new AppError(503, "picture_being_deleted", "This picture is being deleted; upload it again in a moment", {
    headers: { "Retry-After": "5" },
  });

/**
 * Adds an uploaded picture to a product. The bytes must be the declared format (magic bytes), decode as it with
 * the Images binding, and fit the limits; then the original and its WebP variants go to R2 under content-addressed
 * keys and the product shows it last. The same bytes again store nothing (their hash is known) and change
 * nothing if the product already shows them. Nothing is stored for a refused upload.
 */
export async function uploadImage(
  env: Env,
  db: Db,
  productId: string,
  type: ImageContentType,
  bytes: Uint8Array<ArrayBuffer>,
  now: Date,
): Promise<WriteResult> {
  if (bytes.byteLength === 0) throw unsupported("The body is empty");
  if (sniff(bytes) !== type) throw unsupported(`The bytes are not ${type}`);
  const product = await findProduct(db, productId);
  if (!product) throw errors.notFound("Product");
  const hash = await sha256Hex(bytes);
  const key = originalKey(hash, type);
  const url = mediaUrl(key);
  const unchanged = { product, listVersion: undefined, products: [] };
  if (product.images.includes(url)) return unchanged;
  if (product.images.length >= ProductLimits.images) throw full();

  const known = await findMedia(db, hash);
  if (known?.deleting) throw sweeping();
  if (!known?.stored) {
    const variants = await renderVariants(env.IMAGES, bytes, type);
    await claimMedia(db, hash, key, now);
    await storeObjects(env.MEDIA, { hash, key, type, bytes, variants });
    await markStored(db, hash);
  }
  const write = await appendImage(db, productId, { hash, url }, now);
  if (write.product) return write;
  // Nothing was appended: something changed since the product was read.
  const current = await findProduct(db, productId);
  if (!current) throw errors.notFound("Product");
  if (current.images.includes(url)) return { ...unchanged, product: current };
  if (current.images.length >= ProductLimits.images) throw full();
  throw sweeping();
}
