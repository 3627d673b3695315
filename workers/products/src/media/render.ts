import { IMAGE_VARIANT_WIDTHS, type ImageContentType, ImageLimits } from "@edge-shop/contracts";
import { AppError, log } from "@edge-shop/worker-kit";
import { unsupported } from "./upload-body";

/** A WebP variant of a picture, `width` pixels wide at most (a smaller original is never enlarged). */
export interface Variant {
  width: number;
  bytes: Uint8Array<ArrayBuffer>;
}

const stream = (bytes: Uint8Array<ArrayBuffer>) => new Blob([bytes]).stream();

// The binding's errors carry internal detail (locally a Node stack trace): logged, never sent.
function undecodable(step: string, error: unknown): AppError {
  log("info", "image refused", { step, error: error instanceof Error ? error.message.slice(0, 200) : "?" });
  return unsupported("The file is not a decodable image");
}

/**
 * Decodes an upload with the Images binding and renders its variants: the decoded format must be the one the
 * bytes announce, each side at most `ImageLimits.side` pixels, and the whole image must decode (a truncated
 * file fails here). Nothing is stored: a refusal leaves no trace.
 */
export async function renderVariants(
  images: ImagesBinding,
  bytes: Uint8Array<ArrayBuffer>,
  type: ImageContentType,
): Promise<Variant[]> {
  let info: ImageInfoResponse;
  try {
    info = await images.info(stream(bytes));
  } catch (error) {
    throw undecodable("info", error);
  }
  if (info.format !== type || !("width" in info)) {
    throw unsupported(`The file decodes as ${info.format.slice(0, 50)}, not ${type}`);
  }
  if (info.width > ImageLimits.side || info.height > ImageLimits.side) {
    throw new AppError(
      422,
      "image_too_large",
      `The image is ${info.width}×${info.height} pixels; at most ${ImageLimits.side} a side`,
    );
  }
  try {
    return await Promise.all(
      IMAGE_VARIANT_WIDTHS.map(async (width) => {
        const output = await images
          .input(stream(bytes))
          .transform({ width, fit: "scale-down" })
          .output({ format: "image/webp" });
        return { width, bytes: new Uint8Array(await output.response().arrayBuffer()) };
      }),
    );
  } catch (error) {
    throw undecodable("transform", error);
  }
}
