// Admin: products (create, edit, deactivate) and orders (ship, deliver); accounts are in admin-users.js. The
// gateway enforces the admin role; the pages only hide themselves from others.
import { api } from "../api.js";
import { busy, field, showProblem, values } from "../forms.js";
import { navigate, render } from "../router.js";
import { session } from "../session.js";
import {
  announce,
  h,
  heading,
  linkButton,
  messageBox,
  money,
  shortId,
  statusBadge,
  toMinor,
  when,
} from "../ui.js";
import { picturesEditor } from "./admin-pictures.js";
import { loginFirst } from "./errors.js";
import { pager } from "./pager.js";

/** The page for a visitor who is not an admin, or null for an admin. */
export function guard(path) {
  if (!session.user()) return loginFirst(path, "Please log in as an administrator.");
  if (!session.isAdmin())
    return h("section", {}, heading("Not allowed"), h("p", {}, "This page is for administrators."));
  return null;
}

/** The admin pages' sub-navigation, `active` being the current page's href. */
export function adminNav(active) {
  const link = (href, text) => h("a", { href, "aria-current": active === href ? "page" : undefined }, text);
  return h(
    "nav",
    { class: "subnav", "aria-label": "Admin" },
    link("#/admin", "Products"),
    link("#/admin/orders", "Orders"),
    link("#/admin/users", "Users"),
  );
}

function deactivateButton(product, box) {
  const button = h(
    "button",
    { type: "button", class: "link-button danger", "aria-label": `Deactivate ${product.name}` },
    "Deactivate",
  );
  let armed = false;
  button.addEventListener("click", async () => {
    // The first click asks for confirmation; the second deletes (a soft delete: the product becomes inactive).
    if (!armed) {
      armed = true;
      button.textContent = "Confirm deactivate";
      button.setAttribute("aria-label", `Confirm: deactivate ${product.name}`);
      announce(`Press again to deactivate ${product.name}.`);
      return;
    }
    try {
      await busy(button, () => api(`/api/products/${encodeURIComponent(product.id)}`, { method: "DELETE" }));
      announce(`${product.name} deactivated.`);
      await render();
    } catch (error) {
      showProblem(box, error);
    }
  });
  return button;
}

function reactivateButton(product, box) {
  const button = h(
    "button",
    { type: "button", class: "link-button", "aria-label": `Reactivate ${product.name}` },
    "Reactivate",
  );
  button.addEventListener("click", async () => {
    try {
      await busy(button, () =>
        api(`/api/products/${encodeURIComponent(product.id)}`, { method: "PATCH", body: { isActive: true } }),
      );
      announce(`${product.name} reactivated.`);
      await render();
    } catch (error) {
      showProblem(box, error);
    }
  });
  return button;
}

/** `#/admin?search=…&page=…`: the product list, deactivated products included. */
export async function adminProductsPage({ query, path }) {
  const denied = guard(path);
  if (denied) return denied;
  const params = { limit: "20", page: query.get("page") ?? "1", includeInactive: "true" };
  if (query.get("search")) params.search = query.get("search");
  const { products, pagination } = await api("/api/products", { query: params });
  const box = messageBox();
  const search = h(
    "form",
    { class: "inline-form", role: "search", "aria-label": "Search products" },
    field("Search products", { name: "search", type: "search", value: query.get("search") ?? "" }),
    h("button", { type: "submit", class: "button button-secondary" }, "Search"),
  );
  search.addEventListener("submit", (event) => {
    event.preventDefault();
    const { search: text } = values(search);
    navigate("/admin", text ? { search: text } : undefined);
  });
  const rows = products.map((p) =>
    h(
      "tr",
      {},
      h("th", { scope: "row" }, p.name),
      h("td", {}, p.category),
      h("td", {}, money(p.price, p.currency)),
      h("td", {}, String(p.stock)),
      h("td", {}, p.isActive ? "Active" : "Inactive"),
      h(
        "td",
        { class: "row-actions" },
        h(
          "a",
          { href: `#/admin/products/${encodeURIComponent(p.id)}`, "aria-label": `Edit ${p.name}` },
          "Edit",
        ),
        " ",
        p.isActive ? deactivateButton(p, box) : reactivateButton(p, box),
      ),
    ),
  );
  return h(
    "section",
    {},
    heading("Admin: products"),
    adminNav("#/admin"),
    box.node,
    h("div", { class: "toolbar" }, search, linkButton("#/admin/products/new", "New product")),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        {},
        h("caption", { class: "visually-hidden" }, "Products"),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Name", "Category", "Price", "Stock", "State", "Actions"].map((t) =>
              h("th", { scope: "col" }, t),
            ),
          ),
        ),
        h("tbody", {}, rows),
      ),
    ),
    pager(
      pagination,
      (p) => `#/admin?${new URLSearchParams({ ...Object.fromEntries(query), page: String(p) })}`,
    ),
  );
}

function productBody(v) {
  return {
    name: v.name,
    description: v.description,
    price: toMinor(v.price, v.currency || "USD") ?? Number.NaN,
    currency: v.currency,
    category: v.category,
    stock: v.stock === "" ? Number.NaN : Number(v.stock),
    tags: v.tags
      ? v.tags
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean)
      : [],
    isActive: v.isActive,
  };
}

