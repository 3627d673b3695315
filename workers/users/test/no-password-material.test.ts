import { describe, expect, it } from "vitest";
import { call, caller, uniqueEmail } from "./helpers";

const SECRET = "Sup3r-Secret-Passphrase";
const NEXT = "An0ther-Secret-Passphrase";

describe("no response carries password material", () => {
  it("holds for every users endpoint, successes and failures", async () => {
    const email = uniqueEmail("material");
    const bodies: string[] = [];
    const record = async (response: Response) => {
      bodies.push(await response.text());
      return response;
    };
    const registered = await record(
      await call("POST", "/api/users/register", {
        body: { email, password: SECRET, firstName: "No", lastName: "Leak" },
      }),
    );
    expect(registered.status).toBe(201);
    const { user, refreshToken } = JSON.parse(bodies[0] ?? "{}") as {
      user: { id: string };
      refreshToken: string;
    };

    await record(
      await call("POST", "/api/users/register", {
        body: { email, password: SECRET, firstName: "A", lastName: "B" },
      }),
    );
    await record(
      await call("POST", "/api/users/register", {
        body: { email: "bad", password: `${SECRET}${"x".repeat(200)}` },
      }),
    );
    await record(await call("POST", "/api/users/login", { body: { email, password: SECRET } }));
    await record(await call("POST", "/api/users/login", { body: { email, password: `${SECRET}-wrong` } }));
    await record(await call("GET", "/api/users/profile", { as: caller(user.id) }));
    await record(
      await call("PATCH", "/api/users/profile", {
        as: caller(user.id),
        body: { currentPassword: `${SECRET}-wrong`, newPassword: NEXT },
      }),
    );
    await record(
      await call("PATCH", "/api/users/profile", {
        as: caller(user.id),
        body: { currentPassword: SECRET, newPassword: NEXT },
      }),
    );
    await record(await call("POST", "/api/users/refresh", { body: { refreshToken } }));
    await record(await call("GET", "/.well-known/jwks.json"));

    expect(bodies).toHaveLength(10);
    for (const body of bodies) {
      expect(body).not.toContain(SECRET);
      expect(body).not.toContain(NEXT);
      expect(body).not.toMatch(/argon2|password_?hash|"d":/i);
    }
  });
});
