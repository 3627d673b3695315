import type { Contact } from "@edge-shop/contracts";
import { chunksOf, D1_MAX_BOUND_PARAMETERS } from "@edge-shop/worker-kit";
import { inArray } from "drizzle-orm";
import type { Db } from "../client";
import { users } from "../schema";

/** The contact details of the given users (unknown ids left out): one read per 100 distinct ids. */
export async function findContacts(db: Db, userIds: string[]): Promise<Contact[]> {
  const contacts: Contact[] = [];
  for (const ids of chunksOf([...new Set(userIds)], D1_MAX_BOUND_PARAMETERS)) {
    const rows = await db
      .select({ userId: users.id, email: users.email, firstName: users.firstName, lastName: users.lastName })
      .from(users)
      .where(inArray(users.id, ids));
    contacts.push(...rows);
  }
  return contacts;
}
