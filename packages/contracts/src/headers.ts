/** Headers the gateway sets on every request it forwards. */
export const Headers = {
  requestId: "x-request-id",
  /** The caller the gateway verified, signed for this one request (worker-kit's `signIdentity`). */
  identity: "x-identity",
  idempotencyKey: "idempotency-key",
  /**
   * The orders database's D1 bookmark (read replicas): orders answers it on the order history and on every write
   * of an order; a client sends back the last one it got, so its next read sees at least that (issue 27).
   */
  ordersBookmark: "x-orders-bookmark",
  /** The catalog (products) database's D1 bookmark: the same, for catalog reads and admin writes of products. */
  catalogBookmark: "x-catalog-bookmark",
} as const;

/**
 * Headers a client must never be able to pass through: the gateway strips them before forwarding (the unsigned
 * `x-user-*` pair is what services once trusted; nothing reads it now, and nothing may smuggle it in).
 */
export const identityHeaders = [Headers.identity, "x-user-id", "x-user-role"] as const;

export const Roles = ["user", "admin"] as const;
export type Role = (typeof Roles)[number];

/** The caller as verified by the gateway. */
export interface Identity {
  userId: string;
  role: Role;
}
