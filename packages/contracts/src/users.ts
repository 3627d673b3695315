import { z } from "@hono/zod-openapi";
import { Roles } from "./headers";

export const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    role: z.enum(Roles),
    emailVerified: z.boolean().openapi({
      description: "The address was confirmed by a link sent to it (unverified accounts can shop)",
    }),
    disabled: z
      .boolean()
      .openapi({ description: "An admin disabled the account: it cannot log in or refresh" }),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("User");
export type User = z.infer<typeof UserSchema>;

/** Password length limits: at least 8 characters (OWASP), at most 128 so hashing cost stays bounded. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** An email as stored: trimmed and lower-cased, so uniqueness is case-insensitive. */
export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email().max(254))
  .openapi({ example: "jane@example.com" });

export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN)
  .max(PASSWORD_MAX)
  .openapi({ format: "password", example: "correct-horse-battery" });

const NameSchema = z.string().trim().min(1).max(100);

// Objects strip unknown keys: a `role` sent by a client is dropped before any handler sees it.
export const RegisterBodySchema = z
  .object({ email: EmailSchema, password: PasswordSchema, firstName: NameSchema, lastName: NameSchema })
  .openapi("RegisterBody");
export type RegisterBody = z.infer<typeof RegisterBodySchema>;

export const LoginBodySchema = z
  .object({ email: EmailSchema, password: z.string().min(1).max(PASSWORD_MAX) })
  .openapi("LoginBody");
export type LoginBody = z.infer<typeof LoginBodySchema>;

export const RefreshTokenBodySchema = z
  .object({ refreshToken: z.string().min(1).max(200) })
  .openapi("RefreshTokenBody");
export type RefreshTokenBody = z.infer<typeof RefreshTokenBodySchema>;

/**
 * PATCH /api/users/profile: names, and/or a password change. The new password may be sent as
 * `newPassword` or `password` (the tutorial's name); `currentPassword` is then required.
 */
export const UpdateProfileBodySchema = z
  .object({
    firstName: NameSchema.optional(),
    lastName: NameSchema.optional(),
    currentPassword: z.string().min(1).max(PASSWORD_MAX).optional(),
    newPassword: PasswordSchema.optional(),
    password: PasswordSchema.optional(),
  })
  .superRefine((body, ctx) => {
    const { firstName, lastName, newPassword, password, currentPassword } = body;
    if (
      firstName === undefined &&
      lastName === undefined &&
      newPassword === undefined &&
      password === undefined
    )
      ctx.addIssue({ code: "custom", path: [], message: "Nothing to change" });
    if (newPassword !== undefined && password !== undefined && newPassword !== password)
      ctx.addIssue({ code: "custom", path: ["newPassword"], message: "newPassword and password differ" });
    if ((newPassword ?? password) !== undefined && currentPassword === undefined)
      ctx.addIssue({ code: "custom", path: ["currentPassword"], message: "Required to change the password" });
  })
  .openapi("UpdateProfileBody");
export type UpdateProfileBody = z.infer<typeof UpdateProfileBodySchema>;

export const TokenPairSchema = z
  .object({
    token: z.string().openapi({ description: "Access JWT (EdDSA), valid for ACCESS_TOKEN_TTL_SECONDS" }),
    refreshToken: z.string().openapi({ description: "Opaque, single use: every refresh returns a new one" }),
  })
  .openapi("TokenPair");
export type TokenPair = z.infer<typeof TokenPairSchema>;

export const AuthResponseSchema = TokenPairSchema.extend({
  message: z.string(),
  user: UserSchema,
}).openapi("AuthResponse");
export type AuthResponse = z.infer<typeof AuthResponseSchema>;

export const UserResponseSchema = z.object({ user: UserSchema }).openapi("UserResponse");

export const JwksSchema = z
  .object({
    keys: z.array(
      z.object({
        kty: z.literal("OKP"),
        crv: z.literal("Ed25519"),
        x: z.string(),
        kid: z.string(),
        alg: z.literal("EdDSA"),
        use: z.literal("sig"),
      }),
    ),
  })
  .openapi("Jwks");
export type Jwks = z.infer<typeof JwksSchema>;
