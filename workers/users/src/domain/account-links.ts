import { type EventEnvelope, parseEvent } from "@edge-shop/contracts";
import { AppError, newEvent, type OutboxedEvent } from "@edge-shop/worker-kit";
import type { SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { insertTokenFor, outboxForToken } from "../db/queries/account-tokens";
import type { TokenPurpose } from "../db/schema";
import { hashToken, randomToken } from "../tokens/opaque";
import { ROUTES, SERVICE } from "./events";

/** How long each kind of link works. */
export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  verify_email: 24 * 3600_000,
  reset_password: 30 * 60_000,
  change_email: 24 * 3600_000,
};

/** The one answer to every token that cannot be used: unknown, used, expired, of another kind, or malformed. */
export function invalidToken(): AppError {
  return new AppError(400, "invalid_token", "The link is invalid, has expired or was already used");
}

/** The event that carries each kind of link to its address. */
const EVENT_OF = {
  verify_email: "user.verification_requested",
  reset_password: "user.password_reset_requested",
  change_email: "user.email_change_requested",
} as const satisfies Record<TokenPurpose, keyof typeof ROUTES>;

/** A fresh verification token for an account being created (its row goes into the registration's batch). */
export function verificationToken(now: number) {
  return { token: randomToken(), expiresAt: now + TOKEN_TTL_MS.verify_email };
}

/**
 * Issues a link for the account `who` selects (a condition on users), bound to `email` (an expression over
 * users, or a value): the token row and its email's outbox row in ONE batch of INSERT … SELECT statements, so the
 * same statements run whether or not such an account exists (or may receive it: disabled, too many live links).
 * Answers the event to publish, or undefined when nothing was issued.
 */
export async function issueLink(
  db: Db,
  target: { who: SQL; email: SQL },
  purpose: TokenPurpose,
  options: { now: number; correlationId: string },
): Promise<OutboxedEvent | undefined> {
  const token = randomToken();
  const tokenId = crypto.randomUUID();
  const expiresAt = options.now + TOKEN_TTL_MS[purpose];
  const type = EVENT_OF[purpose];
  // The account's part of the event is filled in by the outbox insert, from the rows themselves.
  const blank = { userId: "", email: "", firstName: "", token, expiresAt: new Date(expiresAt).toISOString() };
  const event = newEvent(type, blank, { source: SERVICE, correlationId: options.correlationId });
  const [destination, ...others] = ROUTES[type];
  if (!destination || others.length > 0) throw new Error(`${type} must have one destination`);
  const [, written] = await db.batch([
    insertTokenFor(db, target.who, target.email, {
      id: tokenId,
      tokenHash: await hashToken(token),
      purpose,
      now: options.now,
      expiresAt,
    }),
    outboxForToken(db, event as EventEnvelope, destination, tokenId),
  ]);
  const [row] = written;
  return row ? { event: parseEvent(JSON.parse(row.body)), destinations: [destination] } : undefined;
}
