// Logs leave the worker (Workers Logs, tail, wrangler dev's terminal): no secret or personal data goes with them.

const DROPPED_KEYS = new Set([
  "password",
  "currentpassword",
  "newpassword",
  "token",
  "accesstoken",
  "refreshtoken",
  "idtoken",
  "authorization",
  "cookie",
  "setcookie",
  "cardtoken",
  "secret",
  "apikey",
  "privatekey",
  "jwtprivatekeys",
]);

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
// Card tokens of the provider simulator and of real providers (tok_…, pm_…), and bearer/JWT-looking strings.
const CARD_TOKEN = /\b(tok|pm)_[A-Za-z0-9]+\b/g;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b/g;
const BEARER = /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi;
const BEARER_WORD = /bearer/i;
// E.164 phone numbers (SMS recipients, preferences): all but the last two digits go.
const PHONE = /\+[1-9]\d{4,12}(\d{2})\b/g;

function normalised(key: string): string {
  return key.toLowerCase().replace(/[^a-z]/g, "");
}

// Log lines reuse a small set of field names: remember the verdict instead of normalising each time.
const secretKeyCache = new Map<string, boolean>();

/** Whether a field of this name is never logged (passwords, tokens, secrets, keys). */
export function isSecretKey(key: string): boolean {
  let secret = secretKeyCache.get(key);
  if (secret === undefined) {
    const k = normalised(key);
    secret = DROPPED_KEYS.has(k) || k.endsWith("password") || k.endsWith("secret") || k.endsWith("token");
    if (secretKeyCache.size < 1000) secretKeyCache.set(key, secret);
  }
  return secret;
}

// Every pattern below needs one of these substrings: most log strings (ids, routes, methods) have none, and a
// few `includes` are much cheaper than four regex replaces on every field of every line.
function mayHoldSecret(text: string): boolean {
  return (
    text.includes("@") ||
    text.includes("_") ||
    text.includes("eyJ") ||
    text.includes("+") ||
    BEARER_WORD.test(text)
  );
}

/**
 * `ada.lovelace@example.com` → `a***@example.com`, `+14155550123` → `+***23`; also masks card tokens, JWTs and
 * bearer credentials.
 */
export function redactText(text: string): string {
  if (!mayHoldSecret(text)) return text;
  return text
    .replace(EMAIL, "$1***@$2")
    .replace(JWT, "[jwt]")
    .replace(BEARER, "Bearer [redacted]")
    .replace(CARD_TOKEN, "$1_[redacted]")
    .replace(PHONE, "+***$1");
}

/** A copy of `value` fit for a log: secret keys dropped, emails masked, tokens removed, at any depth. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 8) return "[deep]";
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!isSecretKey(key)) out[key] = redact(item, depth + 1);
  }
  return out;
}
