// The pages an account email leads to, and the one that sends it: forgot password, reset password (from the
// link `#/reset-password?token=…`) and verify email (from `#/verify-email?token=…`, which also confirms a new
// login email). The token is read from the URL and sent in a request body, never anywhere else.
import { api } from "../api.js";
import { busy, field, showProblem, values } from "../forms.js";
import { session } from "../session.js";
import { announce, h, heading, linkButton, messageBox } from "../ui.js";

/** `#/forgot-password`: the same answer whether or not an account has the address. */
export function forgotPasswordPage() {
  const box = messageBox();
  const button = h("button", { type: "submit", class: "button" }, "Send me a link");
  const form = h(
    "form",
    { class: "stack narrow", novalidate: true },
    box.node,
    h("p", {}, "Enter the email address of your account: we will send it a link to choose a new password."),
    field("Email", { name: "email", type: "email", autocomplete: "email", required: true }),
    button,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    box.clear();
    try {
      const { message } = await busy(button, () =>
        api("/api/users/password/forgot", { method: "POST", body: { email: values(form).email } }),
      );
      box.show("success", h("p", {}, message), h("p", {}, "The link works for 30 minutes, once."));
      box.node.setAttribute("tabindex", "-1");
      box.node.focus();
    } catch (error) {
      showProblem(box, error, form);
    }
  });
  return h(
    "section",
    {},
    heading("Forgot your password?"),
    form,
    h("p", {}, h("a", { href: "#/login" }, "Back to log in")),
  );
}

function missingToken() {
  return h(
    "section",
    {},
    heading("Link incomplete"),
    h("p", {}, "This address has no token. Open the link from the email again, or ask for a new one."),
    linkButton("#/forgot-password", "Ask for a new link"),
  );
}

/** `#/reset-password?token=…`: choose a new password. Every session ends; the user logs in again. */
export function resetPasswordPage({ query }) {
  const token = query.get("token");
  if (!token) return missingToken();
  const box = messageBox();
  const button = h("button", { type: "submit", class: "button" }, "Set new password");
  const form = h(
    "form",
    { class: "stack narrow", novalidate: true },
    box.node,
    field(
      "New password",
      { name: "password", type: "password", autocomplete: "new-password", required: true, minlength: 8 },
      { hint: "At least 8 characters." },
    ),
    field("Repeat the new password", {
      name: "repeat",
      type: "password",
      autocomplete: "new-password",
      required: true,
    }),
    button,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    box.clear();
    const { password, repeat } = values(form);
    if (password !== repeat) {
      showProblem(
        box,
        {
          title: "Check the form",
          detail: "The passwords differ.",
          errors: [{ path: "repeat", message: "Must match the new password" }],
        },
        form,
      );
      return;
    }
    try {
      await busy(button, () =>
        api("/api/users/password/reset", { method: "POST", body: { token, password } }),
      );
      // The reset ended every session, this browser's included.
      session.end();
      form.replaceChildren(
        box.node,
        h("p", {}, "You can now log in with your new password."),
        linkButton("#/login", "Log in"),
      );
      box.show("success", h("p", {}, h("strong", {}, "Your password has been changed.")));
      announce("Your password has been changed.");
    } catch (error) {
      showProblem(box, error, form);
      if (error.code === "invalid_token") {
        box.node.append(h("p", {}, h("a", { href: "#/forgot-password" }, "Ask for a new link")));
      }
    }
  });
  return h("section", {}, heading("Choose a new password"), form);
}

/** `#/verify-email?token=…`: confirms the address (or a new login email) with one click. */
export function verifyEmailPage({ query }) {
  const token = query.get("token");
  if (!token) return missingToken();
  const box = messageBox();
  // A button, not an automatic request: a mail scanner that opens links must not use them up.
  const button = h("button", { type: "button", class: "button" }, "Confirm my email address");
  button.addEventListener("click", async () => {
    box.clear();
    try {
      const { user } = await busy(button, () =>
        api("/api/users/verify-email", { method: "POST", body: { token } }),
      );
      const current = session.get();
      if (current?.user?.id === user.id) session.start({ ...current, user });
      button.hidden = true;
      box.show(
        "success",
        h("p", {}, h("strong", {}, "Thank you: "), `${user.email} is confirmed.`),
        h("p", {}, h("a", { href: "#/" }, "Continue shopping")),
      );
      box.node.setAttribute("tabindex", "-1");
      box.node.focus();
      announce(`${user.email} is confirmed.`);
    } catch (error) {
      showProblem(box, error);
    }
  });
  return h(
    "section",
    {},
    heading("Confirm your email address"),
    box.node,
    h("p", {}, "Press the button to confirm the address this link was sent to."),
    button,
  );
}
