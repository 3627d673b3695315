import { z } from "@hono/zod-openapi";
import { PaginationSchema } from "./pagination";

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

export const NotificationListSchema = z
  .object({ notifications: z.array(NotificationSchema), pagination: PaginationSchema })
  .openapi("NotificationList");
export type NotificationList = z.infer<typeof NotificationListSchema>;

/** An E.164 phone number: `+`, country code, at most 15 digits in all. */
export const E164_PATTERN = /^\+[1-9]\d{1,14}$/;

export const PhoneSchema = z
  .string()
  .regex(E164_PATTERN, "Must be an E.164 phone number such as +14155550123")
  .openapi({ example: "+14155550123" });

export const PreferencesSchema = z
  .object({ email: z.boolean(), sms: z.boolean(), phone: PhoneSchema.nullable() })
  .openapi("NotificationPreferences");
export type Preferences = z.infer<typeof PreferencesSchema>;

/** The defaults of a user who never set preferences: email on, sms off. */
export const DEFAULT_PREFERENCES: Preferences = { email: true, sms: false, phone: null };

// Every field is optional: a PATCH changes only what it names. `phone: null` removes the number.
export const PreferencesPatchSchema = z
  .object({
    email: z.boolean().optional(),
    sms: z.boolean().optional(),
    phone: PhoneSchema.nullable().optional(),
  })
  .openapi("NotificationPreferencesPatch");
export type PreferencesPatch = z.infer<typeof PreferencesPatchSchema>;

export const PreferencesResponseSchema = z
  .object({ preferences: PreferencesSchema })
  .openapi("NotificationPreferencesResponse");
