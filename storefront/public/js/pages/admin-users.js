// Admin: accounts. Search by email or name, filter by role, make admin or user, disable or enable. An admin's own
// row offers nothing that would lock them out (the API refuses it too).
import { api } from "../api.js";
import { busy, field, showProblem, values } from "../forms.js";
import { navigate, render } from "../router.js";
import { session } from "../session.js";
import { announce, h, heading, messageBox, when } from "../ui.js";
import { adminNav, guard } from "./admin.js";
import { pager } from "./pager.js";

function actionButton(user, label, change, box) {
  const button = h(
    "button",
    {
      type: "button",
      class: "button button-small button-secondary",
      "aria-label": `${label}: ${user.email}`,
    },
    label,
  );
  button.addEventListener("click", async () => {
    box.clear();
    try {
      const { user: updated } = await busy(button, () =>
        api(`/api/admin/users/${encodeURIComponent(user.id)}`, { method: "PATCH", body: change }),
      );
      announce(`${updated.email}: ${updated.role}, ${updated.disabled ? "disabled" : "enabled"}.`);
      await render();
    } catch (error) {
      showProblem(box, error);
    }
  });
  return button;
}

function actions(user, box) {
  if (user.id === session.user()?.id) return h("span", { class: "muted" }, "You");
  return h(
    "span",
    { class: "row-actions" },
    user.role === "admin"
      ? actionButton(user, "Make user", { role: "user" }, box)
      : actionButton(user, "Make admin", { role: "admin" }, box),
    " ",
    user.disabled
      ? actionButton(user, "Enable", { disabled: false }, box)
      : actionButton(user, "Disable", { disabled: true }, box),
  );
}

/** `#/admin/users?search=…&role=…&page=…` */
export async function adminUsersPage({ query, path }) {
  const denied = guard(path);
  if (denied) return denied;
  const params = { limit: "20", page: query.get("page") ?? "1" };
  for (const key of ["search", "role"]) if (query.get(key)) params[key] = query.get(key);
  const { users, pagination } = await api("/api/admin/users", { query: params });
  const box = messageBox();
  const search = h(
    "form",
    { class: "inline-form", role: "search", "aria-label": "Search accounts" },
    field("Email or name", { name: "search", type: "search", value: query.get("search") ?? "" }),
    field(
      "Role",
      { name: "role", value: query.get("role") ?? "" },
      {
        tag: "select",
        options: [
          ["", "Any"],
          ["user", "user"],
          ["admin", "admin"],
        ],
      },
    ),
    h("button", { type: "submit", class: "button button-secondary" }, "Search"),
  );
  search.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = values(search);
    navigate("/admin/users", Object.fromEntries(Object.entries(v).filter(([, value]) => value)));
  });
  const rows = users.map((u) =>
    h(
      "tr",
      { "data-user-id": u.id },
      h("th", { scope: "row" }, u.email),
      h("td", {}, `${u.firstName} ${u.lastName}`),
      h("td", {}, u.role),
      h("td", {}, u.emailVerified ? "yes" : "no"),
      h("td", {}, u.disabled ? h("span", { class: "status status-failed" }, "disabled") : "active"),
      h("td", {}, when(u.createdAt)),
      h("td", {}, actions(u, box)),
    ),
  );
  return h(
    "section",
    {},
    heading("Admin: users"),
    adminNav("#/admin/users"),
    box.node,
    h("div", { class: "toolbar" }, search),
    users.length
      ? h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            {},
            h("caption", { class: "visually-hidden" }, "Accounts"),
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ["Email", "Name", "Role", "Confirmed", "State", "Since", "Actions"].map((t) =>
                  h("th", { scope: "col" }, t),
                ),
              ),
            ),
            h("tbody", {}, rows),
          ),
        )
      : h("p", {}, "No account matches."),
    pager(pagination, (p) => `#/admin/users?${new URLSearchParams({ ...params, page: String(p) })}`),
  );
}
