// DOM helpers. Every page builds its nodes with `h()`: text always goes through text nodes, never innerHTML,
// so product names and notification bodies cannot inject markup.

/** Creates an element: `on*` props become listeners, `true` becomes an empty attribute, falsy props are skipped. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "class") {
      el.className = value;
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

/** Appends strings, numbers and nodes (arrays flattened, null/false skipped). */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

const formats = new Map();
function formatter(currency) {
  let format = formats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat("en-US", { style: "currency", currency });
    formats.set(currency, format);
  }
  return format;
}

/** The number of minor units in one major unit of a currency (100 for USD, 1 for JPY). */
export function minorPerMajor(currency = "USD") {
  return 10 ** formatter(currency).resolvedOptions().maximumFractionDigits;
}

/** Formats an integer amount in minor units, e.g. 1999 USD → "$19.99". */
export function money(minor, currency = "USD") {
  return formatter(currency).format(minor / minorPerMajor(currency));
}

/** Parses a price typed in major units ("19.99") into minor units, or undefined when empty or invalid. */
export function toMinor(text, currency = "USD") {
  if (text === undefined || text === null || String(text).trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? Math.round(value * minorPerMajor(currency)) : undefined;
}

/** A date as "Nov 17, 2026, 10:42 AM". */
export function when(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" });
}

/** Tells screen readers about a change that is not where the focus is. */
export function announce(message) {
  const region = document.getElementById("announcer");
  if (!region) return;
  region.textContent = "";
  // A fresh text node in a later task makes repeated identical messages be read again.
  setTimeout(() => {
    region.textContent = message;
  }, 50);
}

/** A status badge such as "paid". */
export function statusBadge(status) {
  return h("span", { class: `status status-${status}`, "data-status": status }, status);
}

/** The page heading; it takes the focus after navigation so keyboard and screen-reader users land on it. */
export function heading(text, level = 1) {
  return h(`h${level}`, level === 1 ? { tabindex: "-1", class: "page-title" } : {}, text);
}

/** A short id for display ("A1B2C3D4", as in notifications); the full id stays in links and titles. */
export function shortId(id) {
  return String(id).slice(0, 8).toUpperCase();
}

/** A link styled as a button. */
export function linkButton(href, text, extra = "") {
  return h("a", { href, class: `button ${extra}`.trim() }, text);
}

/** A region that renders errors (role=alert) or success messages (role=status) for a form or page. */
export function messageBox() {
  const box = h("div", { class: "message", hidden: true });
  return {
    node: box,
    clear() {
      box.hidden = true;
      box.removeAttribute("role");
      box.className = "message";
      box.replaceChildren();
    },
    show(kind, ...content) {
      box.hidden = false;
      box.className = `message message-${kind}`;
      // role is set before the content so assistive tech announces it.
      box.setAttribute("role", kind === "error" ? "alert" : "status");
      box.replaceChildren();
      append(box, content);
    },
  };
}

/**
 * A two-step confirmation: the returned function swaps `start` for `confirmBox` (focus on `no`); `no` swaps them
 * back (focus on `start`).
 */
export function confirmStep(start, confirmBox, no) {
  const asking = (shown) => {
    start.hidden = shown;
    confirmBox.hidden = !shown;
    (shown ? no : start).focus();
  };
  no.addEventListener("click", () => asking(false));
  return () => asking(true);
}
