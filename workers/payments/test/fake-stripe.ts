// A Stripe API in memory behind the SDK's HTTP client interface: the adapter runs the real SDK (its retries,
// its error classes) and never the network. It keeps PaymentIntents and refunds, replays a repeated
// Idempotency-Key as Stripe does, counts the charges it made, and can fail or lose answers on request.
import Stripe from "stripe";

type Json = Record<string, unknown>;

export interface SeenRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  form: URLSearchParams;
}

/**
 * What the next request to a path does instead of (or after) being served: a 500, a network error before it
 * reaches the API, its answer lost after it was served, or a given answer.
 */
export type Fault = "500" | "network" | "lost" | { status: number; error: Json };

interface Intent extends Json {
  id: string;
  amount: number;
  currency: string;
  status: string;
  payment_method: string | null;
  metadata: Record<string, string>;
}

// Test payment methods in Stripe's style (pm_card_…), and what confirming with each does.
const CARDS: Record<string, "ok" | "3ds" | "processing" | { code: string; decline_code?: string }> = {
  pm_card_visa: "ok",
  pm_card_threeDSecure2Required: "3ds",
  pm_card_processing: "processing",
  pm_card_chargeDeclined: { code: "card_declined", decline_code: "generic_decline" },
  pm_card_chargeDeclinedInsufficientFunds: { code: "card_declined", decline_code: "insufficient_funds" },
};

class FakeResponse extends Stripe.HttpClientResponse {
  constructor(
    status: number,
    private readonly body: unknown,
  ) {
    super(status, { "request-id": `req_${crypto.randomUUID()}` });
  }
  override getRawResponse(): unknown {
    return {};
  }
  override toStream(): unknown {
    throw new Error("no streams here");
  }
  override toJSON(): Promise<unknown> {
    return Promise.resolve(structuredClone(this.body));
  }
}

const error = (status: number, body: Json) => ({ status, body: { error: body } });

/** The fake API; `client` goes into the SDK as its `httpClient`. */
export class FakeStripe {
  readonly requests: SeenRequest[] = [];
  readonly intents = new Map<string, Intent>();
  readonly refunds: { id: string; payment_intent: string; amount: number }[] = [];
  private readonly faults: { path: RegExp; fault: Fault }[] = [];
  private readonly answers = new Map<string, { params: string; status: number; body: unknown }>();
  private next = 1;

  readonly client: Stripe.StripeConfig["httpClient"];

  constructor() {
    const fake = this;
    class Client extends Stripe.HttpClient {
      override getClientName() {
        return "fake";
      }
      override async makeRequest(
        _host: string,
        _port: string,
        path: string,
        method: string,
        headers: Record<string, unknown>,
        requestData: string,
      ) {
        return fake.handle(method, path, headers, requestData);
      }
    }
    this.client = new Client();
  }

  /** The next request whose path matches fails that way (queued: several faults apply in order). */
  fail(path: RegExp, fault: Fault, times = 1): this {
    for (let i = 0; i < times; i++) this.faults.push({ path, fault });
    return this;
  }

  /** PaymentIntents that took money (succeeded), however often they were asked for. */
  charges(): Intent[] {
    return [...this.intents.values()].filter((intent) => intent.status === "succeeded");
  }

  /** Completes (or fails) a card's authentication, as the customer would on the bank's page. */
  authenticate(id: string, ok: boolean): Intent {
    const intent = this.intents.get(id);
    if (intent?.status !== "requires_action") throw new Error(`${id} is not waiting`);
    Object.assign(
      intent,
      ok
        ? { status: "succeeded", next_action: null }
        : this.declined(intent, "payment_intent_authentication_failure"),
    );
    return intent;
  }

  private declined(intent: Intent, code: string, decline_code?: string) {
    return {
      status: "requires_payment_method",
      next_action: null,
      last_payment_error: {
        type: "card_error",
        code,
        ...(decline_code ? { decline_code } : {}),
        payment_intent: intent.id,
      },
    };
  }

