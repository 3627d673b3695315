// The storefront's entry point: routes, the header's state (who is signed in, cart count) and logout.
import { api } from "./api.js";
import { cart } from "./cart.js";
import { accountPage } from "./pages/account.js";
import { forgotPasswordPage, resetPasswordPage, verifyEmailPage } from "./pages/account-links.js";
import { adminOrdersPage, adminProductFormPage, adminProductsPage } from "./pages/admin.js";
import { adminUsersPage } from "./pages/admin-users.js";
import { loginPage, registerPage } from "./pages/auth.js";
import { cartPage } from "./pages/cart.js";
import { catalogPage } from "./pages/catalog.js";
import { checkoutPage } from "./pages/checkout.js";
import { failedPage, notFoundPage } from "./pages/errors.js";
import { notificationsPage } from "./pages/notifications.js";
import { orderPage, ordersPage } from "./pages/orders.js";
import { payPage } from "./pages/pay.js";
import { productPage } from "./pages/product.js";
import { configure, navigate, render, route } from "./router.js";
import { session } from "./session.js";
import { announce } from "./ui.js";

route("/", catalogPage);
route("/products/:id", productPage);
route("/login", loginPage);
route("/register", registerPage);
route("/forgot-password", forgotPasswordPage);
route("/reset-password", resetPasswordPage);
route("/verify-email", verifyEmailPage);
route("/account", accountPage);
route("/cart", cartPage);
route("/checkout", checkoutPage);
route("/orders", ordersPage);
route("/orders/:id", orderPage);
route("/orders/:id/pay", payPage);
route("/notifications", notificationsPage);
route("/admin", adminProductsPage);
route("/admin/products/new", adminProductFormPage);
route("/admin/products/:id", adminProductFormPage);
route("/admin/orders", adminOrdersPage);
route("/admin/users", adminUsersPage);
configure({ notFound: notFoundPage, failed: failedPage });

function updateHeader() {
  const user = session.user();
  const state = { guest: !user, user: Boolean(user), admin: user?.role === "admin" };
  for (const item of document.querySelectorAll("[data-when]")) item.hidden = !state[item.dataset.when];
  const count = cart.count();
  document.getElementById("cart-count").textContent = String(count);
  document
    .getElementById("cart-link")
    .setAttribute("aria-label", `Cart, ${count} ${count === 1 ? "item" : "items"}`);
}

async function logout() {
  const refreshToken = session.get()?.refreshToken;
  // Revoking the refresh token is best effort: the local session ends either way.
  if (refreshToken)
    await api("/api/users/logout", { method: "POST", body: { refreshToken } }).catch(() => {});
  session.end();
  cart.forget();
  announce("You are logged out.");
  navigate("/");
}

document.getElementById("logout").addEventListener("click", () => void logout());
// The skip link must not touch the hash: it holds the route.
document.querySelector(".skip-link").addEventListener("click", (event) => {
  event.preventDefault();
  document.getElementById("main").focus();
});
window.addEventListener("session-change", updateHeader);
window.addEventListener("cart-change", updateHeader);
// Another tab changed the session (its cart is read again with the next page).
window.addEventListener("storage", updateHeader);
window.addEventListener("hashchange", () => void render());
updateHeader();
void render();
// The badge counts the server's cart.
void cart.refresh().catch(() => {});
