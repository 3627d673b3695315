// The notifications inbox: what the shop sent the customer (welcome, order, payment, shipping).
import { api } from "../api.js";
import { render } from "../router.js";
import { session } from "../session.js";
import { h, heading, when } from "../ui.js";
import { loginFirst } from "./errors.js";
import { pager } from "./pager.js";

function item(n) {
  return h(
    "li",
    { class: "notification", "data-event-type": n.eventType },
    h(
      "article",
      {},
      h("h2", { class: "card-title" }, n.subject),
      h("p", { class: "muted" }, `${when(n.createdAt)} · ${n.channel} to ${n.to} · ${n.status}`),
      h("p", { class: "body" }, n.body),
    ),
  );
}

/** `#/notifications?page=2` */
export async function notificationsPage({ query, path }) {
  if (!session.user()) return loginFirst(path);
  const page = query.get("page") ?? "1";
  const { notifications, pagination } = await api("/api/notifications", { query: { page, limit: "20" } });
  return h(
    "section",
    {},
    heading("Inbox"),
    h(
      "p",
      {},
      h(
        "button",
        {
          type: "button",
          class: "button button-secondary",
          id: "refresh-inbox",
          onclick: () => void render(),
        },
        "Refresh",
      ),
    ),
    notifications.length
      ? h("ul", { class: "plain-list inbox", "aria-label": "Notifications" }, notifications.map(item))
      : h("p", {}, "No notifications yet."),
    pagination ? pager(pagination, (p) => `#/notifications?page=${p}`) : null,
  );
}
