import {
  CreateOrderSchema,
  OrderSchema,
  OrderStatuses,
  PageQuerySchema,
  PaginationSchema,
  pagination,
  UpdateOrderStatusSchema,
} from "@edge-shop/contracts";
import {
  IdempotencyKeyHeaderSchema,
  idempotency,
  idempotentResponse,
  openApi,
  requireAdmin,
  requireUser,
  type ServiceApp,
  type ServiceEnv,
} from "@edge-shop/worker-kit";
import { createRoute, z } from "@hono/zod-openapi";
import { database } from "../db/client";
import { listOrders } from "../db/queries/orders";
import { cancelOrder, visibleOrder } from "../domain/cancel-order";
import { createOrder } from "../domain/create-order";
import { fulfilOrder } from "../domain/fulfil-order";
import { toOrder } from "../domain/order-view";
import { bookmarkHeader, bookmarkRequestHeader, withOrdersSession } from "./bookmark";

const { access, json, jsonBody, problem } = openApi;

const tags = ["Orders"];
const OrderResponseSchema = z.object({ order: OrderSchema }).openapi("OrderResponse");
const OrderListSchema = z
  .object({ orders: z.array(OrderSchema), pagination: PaginationSchema })
  .openapi("OrderList");
const IdParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" } }),
});
const ListQuerySchema = PageQuerySchema.extend({ status: z.enum(OrderStatuses).optional() });

const createOrderRoute = createRoute({
  method: "post",
  path: "/api/orders",
  tags,
  summary: "Place an order (idempotent): the given items, or a cart's lines",
  description:
    "Prices come from the catalog, never from the client (extra fields such as `price` are ignored). Stock is " +
    "reserved for every item or none. With `cartId` (instead of `items`) the order is exactly that cart's lines " +
    "at the current prices, and the cart is emptied once the order exists; checkouts of one cart at the same " +
    "time (two tabs, retries with other keys) make one order and all answer it. At most MAX_PENDING_ORDERS " +
    "(default 3) unpaid orders per user. The order's `total` (what is charged) is `subtotal` − `discountTotal` " +
    "(the `promotionCode`) + `shippingTotal` (`shippingOptionId`, default `standard`; GET /api/shipping-options " +
    "lists those for the address's `country`) + `taxTotal` (the country's rate on subtotal − discount + " +
    "shipping, rounded half-up once). A code's limits hold however many orders run at once. Replaying the same `Idempotency-Key` with the same body returns the " +
    "first response with `Idempotent-Replayed: true`. An unpaid order expires after ORDER_TTL_MINUTES (default 30).",
  ...access("user", idempotency<ServiceEnv<Env>>({ db: (c) => database(c.env.DB) })),
  request: { headers: IdempotencyKeyHeaderSchema, body: jsonBody(CreateOrderSchema) },
  responses: {
    201: {
      ...json(
        OrderResponseSchema,
        "The pending order (for a cart checked out more than once at a time: its one order)",
      ),
      headers: bookmarkHeader,
    },
    400: problem(
      "Invalid body (errors[]; `items` and `cartId` are exclusive), missing Idempotency-Key " +
        "(`idempotency_key_required`), unknown or inactive product (`product_not_found`, `product_inactive`), or " +
        "products of several currencies (`mixed_currency`)",
    ),
    401: problem("Authentication required"),
    404: problem("No such cart for this caller (`not_found`)"),
    409: problem(
      "Not enough stock (`insufficient_stock`, nothing reserved), more than a product's limit per order " +
        "(`max_per_order_exceeded`), too many unpaid orders (`too_many_pending_orders`), an empty cart " +
        "(`cart_empty`), the cart's checkout still running (`checkout_in_progress`, with Retry-After), or the " +
        "key's first request is still running",
    ),
    422: problem(
      "The Idempotency-Key was used with a different request (`idempotency_key_reused`), the shipping option " +
        "does not ship to the address's country (`shipping_unavailable`), or the promotion code does not apply " +
        "(`invalid_promotion` with `reason`: `not_found`, `inactive`, `not_started`, `expired`, `currency`, " +
        "`min_subtotal`, `usage_limit`, `customer_limit`)",
    ),
    503: problem("The catalog or the cart is not reachable; retry with the same key"),
  },
});

