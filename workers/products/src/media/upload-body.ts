import { IMAGE_FORMATS, type ImageContentType, ImageLimits } from "@edge-shop/contracts";
import { AppError } from "@edge-shop/worker-kit";

const ACCEPTED = Object.keys(IMAGE_FORMATS).join(", ");

/** A 415 problem: what was sent is not one of the accepted image formats (`detail` never echoes the bytes). */
export function unsupported(detail: string): AppError {
  return new AppError(415, "unsupported_media_type", `${detail}; accepted: ${ACCEPTED}`);
}

function tooLarge(): AppError {
  return new AppError(413, "payload_too_large", `The image is larger than ${ImageLimits.bytes} bytes`);
}

/** The upload's declared content type, when it is one of the accepted formats (parameters ignored). */
export function declaredType(header: string | undefined): ImageContentType {
  const type = (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type in IMAGE_FORMATS) return type as ImageContentType;
  throw unsupported(
    `Content-Type ${type ? `"${type.slice(0, 100)}"` : "missing"} is not an accepted image type`,
  );
}

/** The format the first bytes announce (JPEG SOI, the PNG signature, a RIFF…WEBP header), if any. */
export function sniff(bytes: Uint8Array): ImageContentType | undefined {
  const at = (offset: number, ...expected: number[]) => expected.every((b, i) => bytes[offset + i] === b);
  if (at(0, 0xff, 0xd8, 0xff)) return "image/jpeg";
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return "image/webp";
  return undefined;
}

/**
 * The request's body, at most `ImageLimits.bytes`: a declared length over the limit is refused before reading,
 * and a body without one is read only until it passes the limit.
 */
export async function readImageBody(request: Request): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > ImageLimits.bytes) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > ImageLimits.bytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
