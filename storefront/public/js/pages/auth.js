// Log in and register. Both answer `{ token, refreshToken, user }`, which starts the session.
import { api } from "../api.js";
import { cart } from "../cart.js";
import { busy, field, showProblem, values } from "../forms.js";
import { navigate } from "../router.js";
import { session } from "../session.js";
import { announce, h, heading, messageBox } from "../ui.js";

// Only a path of this app: `next` comes from the URL and must not send anyone elsewhere.
function goNext(query) {
  const next = query.get("next");
  navigate(next?.startsWith("/") && !next.startsWith("//") ? next : "/");
}

function authForm({ title, submit, fields, send, query, footer }) {
  const box = messageBox();
  const button = h("button", { type: "submit", class: "button" }, submit);
  const form = h("form", { class: "stack narrow", novalidate: true }, box.node, fields, button);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    box.clear();
    try {
      const answer = await busy(button, () => send(values(form)));
      session.start(answer);
      // What the visitor put in a guest cart joins the customer's cart.
      await cart.claim().catch(() => {});
      announce(`Welcome, ${answer.user.firstName}.`);
      goNext(query);
    } catch (error) {
      showProblem(box, error, form);
    }
  });
  return h("section", {}, heading(title), form, footer);
}

/** `#/login?next=/checkout` */
export function loginPage({ query }) {
  return authForm({
    title: "Log in",
    submit: "Log in",
    query,
    fields: [
      field("Email", { name: "email", type: "email", autocomplete: "email", required: true }),
      field("Password", {
        name: "password",
        type: "password",
        autocomplete: "current-password",
        required: true,
      }),
    ],
    send: (v) => api("/api/users/login", { method: "POST", body: { email: v.email, password: v.password } }),
    footer: h(
      "p",
      {},
      h("a", { href: "#/forgot-password" }, "Forgot password?"),
      " · New here? ",
      h(
        "a",
        {
          href: `#/register${query.get("next") ? `?${new URLSearchParams({ next: query.get("next") })}` : ""}`,
        },
        "Create an account",
      ),
    ),
  });
}

/** `#/register?next=/checkout` */
export function registerPage({ query }) {
  return authForm({
    title: "Create an account",
    submit: "Create account",
    query,
    fields: [
      field("First name", { name: "firstName", autocomplete: "given-name", required: true, maxlength: 100 }),
      field("Last name", { name: "lastName", autocomplete: "family-name", required: true, maxlength: 100 }),
      field("Email", { name: "email", type: "email", autocomplete: "email", required: true }),
      field(
        "Password",
        { name: "password", type: "password", autocomplete: "new-password", required: true, minlength: 8 },
        { hint: "At least 8 characters." },
      ),
    ],
    send: (v) => api("/api/users/register", { method: "POST", body: v }),
    footer: h("p", {}, "Already have an account? ", h("a", { href: "#/login" }, "Log in")),
  });
}
