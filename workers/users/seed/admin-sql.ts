// Pure module (no imports): the SQL that creates an admin, shared by the local seed and
// scripts/create-admin.ts, and run against real D1 by test/admin-sql.test.ts.

export interface AdminAccount {
  id: string;
  /** Already normalised (trimmed, lower-cased). */
  email: string;
  /** A PHC string from hashPassword(); never a plain password. */
  passwordHash: string;
  firstName: string;
  lastName: string;
  /** Epoch ms. */
  now: number;
}

// SQL string literal. wrangler d1 execute takes no bound parameters, so quote properly.
function text(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function insert(account: AdminAccount): string {
  const values = [
    text(account.id),
    text(account.email),
    text(account.passwordHash),
    text(account.firstName),
    text(account.lastName),
    text("admin"),
    "1",
    String(account.now),
    String(account.now),
  ];
  return (
    "INSERT INTO users (id, email, password_hash, first_name, last_name, role, email_verified, created_at, updated_at) " +
    `VALUES (${values.join(", ")}) ON CONFLICT(email) DO`
  );
}

/**
 * One statement (D1's exec runs line by line). `ifMissing` leaves an existing account untouched (the
 * idempotent seed); `promote` makes an existing account admin and keeps its password.
 */
export function adminSql(account: AdminAccount, onConflict: "ifMissing" | "promote"): string {
  const conflict =
    onConflict === "ifMissing" ? " NOTHING" : " UPDATE SET role = 'admin', updated_at = excluded.updated_at";
  return `${insert(account)}${conflict};\n`;
}