/** `#/admin/products/new` and `#/admin/products/:id`: create or edit a product. */
export async function adminProductFormPage({ params, path }) {
  const denied = guard(path);
  if (denied) return denied;
  const editing = Boolean(params.id);
  // The ETag makes the save conditional: an order or another admin changing the product meanwhile is a 412.
  // includeInactive: a deactivated product can be edited (and reactivated) too.
  const loaded = editing
    ? await api(`/api/products/${encodeURIComponent(params.id)}`, {
        query: { includeInactive: "true" },
        withEtag: true,
      })
    : null;
  const product = loaded?.data.product ?? null;
  const p = product ?? {
    name: "",
    description: "",
    price: 0,
    currency: "USD",
    category: "",
    stock: 0,
    tags: [],
    images: [],
    isActive: true,
  };
  const box = messageBox();
  const button = h(
    "button",
    { type: "submit", class: "button" },
    editing ? "Save changes" : "Create product",
  );
  const form = h(
    "form",
    { class: "stack narrow", novalidate: true },
    box.node,
    field("Name", { name: "name", required: true, maxlength: 200, value: p.name }),
    field(
      "Description",
      { name: "description", maxlength: 5000, rows: 4, value: p.description },
      { tag: "textarea" },
    ),
    field(
      "Price",
      {
        name: "price",
        type: "number",
        min: 0,
        step: "0.01",
        required: true,
        value: editing ? String(p.price / 100) : "",
      },
      { hint: "In major units, e.g. 19.99" },
    ),
    field(
      "Currency",
      { name: "currency", required: true, maxlength: 3, pattern: "[A-Z]{3}", value: p.currency },
      { hint: "ISO 4217, e.g. USD" },
    ),
    field("Category", { name: "category", required: true, maxlength: 100, value: p.category }),
    field("Stock", {
      name: "stock",
      type: "number",
      min: 0,
      step: 1,
      required: true,
      value: editing ? String(p.stock) : "",
    }),
    field("Tags", { name: "tags", value: p.tags.join(", ") }, { hint: "Comma-separated" }),
    h(
      "div",
      { class: "choice" },
      h("input", { type: "checkbox", id: "isActive", name: "isActive", checked: p.isActive }),
      h("label", { for: "isActive" }, "Active (visible in the catalog)"),
    ),
    button,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    box.clear();
    try {
      const body = productBody(values(form));
      const answer = await busy(button, () =>
        editing
          ? api(`/api/products/${encodeURIComponent(p.id)}`, { method: "PATCH", body, ifMatch: loaded?.etag })
          : api("/api/products", { method: "POST", body }),
      );
      announce(`${answer.product.name} ${editing ? "saved" : "created"}.`);
      navigate("/admin", { search: answer.product.name });
    } catch (error) {
      showProblem(box, error, form);
    }
  });
  return h(
    "section",
    {},
    heading(editing ? `Edit ${p.name}` : "New product"),
    adminNav(""),
    form,
    editing
      ? picturesEditor(product)
      : h("p", { class: "muted" }, "Pictures can be added once the product exists."),
  );
}

const NEXT_STATUS = { paid: "shipped", shipped: "delivered" };

function statusButton(order, box) {
  const next = NEXT_STATUS[order.status];
  if (!next) return null;
  const button = h(
    "button",
    { type: "button", class: "button button-small", "aria-label": `Mark order ${shortId(order.id)} ${next}` },
    `Mark ${next}`,
  );
  button.addEventListener("click", async () => {
    try {
      await busy(button, () =>
        api(`/api/orders/${encodeURIComponent(order.id)}/status`, {
          method: "PATCH",
          body: { status: next },
        }),
      );
      announce(`Order ${shortId(order.id)} marked ${next}.`);
      await render();
    } catch (error) {
      showProblem(box, error);
    }
  });
  return button;
}

/** `#/admin/orders?page=…`: every customer's orders, with the fulfilment steps. */
export async function adminOrdersPage({ query, path }) {
  const denied = guard(path);
  if (denied) return denied;
  const { orders, pagination } = await api("/api/orders", {
    query: { page: query.get("page") ?? "1", limit: "20" },
  });
  const box = messageBox();
  const rows = orders.map((o) =>
    h(
      "tr",
      {},
      h(
        "th",
        { scope: "row" },
        h("a", { href: `#/orders/${encodeURIComponent(o.id)}`, title: o.id }, shortId(o.id)),
      ),
      h("td", { title: o.userId }, shortId(o.userId)),
      h("td", {}, when(o.createdAt)),
      h("td", {}, money(o.total, o.currency)),
      h("td", {}, statusBadge(o.status)),
      h("td", {}, statusButton(o, box)),
    ),
  );
  return h(
    "section",
    {},
    heading("Admin: orders"),
    adminNav("#/admin/orders"),
    box.node,
    orders.length
      ? h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            {},
            h("caption", { class: "visually-hidden" }, "All orders"),
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ["Order", "Customer", "Placed", "Total", "Status", "Fulfilment"].map((t) =>
                  h("th", { scope: "col" }, t),
                ),
              ),
            ),
            h("tbody", {}, rows),
          ),
        )
      : h("p", {}, "No orders yet."),
    pager(pagination, (n) => `#/admin/orders?page=${n}`),
  );
}
