import { z } from "@hono/zod-openapi";
import { Roles } from "./headers";

export const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    role: z.enum(Roles),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("User");
export type User = z.infer<typeof UserSchema>;
