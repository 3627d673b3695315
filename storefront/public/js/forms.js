// Form helpers: labelled fields, busy buttons, and problem+json errors shown both as a summary and on the fields.
import { h } from "./ui.js";

let nextId = 0;

/** A labelled input (or select/textarea via `tag`), with an optional hint; returns the wrapper. */
export function field(label, props = {}, { tag = "input", hint, options } = {}) {
  const id = props.id ?? `f${++nextId}`;
  const hintId = hint ? `${id}-hint` : undefined;
  const control =
    tag === "select"
      ? h(
          "select",
          { ...props, value: undefined, id, "aria-describedby": hintId },
          (options ?? []).map(([value, text]) =>
            h("option", { value, selected: String(props.value ?? "") === String(value) }, text),
          ),
        )
      : tag === "textarea"
        ? h("textarea", { ...props, value: undefined, id, "aria-describedby": hintId }, props.value ?? "")
        : h("input", { type: "text", ...props, id, "aria-describedby": hintId });
  return h(
    "div",
    { class: "field" },
    h(
      "label",
      { for: id },
      label,
      props.required ? h("span", { class: "required", "aria-hidden": "true" }, " *") : null,
    ),
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    control,
  );
}

/** Runs `work` with the button disabled and marked busy, so a double click cannot send twice. */
export async function busy(button, work) {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

function clearFieldErrors(form) {
  for (const note of form.querySelectorAll(".field-error")) note.remove();
  for (const control of form.querySelectorAll("[aria-invalid]")) {
    control.removeAttribute("aria-invalid");
    const describedBy = (control.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .filter((id) => id && !id.endsWith("-error"));
    if (describedBy.length) control.setAttribute("aria-describedby", describedBy.join(" "));
    else control.removeAttribute("aria-describedby");
  }
}

/**
 * Shows an ApiError in `box` (title, detail, and every `errors[]` entry) and, when a form is given, next to the
 * fields the errors' paths name. The summary takes the focus, as an error summary should.
 */
export function showProblem(box, error, form) {
  if (form) clearFieldErrors(form);
  const errors = error.errors ?? [];
  box.show(
    "error",
    h("p", {}, h("strong", {}, `${error.title ?? "Error"}: `), error.detail ?? error.message),
    errors.length
      ? h(
          "ul",
          {},
          errors.map((e) => h("li", {}, e.path ? `${e.path}: ${e.message}` : e.message)),
        )
      : null,
  );
  if (form) {
    for (const e of errors) {
      const name = String(e.path ?? "")
        .split(".")
        .filter((part) => !/^\d+$/.test(part))
        .pop();
      const control = name ? form.querySelector(`[name="${CSS.escape(name)}"]`) : null;
      if (!control) continue;
      const noteId = `${control.id}-error`;
      control.setAttribute("aria-invalid", "true");
      control.setAttribute(
        "aria-describedby",
        `${control.getAttribute("aria-describedby") ?? ""} ${noteId}`.trim(),
      );
      control.insertAdjacentElement("afterend", h("p", { class: "field-error", id: noteId }, e.message));
    }
  }
  box.node.setAttribute("tabindex", "-1");
  box.node.focus();
}

/** The form's values as a plain object of trimmed strings (checkboxes as booleans). */
export function values(form) {
  const out = {};
  for (const control of form.elements) {
    if (!control.name) continue;
    out[control.name] = control.type === "checkbox" ? control.checked : control.value.trim();
  }
  return out;
}
