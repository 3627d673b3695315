// Product pictures: each original `/media/<sha256>.<ext>` has WebP variants 320 and 960 pixels wide
// (`/media/<sha256>-320.webp`, `-960.webp`); pages show the variants through srcset, lazily, in a fixed-ratio box
// (width and height set, the picture fitted inside) so nothing moves while they load.
import { h } from "./ui.js";

/** The variant URLs of a picture URL of `product.images`. */
export function variantsOf(url) {
  const base = url.replace(/\.(jpg|png|webp)$/, "");
  return { small: `${base}-320.webp`, large: `${base}-960.webp` };
}

/**
 * An <img> of a product picture: `sizes` tells the browser how wide it is shown, `large` picks the 960 variant
 * as the fallback `src`; the box is 4:3 (`width`/`height`), the picture fitted inside.
 */
export function pictureOf(url, { alt, sizes, large = false, className = "picture", eager = false }) {
  const { small, large: wide } = variantsOf(url);
  return h("img", {
    class: className,
    src: large ? wide : small,
    srcset: `${small} 320w, ${wide} 960w`,
    sizes,
    alt,
    width: large ? 960 : 320,
    height: large ? 720 : 240,
    loading: eager ? "eager" : "lazy",
    decoding: "async",
  });
}
