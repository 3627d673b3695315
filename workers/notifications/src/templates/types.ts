/** Who a message is for, as the users service (or the event itself) knows them. */
export interface Recipient {
  email: string;
  firstName: string;
  lastName: string;
}

/** One event rendered for every channel: email subject, plain text and HTML, and a short SMS text. */
export interface Rendered {
  subject: string;
  text: string;
  html: string;
  sms: string;
  /** One-time tokens the message carries (account links): masked in the delivery log's copy with a real provider. */
  secrets?: string[];
}

/** What templates need beyond the event: the shop's public origin, for links (`SHOP_ORIGIN`). */
export interface RenderContext {
  origin: string;
}
