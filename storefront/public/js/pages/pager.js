// Previous/next pagination for any `{ page, pages, total }`.
import { h } from "../ui.js";

/** A pagination nav; `href(page)` builds each link. Nothing when everything fits on one page. */
export function pager(pagination, href) {
  const { page, pages } = pagination;
  if (!pages || pages <= 1) return null;
  const link = (target, text, rel) =>
    target >= 1 && target <= pages
      ? h("a", { href: href(target), rel, class: "button button-secondary" }, text)
      : h("span", { class: "button button-secondary", "aria-disabled": "true" }, text);
  return h(
    "nav",
    { class: "pager", "aria-label": "Pagination" },
    link(page - 1, "← Previous", "prev"),
    h("span", { "aria-current": "page" }, `Page ${page} of ${pages}`),
    link(page + 1, "Next →", "next"),
  );
}
