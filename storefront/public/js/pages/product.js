// One product: details, quantity, add to cart.
import { api } from "../api.js";
import { MAX_QUANTITY } from "../cart.js";
import { field } from "../forms.js";
import { pictureOf } from "../pictures.js";
import { h, heading, money } from "../ui.js";
import { addToCartButton, productArt } from "./catalog.js";

// The first picture large, the others beside it; a product without pictures shows its coloured initial.
function gallery(product) {
  const [first, ...more] = product.images;
  if (!first) return productArt(product);
  const count = product.images.length;
  return h(
    "div",
    { class: "gallery" },
    pictureOf(first, {
      alt: product.name,
      sizes: "(max-width: 40rem) 100vw, 28rem",
      large: true,
      eager: true,
    }),
    more.length
      ? h(
          "ul",
          { class: "thumbnails", "aria-label": "More pictures" },
          more.map((url, i) =>
            h(
              "li",
              {},
              pictureOf(url, { alt: `${product.name}, picture ${i + 2} of ${count}`, sizes: "8rem" }),
            ),
          ),
        )
      : null,
  );
}

/** `#/products/:id` */
export async function productPage({ params }) {
  const { product } = await api(`/api/products/${encodeURIComponent(params.id)}`);
  const max = Math.max(1, Math.min(MAX_QUANTITY, product.stock));
  const quantity = field("Quantity", {
    name: "quantity",
    type: "number",
    min: 1,
    max,
    value: 1,
    inputmode: "numeric",
  });
  const read = () => {
    const n = Number(quantity.querySelector("input").value);
    return Number.isInteger(n) && n > 0 ? Math.min(n, max) : 1;
  };
  return h(
    "article",
    { class: "product" },
    h("p", {}, h("a", { href: "#/" }, "← Back to the catalog")),
    h(
      "div",
      { class: "product-layout" },
      gallery(product),
      h(
        "div",
        {},
        heading(product.name),
        h("p", { class: "price price-large" }, money(product.price, product.currency)),
        h("p", { class: "muted" }, `Category: ${product.category}`),
        h(
          "p",
          { class: product.stock > 0 ? "stock" : "stock stock-out" },
          product.stock > 0 ? `${product.stock} in stock` : "Out of stock",
        ),
        product.description ? h("p", { class: "description" }, product.description) : null,
        product.tags.length
          ? h(
              "ul",
              { class: "tags", "aria-label": "Tags" },
              product.tags.map((t) => h("li", {}, t)),
            )
          : null,
        product.stock > 0 ? quantity : null,
        addToCartButton(product, read),
        " ",
        h("a", { href: "#/cart" }, "View cart"),
      ),
    ),
  );
}
