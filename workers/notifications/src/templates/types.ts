/** Who a message is for, as the users service (or the registration event) knows them. */
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
}
