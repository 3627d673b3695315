import { z } from "@hono/zod-openapi";

/**
 * `processing` while the provider's outcome is not known yet (it is settled later, never charged twice);
 * `requires_action` while the customer authenticates the card (3-D Secure) at `nextAction.url`.
 */
export const PaymentStatuses = ["processing", "requires_action", "succeeded", "failed", "refunded"] as const;
export type PaymentStatus = (typeof PaymentStatuses)[number];

export const NextActionSchema = z
  .object({
    type: z.literal("redirect"),
    url: z.string().openapi({
      format: "uri",
      description: "Send the customer's browser here to authenticate the card; it comes back to the order",
    }),
  })
  .openapi("PaymentNextAction");

export const PaymentSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    status: z.enum(PaymentStatuses),
    amount: z.number().int().openapi({ description: "Minor units (cents), taken from the order" }),
    currency: z.string().length(3),
    failureReason: z
      .string()
      .nullable()
      .openapi({ description: "Why the charge failed (`card_declined`, …); null unless status is failed" }),
    amountRefunded: z
      .number()
      .int()
      .openapi({ description: "Minor units refunded so far (a partial refund keeps status `succeeded`)" }),
    nextAction: NextActionSchema.nullable().openapi({
      description: "What the customer must do while status is `requires_action`; null otherwise",
    }),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Payment");
export type Payment = z.infer<typeof PaymentSchema>;

/** The body of `POST /api/payments`: the amount is never sent, it comes from the order. */
export const CreatePaymentSchema = z
  .object({
    orderId: z.string().min(1).max(100),
    method: z
      .object({
        type: z.literal("card"),
        token: z
          .string()
          .min(1)
          .max(255)
          .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only")
          .openapi({ example: "tok_visa" }),
      })
      .openapi({ description: "Only cards; the token comes from the provider's client-side library" }),
  })
  // Unknown fields (a client-sent `amount`) are dropped, never used.
  .openapi("CreatePayment");
export type CreatePayment = z.infer<typeof CreatePaymentSchema>;
