import { type ImageContentType, variantKey } from "@edge-shop/contracts";
import type { Variant } from "./render";

const IMMUTABLE = "public, max-age=31536000, immutable";

/** A picture ready to store: its original and the variants rendered from it. */
export interface Picture {
  hash: string;
  key: string;
  type: ImageContentType;
  bytes: Uint8Array<ArrayBuffer>;
  variants: Variant[];
}

/** Writes a picture's original and its variants to R2 (writing them again writes the same bytes). */
export async function storeObjects(bucket: R2Bucket, picture: Picture): Promise<void> {
  await Promise.all([
    bucket.put(picture.key, picture.bytes, {
      httpMetadata: { contentType: picture.type, cacheControl: IMMUTABLE },
      // R2 refuses the write if the bytes it received are not the ones hashed.
      sha256: picture.hash,
    }),
    ...picture.variants.map((variant) =>
      bucket.put(variantKey(picture.hash, variant.width), variant.bytes, {
        httpMetadata: { contentType: "image/webp", cacheControl: IMMUTABLE },
      }),
    ),
  ]);
}
