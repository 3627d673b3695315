import { z } from "@hono/zod-openapi";

export const PaymentStatuses = ["succeeded", "failed", "refunded"] as const;

export const PaymentSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    status: z.enum(PaymentStatuses),
    amount: z.number().int().openapi({ description: "Minor units (cents)" }),
    currency: z.string().length(3),
    failureReason: z.string().nullable(),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Payment");
export type Payment = z.infer<typeof PaymentSchema>;
