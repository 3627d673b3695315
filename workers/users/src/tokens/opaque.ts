// Opaque tokens (refresh tokens, account-email links): 256 random bits, base64url; only their SHA-256 is stored.

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** A new token: 32 random bytes as 43 base64url characters. */
export function randomToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Whether `text` has the shape of `randomToken()`'s output (anything else is refused before any lookup). */
export function isTokenShaped(text: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(text);
}

/**
 * SHA-256 of a token, base64url: the database never holds a usable token. A fast hash is enough for 256 random
 * bits (nothing to brute-force), unlike a password.
 */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return base64url(new Uint8Array(digest));
}
