// Product pictures: what products stores in R2 and the gateway serves at /media/<key>. Every key is content
// addressed (the SHA-256 of the uploaded original), so an object never changes once written.

/** The formats a picture may be uploaded in, by content type, with the extension of its original's key. */
export const IMAGE_FORMATS = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
} as const;
export type ImageContentType = keyof typeof IMAGE_FORMATS;

/** The widths of the WebP variants stored beside every original (`<sha256>-<width>.webp`). */
export const IMAGE_VARIANT_WIDTHS = [320, 960] as const;

/** Limits of an upload: its size in bytes and the longest side in pixels. */
export const ImageLimits = { bytes: 5 * 1024 * 1024, side: 8000 } as const;

/** A media object key: an original (`<sha256>.<jpg|png|webp>`) or a variant (`<sha256>-<320|960>.webp`). */
export const MEDIA_KEY_PATTERN = /^[0-9a-f]{64}(?:\.(?:jpg|png|webp)|-(?:320|960)\.webp)$/;

/** A picture URL as `product.images` holds it: the same-origin path of an original. */
export const MEDIA_URL_PATTERN = /^\/media\/[0-9a-f]{64}\.(?:jpg|png|webp)$/;

/** The public path of a media object. */
export function mediaUrl(key: string): string {
  return `/media/${key}`;
}

/** The key of a picture's original. */
export function originalKey(hash: string, contentType: ImageContentType): string {
  return `${hash}.${IMAGE_FORMATS[contentType]}`;
}

/** The key of a picture's WebP variant `width` pixels wide. */
export function variantKey(hash: string, width: number): string {
  return `${hash}-${width}.webp`;
}
