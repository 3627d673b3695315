// Creates (or promotes) a production admin. Admins are never made by registering.
//
//   pnpm admin:create --email ops@example.com --env production
//   printf '%s' "$PASSWORD" | pnpm admin:create --email ops@example.com --env production
//
// The password is read from stdin when piped, else prompted twice without echo. It is hashed here with the
// service's own argon2id module, and only the hash reaches D1, through a temporary SQL file given to
// `wrangler d1 execute DB --remote` (never on a command line, where `ps` would show it). An existing
// account is promoted to admin and keeps its password. `--local` targets the `pnpm dev` state instead;
// `--dry-run` prints the SQL and runs nothing.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { EmailSchema, PasswordSchema } from "../packages/contracts/src/users";
import { adminSql } from "../workers/users/seed/admin-sql";
import { hashPassword } from "../workers/users/src/domain/password";
import { ROOT, WRANGLER } from "./lib/workers";

function fail(message: string): never {
  console.error(`admin:create: ${message}`);
  process.exit(1);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stdout.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    let value = "";
    const onData = (data: Buffer) => {
      for (const char of data.toString("utf8")) {
        if (char === "\r" || char === "\n") {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off("data", onData);
          process.stdout.write("\n");
          resolve(value);
          return;
        }
        if (char === "\u0003") fail("cancelled");
        if (char === "\u007f") value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.on("data", onData);
  });
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) return readStdin();
  const first = await promptHidden("Password: ");
  const second = await promptHidden("Repeat password: ");
  if (first !== second) fail("the passwords differ");
  return first;
}

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    env: { type: "string" },
    "first-name": { type: "string", default: "Admin" },
    "last-name": { type: "string", default: "User" },
    local: { type: "boolean", default: false },
    "dry-run": { type: "boolean", default: false },
  },
  strict: true,
});

const email = EmailSchema.safeParse(values.email ?? "");
if (!email.success) fail("--email must be a valid email address");
const password = PasswordSchema.safeParse(await readPassword());
if (!password.success) fail("the password must be 8 to 128 characters");

const sql = adminSql(
  {
    id: crypto.randomUUID(),
    email: email.data,
    passwordHash: await hashPassword(password.data),
    firstName: values["first-name"].trim().slice(0, 100) || "Admin",
    lastName: values["last-name"].trim().slice(0, 100) || "User",
    now: Date.now(),
  },
  "promote",
);

if (values["dry-run"]) {
  process.stdout.write(sql);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), "edge-shop-admin-"));
try {
  const file = join(dir, "admin.sql");
  writeFileSync(file, sql, { mode: 0o600 });
  const target = values.local ? ["--local", "--persist-to", `${ROOT}.wrangler/state`] : ["--remote"];
  // By binding name: the database is `users-db` locally but `edge-shop-users-<env>` in each environment.
  const args = ["d1", "execute", "DB", ...target, "-c", "workers/users/wrangler.toml", "--file", file];
  if (values.env) args.push("--env", values.env);
  const result = spawnSync(WRANGLER, args, { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) fail(`wrangler exited with ${result.status ?? result.signal}`);
  console.log(`admin:create: ${email.data} is an admin${values.env ? ` in ${values.env}` : ""}.`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
