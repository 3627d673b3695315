import { AppError } from "@edge-shop/worker-kit";

/** Webhooks signed longer ago (or further ahead) than this are refused, so a captured one cannot be replayed. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;
export const SIGNATURE_HEADER = "payment-signature";

const invalid = (detail: string) => new AppError(401, "invalid_signature", detail);

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> | null {
  if (!/^(?:[0-9a-f]{2})+$/i.test(hex)) return null;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** Parses `t=<unix seconds>,v1=<hex>[,v1=<hex>…]` (several v1 while a secret is being rotated). */
export function parseSignatureHeader(
  header: string,
): { timestamp: number; signatures: Uint8Array<ArrayBuffer>[] } | null {
  let timestamp: number | null = null;
  const signatures: Uint8Array<ArrayBuffer>[] = [];
  for (const part of header.split(",")) {
    const [name, value = ""] = part.trim().split("=", 2);
    if (name === "t" && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (name === "v1") {
      const bytes = hexToBytes(value);
      if (bytes) signatures.push(bytes);
    }
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

/**
 * Checks `Payment-Signature` over `<t>.<raw body>` with HMAC-SHA256. `crypto.subtle.verify` compares in
 * constant time. Throws a 401 problem for a missing, malformed, stale or wrong signature.
 */
export async function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  rawBody: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<void> {
  if (!header) throw invalid("The Payment-Signature header is missing");
  const parsed = parseSignatureHeader(header);
  if (!parsed) throw invalid("The Payment-Signature header is malformed");
  if (Math.abs(nowSeconds - parsed.timestamp) > WEBHOOK_TOLERANCE_SECONDS) {
    throw new AppError(401, "stale_signature", "The webhook timestamp is outside the 5 minute tolerance");
  }
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const signed = encoder.encode(`${parsed.timestamp}.${rawBody}`);
  for (const signature of parsed.signatures) {
    if (await crypto.subtle.verify("HMAC", key, signature, signed)) return;
  }
  throw invalid("The webhook signature does not match");
}
