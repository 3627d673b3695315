// Calls the shop's API (same origin). Errors are RFC 9457 problems: they are thrown as ApiError so pages can show
// `detail` and `errors[]`. An access token that was refused (401) is refreshed once and the request retried; a
// refresh the gateway cannot do right now (429, 5xx, no network) keeps the session for a later try.
import { session } from "./session.js";

export class ApiError extends Error {
  constructor(status, problem) {
    const detail = problem?.detail ?? problem?.title ?? `The request failed (${status})`;
    super(detail);
    this.status = status;
    this.code = problem?.code;
    this.title = problem?.title ?? "Something went wrong";
    this.detail = detail;
    this.errors = Array.isArray(problem?.errors) ? problem.errors : [];
  }
}

// Read replicas with read-your-writes: the orders and products services answer their database's D1 bookmark on
// reads and writes; sent back on the next request to that service, it makes a replica answer only once it has what
// this tab last saw or wrote there.
const BOOKMARKS = [
  { header: "x-orders-bookmark", key: "edge-shop.ordersBookmark", paths: ["/api/orders"] },
  {
    header: "x-catalog-bookmark",
    key: "edge-shop.catalogBookmark",
    paths: ["/api/products", "/api/categories"],
  },
];

function rememberBookmarks(response) {
  for (const { header, key } of BOOKMARKS) {
    const bookmark = response.headers.get(header);
    // Bookmarks sort by time: keep the newest.
    if (bookmark && bookmark > (sessionStorage.getItem(key) ?? "")) sessionStorage.setItem(key, bookmark);
  }
}

function sendBookmark(path, headers) {
  const owner = BOOKMARKS.find(({ paths }) => paths.some((prefix) => path.startsWith(prefix)));
  const bookmark = owner && sessionStorage.getItem(owner.key);
  if (bookmark) headers.set(owner.header, bookmark);
}

const AUTH_PATHS = new Set(["/api/users/login", "/api/users/register", "/api/users/refresh"]);
let refreshing = null;

let refreshAfter = 0;

const UNAVAILABLE = {
  title: "Session not renewed",
  detail: "Your session could not be renewed just now. Try again in a moment.",
};

// Refresh tokens are single use (reuse revokes the whole family), so concurrent 401s share one refresh. It
// resolves true (renewed), false (the session is over: ended here) or an ApiError to throw (renewal impossible
// right now: the session stays, and no refresh is tried before the Retry-After the gateway sent).
function refreshOnce() {
  refreshing ??= (async () => {
    const refreshToken = session.get()?.refreshToken;
    if (!refreshToken) return false;
    if (Date.now() < refreshAfter) return new ApiError(429, UNAVAILABLE);
    let response;
    try {
      response = await fetch("/api/users/refresh", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ refreshToken }),
      });
    } catch {
      return new ApiError(0, UNAVAILABLE);
    }
    if (response.status === 429 || response.status >= 500) {
      refreshAfter = Date.now() + 1000 * (Number(response.headers.get("retry-after")) || 5);
      return new ApiError(response.status, (await parse(response)) ?? UNAVAILABLE);
    }
    if (!response.ok) {
      session.end();
      return false;
    }
    session.rotate(await response.json());
    return true;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function parse(response) {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text.slice(0, 200) };
  }
}

/**
 * `api(path, { method, body, idempotencyKey, ifMatch, withEtag })` → the parsed JSON body (undefined for 204), or
 * `{ data, etag }` with `withEtag`; `file` (a File or Blob) is sent as the raw body with its own type instead of a
 * JSON `body`. Throws ApiError for an error status and for a network failure (status 0).
 */
export async function api(
  path,
  { method = "GET", body, file, idempotencyKey, query, ifMatch, withEtag } = {},
) {
  const url = query ? `${path}?${new URLSearchParams(query)}` : path;
  const send = () => {
    const headers = new Headers({ accept: "application/json" });
    const token = session.get()?.token;
    if (token) headers.set("authorization", `Bearer ${token}`);
    if (body !== undefined) headers.set("content-type", "application/json");
    if (file) headers.set("content-type", file.type || "application/octet-stream");
    if (idempotencyKey) headers.set("idempotency-key", idempotencyKey);
    if (ifMatch) headers.set("if-match", ifMatch);
    sendBookmark(path, headers);
    const payload = file ?? (body === undefined ? undefined : JSON.stringify(body));
    return fetch(url, { method, headers, body: payload });
  };
  let response;
  let refreshed;
  try {
    // A 401 from the auth endpoints themselves means wrong credentials, not an expired token.
    const hadToken = Boolean(session.get()?.token) && !AUTH_PATHS.has(path);
    response = await send();
    if (response.status === 401 && hadToken) refreshed = await refreshOnce();
    if (refreshed === true) response = await send();
    else if (refreshed === false && !session.get()) response = await send();
  } catch {
    throw new ApiError(0, {
      title: "Network error",
      detail: "The shop could not be reached. Check your connection and try again.",
    });
  }
  if (refreshed instanceof ApiError) throw refreshed;
  rememberBookmarks(response);
  const data = await parse(response);
  if (!response.ok) throw new ApiError(response.status, data);
  return withEtag ? { data, etag: response.headers.get("etag") } : data;
}
