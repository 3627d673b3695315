/** Headers the gateway sets on every request it forwards; services trust them because only the gateway can reach them. */
export const Headers = {
  requestId: "x-request-id",
  userId: "x-user-id",
  userRole: "x-user-role",
  idempotencyKey: "idempotency-key",
} as const;

/** The headers a client must never be able to set itself: the gateway strips them before forwarding. */
export const identityHeaders = [Headers.userId, Headers.userRole] as const;

export const Roles = ["user", "admin"] as const;
export type Role = (typeof Roles)[number];

/** The caller as verified by the gateway. */
export interface Identity {
  userId: string;
  role: Role;
}
