// Hash routing (`#/products/abc?x=1`): static hosting needs no rewrite rules and a reload keeps the page.
import { announce } from "./ui.js";

const routes = [];
let renderId = 0;

/** Registers a page: `pattern` like "/orders/:id", `render(ctx)` returns a Node (or a promise of one). */
export function route(pattern, render) {
  const names = [];
  const source = pattern.replace(/:([a-zA-Z]+)/g, (_, name) => {
    names.push(name);
    return "([^/]+)";
  });
  routes.push({ regex: new RegExp(`^${source}$`), names, render });
}

/** The current location: path and query of the hash. */
export function current() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, search = ""] = hash.split("?");
  return { path: path || "/", query: new URLSearchParams(search) };
}

/** Goes to `#path?query`; re-renders even when the hash does not change. */
export function navigate(path, query) {
  const search = query ? new URLSearchParams(query).toString() : "";
  const hash = `#${path}${search ? `?${search}` : ""}`;
  if (location.hash === hash) void render();
  else location.hash = hash;
}

const fallbacks = {};
let navigated = false;

/** Sets the page for unknown paths and the view of an error a page threw: `{ notFound(ctx), failed(error, ctx) }`. */
export function configure({ notFound, failed }) {
  fallbacks.notFound = notFound;
  fallbacks.failed = failed;
}

/** Renders the page for the current hash into <main>. */
export async function render() {
  const id = ++renderId;
  const main = document.getElementById("main");
  const { path, query } = current();
  let params = {};
  const found = routes.find((r) => {
    const match = r.regex.exec(path);
    if (match)
      params = Object.fromEntries(r.names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
    return match;
  });
  const ctx = { params, query, path };
  main.setAttribute("aria-busy", "true");
  let node;
  try {
    node = await (found?.render ?? fallbacks.notFound)(ctx);
  } catch (error) {
    node = fallbacks.failed(error, ctx);
  }
  if (id !== renderId) return; // a later navigation won
  main.replaceChildren(node);
  main.removeAttribute("aria-busy");
  const title = main.querySelector("h1");
  document.title = title ? `${title.textContent} · edge-shop` : "edge-shop";
  // On navigation (not on the first load) the focus moves to the new page's heading, and it is announced.
  if (navigated) {
    (title ?? main).focus();
    if (title) announce(title.textContent);
  }
  navigated = true;
}
