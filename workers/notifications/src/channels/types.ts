import type { NotificationChannel } from "../db/schema";

/** One message ready for a provider; `html` is null for SMS. */
export interface OutgoingMessage {
  channel: NotificationChannel;
  to: string;
  subject: string;
  text: string;
  html: string | null;
}

/** A channel's provider behind one interface: it sends, or throws a ProviderError. */
export interface Sender {
  readonly provider: string;
  send(message: OutgoingMessage): Promise<void>;
}

/** A failed send; `retryable` is false when the provider rejected the message itself (retrying cannot help). */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

const TIMEOUT_MS = 10_000;

/**
 * POSTs to a provider's HTTP API. Network errors, timeouts, 408, 429 and 5xx are worth retrying;
 * 400 and 422 mean the message itself was refused; other statuses (401/403: a bad key) are retried so
 * that fixing the secret and replaying the dead-letter queue delivers them.
 */
export async function postToProvider(provider: string, url: string, init: RequestInit): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, method: "POST", signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new ProviderError(`${provider}: ${error instanceof Error ? error.message : String(error)}`, true);
  }
  if (response.ok) {
    await response.body?.cancel();
    return;
  }
  // A short excerpt of the provider's answer helps whoever reads the delivery log.
  const excerpt = (await response.text().catch(() => "")).slice(0, 200);
  const permanent = response.status === 400 || response.status === 422;
  throw new ProviderError(`${provider}: HTTP ${response.status} ${excerpt}`.trim(), !permanent);
}

/** A sender for a provider name that is not configured: every send fails, retryably, until config is fixed. */
export function misconfigured(provider: string, why: string): Sender {
  return {
    provider,
    async send() {
      throw new ProviderError(`${provider}: ${why}`, true);
    },
  };
}
