import { WorkerEntrypoint } from "cloudflare:workers";
import type { Contact, UsersApi } from "@edge-shop/contracts";
import {
  answerHealthFirst,
  purgeEventRecords,
  republishPending,
  retentionMs,
  rpcCall,
  withContext,
} from "@edge-shop/worker-kit";
import { app } from "./app";
import { database } from "./db/client";
import { deleteExpiredTokens } from "./db/queries/account-tokens";
import { findContacts } from "./db/queries/contacts";
import { deleteExpiredRefreshTokens } from "./db/queries/refresh-tokens";
import { destinations, forgetSentTokens } from "./domain/events";

// Expired refresh tokens are kept a day (a late reuse still finds its row), then dropped; so are account links.
const EXPIRED_TOKEN_GRACE_MS = 24 * 3600_000;

/** Typed RPC for the other services (bound with `entrypoint = "UsersRpc"`). */
export class UsersRpc extends WorkerEntrypoint<Env> implements UsersApi {
  async contacts(userIds: string[], correlationId?: string): Promise<Contact[]> {
    const call = { service: "users", method: "contacts", correlationId, metrics: this.env.METRICS };
    return rpcCall(call, () => findContacts(database(this.env.DB), userIds));
  }
}

export default {
  fetch: answerHealthFirst("users", app.fetch),
  async scheduled(_controller, env) {
    const db = database(env.DB);
    await withContext({ service: "users", metrics: env.METRICS }, () =>
      Promise.all([
        // The sweep runs every minute; the day's margin covers a sweep that did not run for a while.
        republishPending(db, destinations(env)).then(() =>
          forgetSentTokens(db, { sentSince: Date.now() - EXPIRED_TOKEN_GRACE_MS }),
        ),
        deleteExpiredRefreshTokens(db, Date.now() - EXPIRED_TOKEN_GRACE_MS),
        deleteExpiredTokens(db, Date.now() - EXPIRED_TOKEN_GRACE_MS),
        purgeEventRecords(db, Date.now() - retentionMs(env.EVENT_RETENTION_DAYS, 30)),
      ]),
    );
  },
} satisfies ExportedHandler<Env>;
