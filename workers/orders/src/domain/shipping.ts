import { AppError } from "@edge-shop/worker-kit";

/** A way to ship an order, as the demo shop configures it (docs/architecture.md, "Money at checkout"). */
export interface ShippingMethod {
  id: string;
  name: string;
  /** Minor units of the order's currency. */
  amount: number;
  /** Free from this subtotal (minor units), when set. */
  freeFrom?: number;
  estimatedDays: number;
  /** ISO country codes it ships to; undefined: everywhere, an address without a country included. */
  countries?: readonly string[];
}

const METHODS: readonly ShippingMethod[] = [
  { id: "standard", name: "Standard", amount: 499, freeFrom: 5000, estimatedDays: 5 },
  {
    id: "express",
    name: "Express",
    amount: 1499,
    estimatedDays: 2,
    // Not to NO (only standard ships there), nor to an address that names no country.
    countries: ["US", "CA", "GB", "DE", "FR", "NL", "BE", "AT", "IT", "ES"],
  },
];

export const DEFAULT_SHIPPING_OPTION = "standard";

export interface ShippingQuote {
  id: string;
  name: string;
  amount: number;
  currency: string;
  estimatedDays: number;
}

const shipsTo = (method: ShippingMethod, country: string | null) =>
  method.countries === undefined || (country !== null && method.countries.includes(country));

const quote = (method: ShippingMethod, subtotal: number, currency: string): ShippingQuote => ({
  id: method.id,
  name: method.name,
  amount: method.freeFrom !== undefined && subtotal >= method.freeFrom ? 0 : method.amount,
  currency,
  estimatedDays: method.estimatedDays,
});

/** The options that ship to `country` (null: the address names none), priced for the subtotal. */
export function shippingOptions(country: string | null, subtotal: number, currency: string): ShippingQuote[] {
  return METHODS.filter((m) => shipsTo(m, country)).map((m) => quote(m, subtotal, currency));
}

/** The option `id` if it ships to `country`; else 422 `shipping_unavailable`. */
export function shippingMethod(id: string, country: string | null): ShippingMethod {
  const method = METHODS.find((m) => m.id === id);
  if (!method || !shipsTo(method, country)) {
    throw new AppError(
      422,
      "shipping_unavailable",
      `Shipping option "${id}" does not ship to ${country ?? "an address without a country"}`,
      { errors: [{ path: "shippingOptionId", message: "Not available for this address" }] },
    );
  }
  return method;
}

/** The chosen option priced for the order's subtotal. */
export function chooseShipping(method: ShippingMethod, subtotal: number, currency: string): ShippingQuote {
  return quote(method, subtotal, currency);
}

/** The destination country of an address: its `country` field as a two-letter code, else null. */
export function countryOf(address: string | Record<string, string>): string | null {
  if (typeof address === "string") return null;
  const entry = Object.entries(address).find(([key]) => key.toLowerCase() === "country");
  const code = entry?.[1].trim().toUpperCase();
  return code && /^[A-Z]{2}$/.test(code) ? code : null;
}
