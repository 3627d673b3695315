// The signed-in customer: access token, refresh token and user, kept in localStorage so a reload keeps the session.
const KEY = "edge-shop.session";

function read() {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? "null");
    return value && typeof value.token === "string" ? value : null;
  } catch {
    return null;
  }
}

function changed() {
  window.dispatchEvent(new CustomEvent("session-change"));
}

export const session = {
  /** The current session `{ token, refreshToken, user }`, or null. */
  get() {
    return read();
  },
  user() {
    return read()?.user ?? null;
  },
  isAdmin() {
    return read()?.user?.role === "admin";
  },
  /** Stores what login or register answered. */
  start({ token, refreshToken, user }) {
    localStorage.setItem(KEY, JSON.stringify({ token, refreshToken, user }));
    changed();
  },
  /** Replaces the token pair after a refresh, keeping the user. */
  rotate({ token, refreshToken }) {
    const current = read();
    if (!current) return;
    localStorage.setItem(KEY, JSON.stringify({ ...current, token, refreshToken }));
  },
  end() {
    localStorage.removeItem(KEY);
    changed();
  },
};
