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

// Read replicas with read-your-writes: the orders service answers a D1 bookmark on every order read and write;
// sent back on the next order request, it makes a replica answer only once it has what this tab last saw or wrote.
const ORDERS_BOOKMARK = "x-orders-bookmark";
const BOOKMARK_KEY = "edge-shop.ordersBookmark";

function rememberBookmark(response) {
  const bookmark = response.headers.get(ORDERS_BOOKMARK);
  // Bookmarks sort by time: keep the newest.
  if (bookmark && bookmark > (sessionStorage.getItem(BOOKMARK_KEY) ?? "")) {
    sessionStorage.setItem(BOOKMARK_KEY, bookmark);
  }
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
    const bookmark = path.startsWith("/api/orders") && sessionStorage.getItem(BOOKMARK_KEY);
    if (bookmark) headers.set(ORDERS_BOOKMARK, bookmark);
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
  rememberBookmark(response);
  const data = await parse(response);
  if (!response.ok) throw new ApiError(response.status, data);
  return withEtag ? { data, etag: response.headers.get("etag") } : data;
}
