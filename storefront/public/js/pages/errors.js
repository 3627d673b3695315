// What a page shows when it cannot render: not found, not signed in, not allowed, or an API error.
import { h, heading, linkButton } from "../ui.js";

/** An unknown path. */
export function notFoundPage() {
  return h(
    "section",
    {},
    heading("Page not found"),
    h("p", {}, "There is nothing at this address."),
    linkButton("#/", "Back to the catalog"),
  );
}

/** Sends a visitor to the login page, coming back here afterwards. */
export function loginFirst(path, why = "Please log in to continue.") {
  return h(
    "section",
    {},
    heading("Log in required"),
    h("p", {}, why),
    linkButton(`#/login?${new URLSearchParams({ next: path })}`, "Log in"),
    " ",
    h("a", { href: "#/register" }, "or create an account"),
  );
}

/** The view of an error a page threw (an ApiError from the API, or a bug). */
export function failedPage(error, ctx) {
  if (error?.status === 401) return loginFirst(ctx.path, "Your session has ended. Please log in again.");
  if (error?.status === 403) {
    return h("section", {}, heading("Not allowed"), h("p", {}, "Your account cannot open this page."));
  }
  if (error?.status === 404) {
    return h(
      "section",
      {},
      heading("Not found"),
      h("p", {}, error.detail),
      linkButton("#/", "Back to the catalog"),
    );
  }
  return h(
    "section",
    {},
    heading("Something went wrong"),
    h("div", { class: "message message-error", role: "alert" }, h("p", {}, error?.detail ?? String(error))),
    h("button", { type: "button", class: "button", onclick: () => location.reload() }, "Try again"),
  );
}
