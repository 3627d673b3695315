// Request and response bodies of the account routes only the users service serves (shared shapes such as
// `User` live in packages/contracts).
import {
  EmailSchema,
  PASSWORD_MAX,
  PageQuerySchema,
  PaginationSchema,
  PasswordSchema,
  Roles,
  UserSchema,
} from "@edge-shop/contracts";
import { z } from "@hono/zod-openapi";

const CurrentPasswordSchema = z.string().min(1).max(PASSWORD_MAX).openapi({ format: "password" });

// Any string: a malformed token is refused like an unknown one (400 invalid_token), not as a validation error.
const TokenSchema = z
  .string()
  .max(512)
  .openapi({ description: "The `token` parameter of the emailed link", example: "q3Xb…" });

export const TokenBodySchema = z.object({ token: TokenSchema }).openapi("TokenBody");

export const ForgotPasswordBodySchema = z.object({ email: EmailSchema }).openapi("ForgotPasswordBody");

export const ResetPasswordBodySchema = z
  .object({ token: TokenSchema, password: PasswordSchema })
  .openapi("ResetPasswordBody");

export const ChangeEmailBodySchema = z
  .object({ newEmail: EmailSchema, currentPassword: CurrentPasswordSchema })
  .openapi("ChangeEmailBody");

export const DeleteAccountBodySchema = z
  .object({ currentPassword: CurrentPasswordSchema })
  .openapi("DeleteAccountBody");

/** The body of a 202: what happens next, in words (the same whatever the outcome where it must not tell). */
export const AcceptedSchema = z.object({ message: z.string() }).openapi("Accepted");

export const UserListQuerySchema = PageQuerySchema.extend({
  search: z
    .string()
    .trim()
    .max(200)
    .optional()
    .openapi({ description: "Part of the email, first name, last name or full name (case-insensitive)" }),
  role: z.enum(Roles).optional(),
});

export const UserListSchema = z
  .object({ users: z.array(UserSchema), pagination: PaginationSchema })
  .openapi("UserList");

export const AdminUserPatchSchema = z
  .object({ role: z.enum(Roles).optional(), disabled: z.boolean().optional() })
  .refine((patch) => patch.role !== undefined || patch.disabled !== undefined, {
    message: "Send role, disabled or both",
  })
  .openapi("AdminUserPatch");
