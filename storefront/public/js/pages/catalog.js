// The catalog: search, category and price filters, sorting and pagination, all kept in the URL.
import { api } from "../api.js";
import { cart } from "../cart.js";
import { field, values } from "../forms.js";
import { pictureOf } from "../pictures.js";
import { navigate } from "../router.js";
import { announce, h, heading, money, toMinor } from "../ui.js";
import { pager } from "./pager.js";

const PAGE_SIZE = 12;
const SORTS = [
  ["", "Best match / newest"],
  ["createdAt:desc", "Newest first"],
  ["price:asc", "Price: low to high"],
  ["price:desc", "Price: high to low"],
  ["name:asc", "Name: A to Z"],
];
const FILTERS = ["search", "category", "minPrice", "maxPrice", "sortBy", "sortOrder", "page"];

/** The product card's picture: its first picture, or a coloured initial when it has none. */
export function productArt(product, sizes = "(max-width: 40rem) 50vw, 16rem") {
  const [first] = product.images ?? [];
  if (first) return pictureOf(first, { alt: product.name, sizes });
  const hue = [...product.id].reduce((sum, ch) => sum + ch.charCodeAt(0), 0) % 6;
  return h("div", { class: `art art-${hue}`, "aria-hidden": "true" }, product.name.slice(0, 1).toUpperCase());
}

/** An "Add to cart" button that announces what it did. */
export function addToCartButton(product, quantity = () => 1) {
  const soldOut = product.stock <= 0;
  return h(
    "button",
    {
      type: "button",
      class: "button",
      disabled: soldOut,
      "aria-label": soldOut ? `${product.name} is sold out` : `Add ${product.name} to cart`,
      onclick: async () => {
        try {
          const inCart = await cart.add(product, quantity());
          announce(`${product.name} added to cart (${inCart} in cart).`);
        } catch (error) {
          announce(error.detail ?? `${product.name} could not be added to the cart.`);
        }
      },
    },
    soldOut ? "Sold out" : "Add to cart",
  );
}

function filterForm(query, categories) {
  const minorToMajor = (v) => (v ? String(Number(v) / 100) : "");
  const sort = query.get("sortBy") ? `${query.get("sortBy")}:${query.get("sortOrder") ?? "desc"}` : "";
  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": "Filter products" },
    field("Search", { name: "search", type: "search", value: query.get("search") ?? "", maxlength: 200 }),
    field(
      "Category",
      { name: "category", value: query.get("category") ?? "" },
      {
        tag: "select",
        options: [["", "All categories"], ...categories.map((c) => [c.name, `${c.name} (${c.count})`])],
      },
    ),
    field("Min price ($)", {
      name: "minPrice",
      type: "number",
      min: 0,
      step: "0.01",
      inputmode: "decimal",
      value: minorToMajor(query.get("minPrice")),
    }),
    field("Max price ($)", {
      name: "maxPrice",
      type: "number",
      min: 0,
      step: "0.01",
      inputmode: "decimal",
      value: minorToMajor(query.get("maxPrice")),
    }),
    field("Sort by", { name: "sort", value: sort }, { tag: "select", options: SORTS }),
    h("div", { class: "filter-actions" }, h("button", { type: "submit", class: "button" }, "Apply")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = values(form);
    const next = {};
    if (v.search) next.search = v.search;
    if (v.category) next.category = v.category;
    const min = toMinor(v.minPrice);
    const max = toMinor(v.maxPrice);
    if (min !== undefined) next.minPrice = String(min);
    if (max !== undefined) next.maxPrice = String(max);
    if (v.sort) [next.sortBy, next.sortOrder] = v.sort.split(":");
    navigate("/", next);
  });
  return form;
}

function productCard(product) {
  return h(
    "li",
    { class: "card" },
    productArt(product),
    h(
      "h2",
      { class: "card-title" },
      h("a", { href: `#/products/${encodeURIComponent(product.id)}` }, product.name),
    ),
    h("p", { class: "muted" }, product.category),
    h("p", { class: "price" }, money(product.price, product.currency)),
    h(
      "p",
      { class: product.stock > 0 ? "stock" : "stock stock-out" },
      product.stock > 0 ? `${product.stock} in stock` : "Out of stock",
    ),
    addToCartButton(product),
  );
}

/** `#/?search=…&category=…&minPrice=…&maxPrice=…&sortBy=…&sortOrder=…&page=…` */
export async function catalogPage({ query }) {
  const params = { limit: String(PAGE_SIZE) };
  for (const name of FILTERS) if (query.get(name)) params[name] = query.get(name);
  const [list, categories] = await Promise.all([
    api("/api/products", { query: params }),
    api("/api/categories").catch(() => ({ categories: [] })),
  ]);
  const { products, pagination } = list;
  const summary =
    pagination.total === 0
      ? "No products match."
      : `${pagination.total} ${pagination.total === 1 ? "product" : "products"}`;
  return h(
    "section",
    { class: "catalog" },
    heading(query.get("search") ? `Results for “${query.get("search")}”` : "Catalog"),
    filterForm(query, categories.categories ?? []),
    h("p", { class: "muted", role: "status" }, summary),
    h("ul", { class: "grid", "aria-label": "Products" }, products.map(productCard)),
    pager(pagination, (page) => {
      const next = Object.fromEntries(query);
      next.page = String(page);
      return `#/?${new URLSearchParams(next)}`;
    }),
  );
}