const listOrdersRoute = createRoute({
  method: "get",
  path: "/api/orders",
  tags,
  ...access("user"),
  summary: "The caller's orders, newest first (admins: everyone's)",
  request: { query: ListQuerySchema, headers: bookmarkRequestHeader },
  responses: {
    200: { ...json(OrderListSchema, "A page of orders"), headers: bookmarkHeader },
    400: problem("Invalid query"),
    401: problem("Authentication required"),
  },
});

const getOrderRoute = createRoute({
  method: "get",
  path: "/api/orders/{id}",
  tags,
  ...access("user"),
  summary: "One order (another user's is 404)",
  request: { params: IdParamSchema, headers: bookmarkRequestHeader },
  responses: {
    200: { ...json(OrderResponseSchema, "The order"), headers: bookmarkHeader },
    400: problem("Invalid id (errors[])"),
    401: problem("Authentication required"),
    404: problem("No such order for this caller"),
  },
});

const cancelOrderRoute = createRoute({
  method: "post",
  path: "/api/orders/{id}/cancel",
  tags,
  ...access("user"),
  summary: "Cancel an order (owner or admin)",
  description:
    "A `pending` order becomes `cancelled`, its stock is released and its promotion code's use is given back. A `paid` order becomes `refunded` at " +
    "once and its stock is released; the money goes back asynchronously (payments refunds at the provider " +
    "on `order.refunded`, with retries). Any other status is 409 `invalid_transition`.",
  request: { params: IdParamSchema },
  responses: {
    200: { ...json(OrderResponseSchema, "The cancelled or refunded order"), headers: bookmarkHeader },
    400: problem("Invalid id (errors[])"),
    401: problem("Authentication required"),
    404: problem("No such order for this caller"),
    409: problem("The order cannot be cancelled in its status (`invalid_transition`)"),
  },
});

const updateStatusRoute = createRoute({
  method: "patch",
  path: "/api/orders/{id}/status",
  tags,
  ...access("admin"),
  summary: "Fulfilment (admin): paid → shipped → delivered",
  request: { params: IdParamSchema, body: jsonBody(UpdateOrderStatusSchema) },
  responses: {
    200: json(OrderResponseSchema, "The updated order"),
    400: problem("Invalid body"),
    401: problem("Authentication required"),
    403: problem("Admin role required"),
    404: problem("No such order"),
    409: problem("Not allowed from the order's status (`invalid_transition`)"),
  },
});

/** The /api/orders routes. */
export function orderRoutes(app: ServiceApp<Env>): void {
  app.openapi(createOrderRoute, async (c) => {
    const who = requireUser(c);
    // The 201 is stored as the Idempotency-Key's answer in the order's own batch (one write fewer, and the
    // order never exists without its replayable answer).
    const order = await withOrdersSession(
      c,
      c.env.DB,
      (db) =>
        createOrder(c.env, c.executionCtx, db, who, c.req.valid("json"), c.get("requestId"), (created) =>
          idempotentResponse(c, db, 201, { order: created }),
        ),
      { write: true },
    );
    return c.json({ order }, 201);
  });

  app.openapi(listOrdersRoute, async (c) => {
    const who = requireUser(c);
    const query = c.req.valid("query");
    const page = await withOrdersSession(c, c.env.DB, (db) =>
      listOrders(db, {
        userId: who.role === "admin" ? undefined : who.userId,
        status: query.status,
        page: query.page,
        limit: query.limit,
      }),
    );
    return c.json({ orders: page.orders.map(toOrder), pagination: pagination(query, page.total) }, 200);
  });

  app.openapi(getOrderRoute, async (c) => {
    const order = await withOrdersSession(c, c.env.DB, (db) =>
      visibleOrder(db, requireUser(c), c.req.valid("param").id),
    );
    return c.json({ order: toOrder(order) }, 200);
  });

  app.openapi(cancelOrderRoute, async (c) => {
    const who = requireUser(c);
    const order = await withOrdersSession(
      c,
      c.env.DB,
      (db) => cancelOrder(c.env, db, who, c.req.valid("param").id, c.get("requestId")),
      { write: true },
    );
    return c.json({ order }, 200);
  });

  app.openapi(updateStatusRoute, async (c) => {
    requireAdmin(c);
    const { status } = c.req.valid("json");
    const order = await fulfilOrder(
      c.env,
      database(c.env.DB),
      c.req.valid("param").id,
      status,
      c.get("requestId"),
    );
    return c.json({ order }, 200);
  });
}