  private async handle(method: string, path: string, headers: Record<string, unknown>, data: string) {
    const form = new URLSearchParams(data);
    const keyHeader = Object.entries(headers).find(([name]) => name.toLowerCase() === "idempotency-key")?.[1];
    const key = typeof keyHeader === "string" ? keyHeader : undefined;
    this.requests.push({ method, path, idempotencyKey: key, form });
    const faultAt = this.faults.findIndex((f) => f.path.test(path));
    const fault = faultAt >= 0 ? this.faults.splice(faultAt, 1)[0]?.fault : undefined;
    if (fault === "network") throw new TypeError("network connection lost");
    if (fault === "500") return new FakeResponse(500, { error: { type: "api_error", message: "boom" } });
    if (typeof fault === "object") return new FakeResponse(fault.status, { error: fault.error });
    const replay = key ? this.answers.get(key) : undefined;
    let answer: { status: number; body: unknown };
    if (replay) {
      answer =
        replay.params === data
          ? replay
          : error(400, {
              type: "idempotency_error",
              message: "Keys can only be reused with the same parameters",
            });
    } else {
      answer = this.serve(method, path, form);
      if (key && answer.status < 500) this.answers.set(key, { params: data, ...answer });
    }
    // The call was served (and charged), but its answer never arrives.
    if (fault === "lost") throw new TypeError("connection reset after the request was sent");
    return new FakeResponse(answer.status, answer.body);
  }

  private serve(method: string, path: string, form: URLSearchParams): { status: number; body: unknown } {
    const [, , resource, id, action] = path.split("?")[0]?.split("/") ?? [];
    if (resource === "payment_intents" && method === "POST" && !id) return this.create(form);
    const intent = id ? this.intents.get(id) : undefined;
    if (resource === "payment_intents" && !intent) {
      return error(404, { type: "invalid_request_error", code: "resource_missing", param: "intent" });
    }
    if (intent && method === "GET") return { status: 200, body: intent };
    if (intent && action === "confirm") return this.confirm(intent, form);
    if (intent && action === "cancel") {
      if (["succeeded", "canceled"].includes(intent.status)) {
        return error(400, { type: "invalid_request_error", code: "payment_intent_unexpected_state" });
      }
      Object.assign(intent, { status: "canceled", next_action: null });
      return { status: 200, body: intent };
    }
    if (resource === "refunds" && method === "POST") return this.refund(form);
    return error(404, { type: "invalid_request_error", message: `unknown ${method} ${path}` });
  }

  private create(form: URLSearchParams) {
    const intent: Intent = {
      id: `pi_fake_${this.next++}`,
      object: "payment_intent",
      amount: Number(form.get("amount")),
      currency: form.get("currency") ?? "",
      status: "requires_confirmation",
      payment_method: form.get("payment_method"),
      metadata: {
        payment_id: form.get("metadata[payment_id]") ?? "",
        order_id: form.get("metadata[order_id]") ?? "",
      },
      next_action: null,
      last_payment_error: null,
    };
    this.intents.set(intent.id, intent);
    return { status: 200, body: intent };
  }

  private confirm(intent: Intent, form: URLSearchParams) {
    if (intent.status !== "requires_confirmation") {
      return error(400, { type: "invalid_request_error", code: "payment_intent_unexpected_state" });
    }
    const card = intent.payment_method ? CARDS[intent.payment_method] : undefined;
    if (!card) {
      return error(400, { type: "invalid_request_error", code: "resource_missing", param: "payment_method" });
    }
    if (card === "ok") intent.status = "succeeded";
    else if (card === "processing") intent.status = "processing";
    else if (card === "3ds") {
      Object.assign(intent, {
        status: "requires_action",
        next_action: {
          type: "redirect_to_url",
          redirect_to_url: {
            url: `https://hooks.stripe.test/3ds/${intent.id}`,
            return_url: form.get("return_url"),
          },
        },
      });
    } else {
      Object.assign(intent, this.declined(intent, card.code, card.decline_code));
      return error(402, { type: "card_error", ...card, payment_intent: intent });
    }
    return { status: 200, body: intent };
  }

  private refund(form: URLSearchParams) {
    const intent = this.intents.get(form.get("payment_intent") ?? "");
    if (intent?.status !== "succeeded") {
      return error(400, { type: "invalid_request_error", code: "resource_missing", param: "payment_intent" });
    }
    const done = this.refunds.filter((r) => r.payment_intent === intent.id).reduce((n, r) => n + r.amount, 0);
    const amount = Number(form.get("amount") ?? intent.amount - done);
    if (done >= intent.amount)
      return error(400, { type: "invalid_request_error", code: "charge_already_refunded" });
    if (done + amount > intent.amount)
      return error(400, { type: "invalid_request_error", code: "amount_too_large" });
    const refund = {
      id: `re_fake_${this.next++}`,
      object: "refund",
      payment_intent: intent.id,
      amount,
      status: "succeeded",
    };
    this.refunds.push(refund);
    return { status: 200, body: refund };
  }
}
