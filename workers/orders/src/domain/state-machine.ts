import type { OrderStatus } from "@edge-shop/contracts";
import { AppError } from "@edge-shop/worker-kit";

/**
 * The only transitions an order may take (DESIGN, "The order saga"). Everything else is a 409.
 * Each one is applied as a guarded UPDATE (`WHERE status = from`), so two racing transitions cannot both win.
 */
export const Transitions: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ["paid", "cancelled"],
  paid: ["shipped", "refunded"],
  shipped: ["delivered"],
  delivered: [],
  cancelled: [],
  refunded: [],
};

/** Whether `from → to` is a transition of the state machine. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return Transitions[from].includes(to);
}

/** The 409 problem for a transition the state machine does not allow (or that lost a race). */
export function invalidTransition(from: OrderStatus, to: OrderStatus): AppError {
  return new AppError(409, "invalid_transition", `An order that is ${from} cannot become ${to}`);
}

/** Throws `invalid_transition` unless `from → to` is allowed. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) throw invalidTransition(from, to);
}
