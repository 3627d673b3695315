import { env, exports } from "cloudflare:workers";
import type { Cart, Identity, ProductQuote } from "@edge-shop/contracts";
import { forwardedAs } from "../../../packages/worker-kit/testing/signed-caller";

/** The products stub's methods (see stubs/products.js). */
interface ProductsStub {
  putProduct(product: Partial<ProductQuote> & { productId: string }): Promise<void>;
  deleteProduct(productId: string): Promise<void>;
  quoteCalls(): Promise<number>;
  failQuotes(count: number): Promise<void>;
}

export const products = env.PRODUCTS as unknown as ProductsStub;

/** A product of the stub's catalog, unique to the calling test (price 1000 USD, stock 100 unless told). */
export async function product(fields: Partial<ProductQuote> = {}): Promise<string> {
  const productId = fields.productId ?? `p-${crypto.randomUUID()}`;
  await products.putProduct({ ...fields, productId });
  return productId;
}

/** A new user, as the gateway would assert it. */
export function user(): Identity {
  return { userId: `user-${crypto.randomUUID()}`, role: "user" };
}

/** A request to the carts worker as the gateway forwards it (signed as `as`, when given). */
export async function call(
  path: string,
  init: { method?: string; as?: Identity; json?: unknown } = {},
): Promise<Response> {
  const headers = await forwardedAs(init.as);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  return exports.default.fetch(`http://carts${path}`, {
    method: init.method ?? (init.json === undefined ? "GET" : "POST"),
    headers,
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });
}

/** The body of a response that must have `status` (the test fails with the body otherwise). */
export async function expectStatus<T = { cart: Cart }>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** A new guest cart. */
export async function guestCart(): Promise<Cart> {
  return (await expectStatus(await call("/api/carts", { method: "POST" }), 201)).cart;
}

/** Adds units of a product to a cart and returns the cart (201/200 expected). */
export async function add(cartId: string, productId: string, quantity: number, as?: Identity): Promise<Cart> {
  const response = await call(`/api/carts/${cartId}/items`, { as, json: { productId, quantity } });
  return (await expectStatus(response, 200)).cart;
}

/** The problem a refused call answered, with its status. */
export async function problemOf(
  response: Response,
): Promise<{ status: number; code: string; detail: string }> {
  const body = (await response.json()) as { code: string; detail: string };
  return { status: response.status, code: body.code, detail: body.detail };
}

/** The lines of a cart as `productId → quantity`. */
export const quantities = (cart: Cart) =>
  Object.fromEntries(cart.items.map((i) => [i.productId, i.quantity]));
