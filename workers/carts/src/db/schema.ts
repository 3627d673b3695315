import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

// The outbox is empty (carts publishes no event) but every service has one: GET /api/admin/status reads its backlog.
// The inbox and the dead letters are carts-queue's (`user.deleted`).
export { deadLetters, inbox, messageFailures, outbox } from "@edge-shop/worker-kit";

/**
 * Which cart is each user's current one (GET /api/cart). A user's cart is a Durable Object named by a random id
 * like any other cart, so its id says nothing about its owner; this row is how the owner finds it again, and what
 * account deletion and export look up.
 */
export const userCarts = sqliteTable("user_carts", {
  userId: text("user_id").primaryKey(),
  cartId: text("cart_id").notNull().unique(),
  createdAt: integer("created_at").notNull(),
});
