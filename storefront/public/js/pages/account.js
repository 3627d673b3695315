// The customer's account: the address and whether it is confirmed, a new login email, a copy of every record the
// shop holds (a JSON download), and deleting the account.
import { api } from "../api.js";
import { busy, field, showProblem, values } from "../forms.js";
import { session } from "../session.js";
import { announce, confirmStep, h, heading, linkButton, messageBox, when } from "../ui.js";
import { loginFirst } from "./errors.js";

function verification(user, box) {
  if (user.emailVerified) return h("span", { class: "status status-paid" }, "confirmed");
  const resend = h(
    "button",
    { type: "button", class: "button button-small" },
    "Send a new confirmation link",
  );
  resend.addEventListener("click", async () => {
    box.clear();
    try {
      const { message } = await busy(resend, () =>
        api("/api/users/verify-email/request", { method: "POST" }),
      );
      box.show("success", h("p", {}, message));
      announce(message);
    } catch (error) {
      showProblem(box, error);
    }
  });
  return h("span", {}, h("span", { class: "status status-pending" }, "not confirmed"), " ", resend);
}

function changeEmailForm(user) {
  const box = messageBox();
  const button = h("button", { type: "submit", class: "button" }, "Send confirmation link");
  const form = h(
    "form",
    { class: "stack narrow", novalidate: true },
    box.node,
    field("New email", { name: "newEmail", type: "email", autocomplete: "email", required: true }),
    field("Current password", {
      name: "currentPassword",
      type: "password",
      autocomplete: "current-password",
      required: true,
    }),
    button,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    box.clear();
    const { newEmail, currentPassword } = values(form);
    try {
      await busy(button, () =>
        api("/api/users/email", { method: "POST", body: { newEmail, currentPassword } }),
      );
      form.reset();
      box.show(
        "success",
        h("p", {}, `A confirmation link is on its way to ${newEmail}.`),
        h("p", {}, `Your login email stays ${user.email} until you open it.`),
      );
      box.node.setAttribute("tabindex", "-1");
      box.node.focus();
    } catch (error) {
      showProblem(box, error, form);
    }
  });
  return h("section", {}, heading("Change your email", 2), form);
}

function exportSection() {
  const box = messageBox();
  const button = h("button", { type: "button", class: "button button-secondary" }, "Download my data");
  button.addEventListener("click", async () => {
    box.clear();
    try {
      const data = await busy(button, () => api("/api/users/profile/export"));
      const url = URL.createObjectURL(
        new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }),
      );
      const link = h("a", { href: url, download: "edge-shop-data.json", hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      announce("Your data was downloaded as edge-shop-data.json.");
    } catch (error) {
      showProblem(box, error);
    }
  });
  return h(
    "section",
    {},
    heading("Your data", 2),
    box.node,
    h(
      "p",
      {},
      "One JSON file with everything the shop holds about you: your account, orders, payments, notifications and preferences.",
    ),
    button,
  );
}

function deleteSection(page) {
  const box = messageBox();
  const form = h(
    "form",
    { class: "stack narrow", novalidate: true },
    box.node,
    field("Current password", {
      name: "currentPassword",
      type: "password",
      autocomplete: "current-password",
      required: true,
    }),
  );
  const start = h("button", { type: "submit", class: "button button-danger" }, "Delete my account");
  const confirmBox = h("div", { class: "confirm", hidden: true });
  const yes = h("button", { type: "button", class: "button button-danger" }, "Yes, delete my account");
  const no = h("button", { type: "button", class: "button button-secondary" }, "Keep my account");
  confirmBox.append(h("p", {}, "Delete your account for good? This cannot be undone."), yes, " ", no);
  form.append(start, confirmBox);
  const ask = confirmStep(start, confirmBox, no);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    box.clear();
    if (!values(form).currentPassword) {
      showProblem(
        box,
        {
          title: "Check the form",
          detail: "Your current password is needed.",
          errors: [{ path: "currentPassword", message: "Required" }],
        },
        form,
      );
      return;
    }
    ask();
  });
  yes.addEventListener("click", async () => {
    try {
      const { currentPassword } = values(form);
      await busy(yes, () => api("/api/users/profile", { method: "DELETE", body: { currentPassword } }));
      session.end();
      page.replaceChildren(
        heading("Account deleted"),
        h("p", {}, "Your account is deleted and your personal data is being erased everywhere in the shop."),
        linkButton("#/", "Back to the catalog"),
      );
      page.querySelector("h1")?.focus();
      announce("Your account is deleted.");
    } catch (error) {
      confirmBox.hidden = true;
      start.hidden = false;
      showProblem(box, error, form);
    }
  });
  return h(
    "section",
    {},
    heading("Delete your account", 2),
    h(
      "p",
      {},
      "Your account, addresses, notifications and preferences are erased; orders and payments are kept for accounting, without your name, email or address. Your email can be used for a new account.",
    ),
    form,
  );
}

/** `#/account` */
export async function accountPage({ path }) {
  if (!session.user()) return loginFirst(path);
  const { user } = await api("/api/users/profile");
  const box = messageBox();
  const page = h("section", { class: "account" });
  page.append(
    heading("Your account"),
    box.node,
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Name"),
      h("dd", {}, `${user.firstName} ${user.lastName}`),
      h("dt", {}, "Email"),
      h("dd", { id: "account-email" }, user.email, " ", verification(user, box)),
      h("dt", {}, "Member since"),
      h("dd", {}, when(user.createdAt)),
    ),
    changeEmailForm(user),
    exportSection(),
    deleteSection(page),
  );
  return page;
}
