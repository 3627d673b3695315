import { z } from "@hono/zod-openapi";

export const NotificationSchema = z
  .object({
    id: z.string(),
    channel: z.enum(["email", "sms"]),
    to: z.string(),
    subject: z.string(),
    body: z.string(),
    status: z.enum(["pending", "sent", "failed"]),
    eventType: z.string(),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Notification");
export type Notification = z.infer<typeof NotificationSchema>;
