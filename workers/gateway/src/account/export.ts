import {
  CartSchema,
  NotificationSchema,
  OrderSchema,
  PaymentSchema,
  PreferencesSchema,
  type ServiceName,
  UserSchema,
} from "@edge-shop/contracts";
import { AppError, errors, INTERNAL_EXPORT_PATH } from "@edge-shop/worker-kit";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { callService } from "../admin/internal-call";
import type { GatewayEnv } from "../gateway-env";

/** What each service contributes to an export: its internal route's answer, checked, keyed as in the export. */
const PARTS = {
  users: z.object({ user: UserSchema }),
  orders: z.object({ orders: z.array(OrderSchema) }),
  payments: z.object({ payments: z.array(PaymentSchema) }),
  notifications: z.object({ notifications: z.array(NotificationSchema), preferences: PreferencesSchema }),
  carts: z.object({ carts: z.array(CartSchema) }),
} satisfies Partial<Record<ServiceName, z.ZodType>>;

/** `GET /api/users/profile/export`: every record of the caller in every service, in one JSON document. */
export const AccountExportSchema = z
  .object({
    ...PARTS.users.shape,
    ...PARTS.orders.shape,
    ...PARTS.payments.shape,
    ...PARTS.notifications.shape,
    ...PARTS.carts.shape,
  })
  .openapi("AccountExport");

async function partOf<S extends keyof typeof PARTS>(c: Context<GatewayEnv>, service: S) {
  const who = c.get("identity");
  if (!who) throw errors.unauthorized();
  const response = await callService(c, service, INTERNAL_EXPORT_PATH, { as: who });
  // The account is gone (deleted since the token was issued): nobody to export.
  if (response.status === 401) throw errors.unauthorized("The account no longer exists");
  if (!response.ok) {
    await response.body?.cancel();
    throw new AppError(502, "service_unavailable", `The ${service} service could not export your data`);
  }
  return PARTS[service].parse(await response.json()) as z.infer<(typeof PARTS)[S]>;
}

/**
 * `GET /api/users/profile/export` (user): the gateway binds every service, so it gathers the export itself, asking
 * each service's internal export route as the caller, in parallel (a service that exported would otherwise have to
 * bind the others, and bindings that form a cycle make a first deploy depend on its order). All or nothing: a
 * service that does not answer fails the export (502/503/504) rather than leave part of the person's data out.
 */
export async function exportAccount(c: Context<GatewayEnv>): Promise<Response> {
  const [users, orders, payments, notifications, carts] = await Promise.all([
    partOf(c, "users"),
    partOf(c, "orders"),
    partOf(c, "payments"),
    partOf(c, "notifications"),
    partOf(c, "carts"),
  ]);
  const body: z.infer<typeof AccountExportSchema> = {
    ...users,
    ...orders,
    ...payments,
    ...notifications,
    ...carts,
  };
  c.header("cache-control", "no-store");
  c.header("content-disposition", 'attachment; filename="edge-shop-export.json"');
  return c.json(body);
}
