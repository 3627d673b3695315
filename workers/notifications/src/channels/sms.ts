import { logSender } from "./log";
import { misconfigured, type OutgoingMessage, postToProvider, type Sender } from "./types";

/** A Twilio-style API: form-encoded `To`, `From`, `Body` POSTed with basic auth (account sid, auth token). */
function httpSender(url: string, accountSid: string, authToken: string, from: string): Sender {
  return {
    provider: "http",
    send: (message: OutgoingMessage) =>
      postToProvider("http-sms", url, {
        headers: {
          authorization: `Basic ${btoa(`${accountSid}:${authToken}`)}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ To: message.to, From: from, Body: message.text }).toString(),
      }),
  };
}

/** The SMS sender chosen by SMS_PROVIDER. */
export function smsSender(env: Env): Sender {
  switch (env.SMS_PROVIDER) {
    case "log":
      return logSender(env);
    case "http":
      return env.SMS_AUTH_TOKEN
        ? httpSender(env.SMS_API_URL, env.SMS_ACCOUNT_SID, env.SMS_AUTH_TOKEN, env.SMS_FROM)
        : misconfigured("http-sms", "the SMS_AUTH_TOKEN secret is not set");
    default:
      return misconfigured(env.SMS_PROVIDER, "unknown SMS_PROVIDER");
  }
}
