import { CartSchema } from "@edge-shop/contracts";
import { openApi, requireUser, type ServiceApp } from "@edge-shop/worker-kit";
import { createRoute, z } from "@hono/zod-openapi";
import { CartLimits } from "../domain/cart-limits";
import { addItem, claimCart, createCart, currentCart, readCart, removeItem, setItem } from "../domain/carts";

const { access, json, jsonBody, problem } = openApi;

const tags = ["Carts"];
// A guest cart needs no token; a user's cart needs its owner's (anyone else gets 404).
const holder = { security: [{}, { bearerAuth: [] }] as Record<string, string[]>[] };

const CartResponseSchema = z.object({ cart: CartSchema }).openapi("CartResponse");

/** `POST /api/carts/:id/items`: adds to the line when the product is already in the cart. */
const AddCartItemSchema = z
  .object({
    productId: z.string().min(1).max(100),
    quantity: z.number().int().min(1).max(CartLimits.quantity),
  })
  .openapi("AddCartItem", { example: { productId: "prod_1", quantity: 1 } });

/** `PATCH /api/carts/:id/items/:productId`: the line's new quantity; 0 removes it. */
const SetCartItemSchema = z
  .object({ quantity: z.number().int().min(0).max(CartLimits.quantity) })
  .openapi("SetCartItem", { example: { quantity: 2 } });

const pathParam = (name: string) =>
  z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name, in: "path" } });
const CartParams = z.object({ id: pathParam("id") });
const LineParams = z.object({ id: pathParam("id"), productId: pathParam("productId") });

const problems = {
  400: problem("Invalid body or parameters (errors[])"),
  401: problem("Authentication required"),
  404: problem("No such cart for this caller (a user's cart is 404 to everyone else)"),
  409: problem(
    "The line cannot have that quantity: `insufficient_stock`, `max_per_order_exceeded` (the product's per-order " +
      "limit), `quantity_limit` (100 units per line), `cart_full` (50 lines), `mixed_currency`",
  ),
  503: problem("The catalog is not reachable; try again (`products_unavailable`)"),
};

const createCartRoute = createRoute({
  method: "post",
  path: "/api/carts",
  tags,
  summary: "A cart: with a token, the caller's own; without, a new guest cart",
  description:
    "With a token this is the caller's current cart (created empty on first use; the same cart as GET /api/cart). " +
    "Without one, a new guest cart whose unguessable id is the only way to reach it: keep it, and claim it at login.",
  ...holder,
  responses: {
    201: json(CartResponseSchema, "The cart"),
    503: problems[503],
  },
});

const myCartRoute = createRoute({
  method: "get",
  path: "/api/cart",
  tags,
  summary: "The caller's current cart (created empty on first use)",
  ...access("user"),
  responses: {
    200: json(CartResponseSchema, "The cart, priced at the current catalog prices"),
    401: problems[401],
    503: problems[503],
  },
});

const readCartRoute = createRoute({
  method: "get",
  path: "/api/carts/{id}",
  tags,
  summary: "A cart, re-priced: lines the stock no longer covers say `available: false`",
  ...holder,
  request: { params: CartParams },
  responses: {
    200: json(CartResponseSchema, "The cart"),
    400: problems[400],
    404: problems[404],
    503: problems[503],
  },
});

const addItemRoute = createRoute({
  method: "post",
  path: "/api/carts/{id}/items",
  tags,
  summary: "Add units of a product (to its line if there is one)",
  ...holder,
  request: { params: CartParams, body: jsonBody(AddCartItemSchema) },
  responses: {
    200: json(CartResponseSchema, "The cart"),
    400: problems[400],
    404: problem("No such cart for this caller, or no such (active) product (`product_not_found`)"),
    409: problems[409],
    503: problems[503],
  },
});

const setItemRoute = createRoute({
  method: "patch",
  path: "/api/carts/{id}/items/{productId}",
  tags,
  summary: "Set a line's quantity; 0 removes the line",
  ...holder,
  request: { params: LineParams, body: jsonBody(SetCartItemSchema) },
  responses: {
    200: json(CartResponseSchema, "The cart"),
    400: problems[400],
    404: problem(
      "No such cart for this caller (`not_found`), no such line (`line_not_found`), or the product is no longer " +
        "sold (`product_not_found`)",
    ),
    409: problems[409],
    503: problems[503],
  },
});

const removeItemRoute = createRoute({
  method: "delete",
  path: "/api/carts/{id}/items/{productId}",
  tags,
  summary: "Remove a line (a product not in the cart changes nothing)",
  ...holder,
  request: { params: LineParams },
  responses: {
    200: json(CartResponseSchema, "The cart"),
    400: problems[400],
    404: problems[404],
    503: problems[503],
  },
});

const claimRoute = createRoute({
  method: "post",
  path: "/api/carts/{id}/claim",
  tags,
  summary: "Move a guest cart's lines into the caller's cart (at login)",
  description:
    "Quantities add up, capped by stock, the product's per-order limit and 100 per line; lines of products no " +
    "longer sold are dropped. The guest cart is then empty. Exactly once, even when called twice at once.",
  ...access("user"),
  request: { params: CartParams },
  responses: {
    200: json(CartResponseSchema, "The caller's cart, with the guest cart's lines"),
    400: problems[400],
    401: problems[401],
    404: problem("No such guest cart (another user's cart is 404 too)"),
    409: problem("The guest cart is being checked out (`checkout_in_progress`); retry"),
    503: problems[503],
  },
});

/** The /api/cart and /api/carts routes. */
export function cartRoutes(app: ServiceApp<Env>): void {
  app.openapi(createCartRoute, async (c) => c.json({ cart: await createCart(c.env, c.var.identity) }, 201));

  app.openapi(myCartRoute, async (c) => {
    const who = requireUser(c);
    return c.json({ cart: await currentCart(c.env, who.userId) }, 200);
  });

  app.openapi(readCartRoute, async (c) => {
    const { id } = c.req.valid("param");
    return c.json({ cart: await readCart(c.env, id, c.var.identity?.userId ?? null) }, 200);
  });

  app.openapi(addItemRoute, async (c) => {
    const { id } = c.req.valid("param");
    const cart = await addItem(c.env, id, c.var.identity?.userId ?? null, c.req.valid("json"));
    return c.json({ cart }, 200);
  });

  app.openapi(setItemRoute, async (c) => {
    const { id, productId } = c.req.valid("param");
    const { quantity } = c.req.valid("json");
    const cart = await setItem(c.env, id, c.var.identity?.userId ?? null, productId, quantity);
    return c.json({ cart }, 200);
  });

  app.openapi(removeItemRoute, async (c) => {
    const { id, productId } = c.req.valid("param");
    return c.json({ cart: await removeItem(c.env, id, c.var.identity?.userId ?? null, productId) }, 200);
  });

  app.openapi(claimRoute, async (c) => {
    const who = requireUser(c);
    return c.json({ cart: await claimCart(c.env, c.req.valid("param").id, who.userId) }, 200);
  });
}
