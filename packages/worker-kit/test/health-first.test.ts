import { describe, expect, it } from "vitest";
import { answerHealthFirst } from "../src/health-first";

const ctx = {} as ExecutionContext;
const app = async (request: Request) =>
  new Response(`app: ${request.method} ${new URL(request.url).pathname}`);
const fetch = answerHealthFirst("orders", app);

describe("answerHealthFirst", () => {
  it("answers GET /health itself, with the service name and the request id it was given", async () => {
    const response = await fetch(
      new Request("https://orders/health", { headers: { "x-request-id": "req-7" } }),
      {},
      ctx,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("x-request-id")).toBe("req-7");
    expect(await response.json()).toEqual({ status: "OK", service: "orders" });
  });

  it("replaces a missing or malformed request id with a new one", async () => {
    for (const headers of [{}, { "x-request-id": "bad id with spaces" }] as Record<string, string>[]) {
      const response = await fetch(new Request("https://orders/health?probe=1", { headers }), {}, ctx);
      expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("hands every other request to the app", async () => {
    const paths = [
      "https://orders/api/orders/health",
      "https://orders/healthz",
      "https://orders/",
      "https://orders",
    ];
    for (const url of paths) {
      expect(await (await fetch(new Request(url), {}, ctx)).text()).toMatch(/^app: GET /);
    }
    const post = await fetch(new Request("https://orders/health", { method: "POST" }), {}, ctx);
    expect(await post.text()).toBe("app: POST /health");
  });
});
