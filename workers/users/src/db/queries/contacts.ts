import type { Contact } from "@edge-shop/contracts";
import { inArray } from "drizzle-orm";
import type { Db } from "../client";
import { users } from "../schema";

// D1 binds at most 100 parameters per statement.
const IDS_PER_QUERY = 100;

/** The contact details of the given users (unknown ids left out): one read per 100 distinct ids. */
export async function findContacts(db: Db, userIds: string[]): Promise<Contact[]> {
  const unique = [...new Set(userIds)];
  const contacts: Contact[] = [];
  for (let start = 0; start < unique.length; start += IDS_PER_QUERY) {
    const rows = await db
      .select({ userId: users.id, email: users.email, firstName: users.firstName, lastName: users.lastName })
      .from(users)
      .where(inArray(users.id, unique.slice(start, start + IDS_PER_QUERY)));
    contacts.push(...rows);
  }
  return contacts;
}
