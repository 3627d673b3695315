// Admin: a product's pictures: upload (JPEG, PNG or WebP, up to 5 MiB), reorder, remove. Uploads go to
// POST /api/products/:id/images, removals to DELETE …/images/:n, the order to PATCH { images }.
import { api } from "../api.js";
import { busy, field, showProblem } from "../forms.js";
import { pictureOf } from "../pictures.js";
import { announce, h, messageBox } from "../ui.js";

const ACCEPT = "image/jpeg,image/png,image/webp";

/** The pictures section of a product's edit page; it redraws itself after each change. */
export function picturesEditor(initial) {
  let product = initial;
  const box = messageBox();
  const list = h("ol", { class: "picture-list", "aria-label": "Pictures, in the order shown" });
  const path = `/api/products/${encodeURIComponent(product.id)}`;

  async function change(button, request, message) {
    box.clear();
    try {
      const answer = await busy(button, request);
      product = answer.product;
      draw();
      announce(message);
    } catch (error) {
      showProblem(box, error);
    }
  }

  function move(index, by, button) {
    const images = [...product.images];
    const [url] = images.splice(index, 1);
    images.splice(index + by, 0, url);
    return change(button, () => api(path, { method: "PATCH", body: { images } }), "Pictures reordered.");
  }

  function row(url, index) {
    const n = index + 1;
    const count = product.images.length;
    const button = (text, label, onclick, disabled = false) =>
      h(
        "button",
        {
          type: "button",
          class: "button button-small button-secondary",
          "aria-label": label,
          disabled,
          onclick,
        },
        text,
      );
    const up = button("↑", `Move picture ${n} earlier`, (e) => move(index, -1, e.currentTarget), index === 0);
    const down = button(
      "↓",
      `Move picture ${n} later`,
      (e) => move(index, 1, e.currentTarget),
      index === count - 1,
    );
    const remove = button("Remove", `Remove picture ${n}`, (e) =>
      change(
        e.currentTarget,
        () => api(`${path}/images/${index}`, { method: "DELETE" }),
        `Picture ${n} removed.`,
      ),
    );
    return h(
      "li",
      { class: "picture-row" },
      pictureOf(url, {
        alt: `${product.name}, picture ${n} of ${count}`,
        sizes: "8rem",
        className: "picture picture-thumb",
      }),
      h("div", { class: "row-actions" }, up, down, remove),
    );
  }

  const chooser = field(
    "New picture",
    { type: "file", name: "picture", accept: ACCEPT },
    { hint: "JPEG, PNG or WebP, up to 5 MiB and 8,000 pixels a side." },
  );
  const input = chooser.querySelector("input");
  const upload = h("button", { type: "button", class: "button" }, "Upload picture");
  upload.addEventListener("click", () => {
    const [file] = input.files ?? [];
    if (!file) {
      box.show("error", "Choose a JPEG, PNG or WebP file first.");
      return;
    }
    return change(upload, () => api(`${path}/images`, { method: "POST", file }), "Picture uploaded.").then(
      () => {
        input.value = "";
      },
    );
  });

  function draw() {
    list.replaceChildren(...product.images.map(row));
    if (product.images.length === 0) list.replaceChildren(h("li", { class: "muted" }, "No pictures yet."));
  }
  draw();

  return h(
    "section",
    { class: "stack narrow", "aria-labelledby": "pictures-heading" },
    h("h2", { id: "pictures-heading" }, "Pictures"),
    box.node,
    list,
    chooser,
    upload,
  );
}
