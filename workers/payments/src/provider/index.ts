import { AppError } from "@edge-shop/worker-kit";
import { simulatorProvider } from "./simulator";
import { stripeProvider } from "./stripe";
import type { PaymentProvider } from "./types";

export const DEFAULT_PROVIDER_URL = "https://api.stripe.com";

/** The adapter named by `PAYMENT_PROVIDER` (new charges) or stored on a payment (its refund, its settling). */
export function providerFor(env: Env, name = env.PAYMENT_PROVIDER || "simulator"): PaymentProvider {
  if (name === "simulator") return simulatorProvider();
  if (name === "stripe") {
    if (!env.PAYMENT_PROVIDER_SECRET) {
      throw new AppError(500, "provider_not_configured", "The payment provider is not configured");
    }
    return stripeProvider({
      baseUrl: env.PAYMENT_PROVIDER_URL || DEFAULT_PROVIDER_URL,
      secretKey: env.PAYMENT_PROVIDER_SECRET,
    });
  }
  throw new AppError(500, "provider_not_configured", `Unknown payment provider ${name}`);
}
