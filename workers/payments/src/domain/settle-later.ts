import { errorFields, log } from "@edge-shop/worker-kit";
import type { Db } from "../db/client";
import { abandonedAuthentications, unsettledAttempts } from "../db/queries/payments";
import type { PaymentRow, PaymentRowStatus } from "../db/schema";
import { providerFor } from "../provider";
import type { ChargeOutcome } from "../provider/types";
import { recordFailure, recordRequiresAction, recordSuccess } from "./settle";

/** A payment request never runs this long: an attempt processing for longer has an unknown outcome. */
export const SETTLE_AFTER_MS = 60 * 1000;
/** After this long with nothing known, an attempt is given up (cancelled at the provider when it can be). */
export const STALE_ATTEMPT_MS = 10 * 60 * 1000;
/** A card authentication (3-D Secure) not finished within this fails, and the order is free for another try. */
export const AUTHENTICATION_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Records what the provider says of a waiting payment. `abandonedAs` is the failure reason when the provider
 * cancelled it on our request. Returns whether anything was recorded (`processing` records nothing).
 */
async function settle(
  env: Env,
  db: Db,
  payment: PaymentRow,
  outcome: ChargeOutcome,
  abandonedAs?: string,
): Promise<boolean> {
  const from: PaymentRowStatus[] = [payment.status];
  const t = { from, correlationId: payment.id };
  const known = { ...payment, providerRef: outcome.providerRef ?? payment.providerRef };
  switch (outcome.status) {
    case "succeeded": {
      const order = await env.ORDERS.getOrder(
        payment.orderId,
        { userId: payment.userId, role: "user" },
        payment.id,
      );
      return (await recordSuccess(env, db, known, order ?? { items: [] }, t)).won;
    }
    case "failed":
      return (await recordFailure(env, db, known, abandonedAs ?? outcome.reason, t)).won;
    case "requires_action":
      return (
        payment.status === "processing" &&
        (await recordRequiresAction(db, known, outcome.nextActionUrl, t)).won
      );
    case "processing":
      return false;
  }
}

/** Runs `task` for each payment; one that throws is logged and left for the next run. */
async function each(rows: PaymentRow[], task: (p: PaymentRow) => Promise<boolean>, what: string) {
  let settled = 0;
  for (const payment of rows) {
    try {
      if (await task(payment)) settled++;
    } catch (error) {
      log("error", `${what} failed; the next run retries`, { paymentId: payment.id, ...errorFields(error) });
    }
  }
  return settled;
}

/**
 * Attempts left `processing` (the provider was still working, its answer was lost, or the request died): the
 * provider is asked (the PaymentIntent retrieved) and its answer recorded. One it still cannot settle after
 * STALE_ATTEMPT_MS is cancelled at the provider and failed `abandoned`, which frees the order; if the provider
 * had charged it meanwhile, that is what is recorded (and a charge it reports later by webhook is a late
 * success, refunded if the order found another payment).
 */
export async function settleUnknownOutcomes(env: Env, db: Db, now: number): Promise<number> {
  const rows = await unsettledAttempts(db, now - SETTLE_AFTER_MS);
  return each(
    rows,
    async (payment) => {
      const provider = providerFor(env, payment.provider);
      const outcome = await provider.retrieve({ paymentId: payment.id, providerRef: payment.providerRef });
      if (outcome.status !== "processing" || payment.updatedAt >= now - STALE_ATTEMPT_MS) {
        return settle(env, db, payment, outcome);
      }
      const last = await provider.cancel({ paymentId: payment.id, providerRef: payment.providerRef });
      // Without a reference nobody can ask the provider: give it up (its webhook, if any, comes later).
      const final: ChargeOutcome =
        last.status === "processing" && !payment.providerRef
          ? { status: "failed", reason: "abandoned", transient: true, providerRef: null }
          : last;
      return settle(env, db, payment, final, "abandoned");
    },
    "settling an unknown outcome",
  );
}

/**
 * Authentications the customer never finished: cancelled at the provider (so they can no longer succeed) and
 * failed `authentication_abandoned`, which frees the order for another attempt. One completed at the last
 * moment is recorded as the success it is.
 */
export async function expireAuthentications(env: Env, db: Db, now: number): Promise<number> {
  const rows = await abandonedAuthentications(db, now - AUTHENTICATION_TIMEOUT_MS);
  return each(
    rows,
    async (payment) => {
      const provider = providerFor(env, payment.provider);
      const outcome = await provider.cancel({ paymentId: payment.id, providerRef: payment.providerRef });
      return settle(env, db, payment, outcome, "authentication_abandoned");
    },
    "expiring an authentication",
  );
}
