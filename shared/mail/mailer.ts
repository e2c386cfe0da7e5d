import { SendRawEmailCommand, SESClient } from '@aws-sdk/client-ses';
import MailComposer from 'nodemailer/lib/mail-composer';
import { config } from '#shared/config.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
}

let client: SESClient | undefined;

function ses(): SESClient {
  // AWS_ENDPOINT_URL_SES points this at the local inbox when running on one machine.
  client ??= new SESClient({});
  return client;
}

/** Builds the MIME message with nodemailer's composer (text and HTML parts, encoded headers). */
export async function composeMail(mail: OutgoingMail): Promise<Buffer> {
  return new MailComposer({
    from: config().MAIL_FROM,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: mail.headers ?? {},
  })
    .compile()
    .build();
}

export async function sendMail(mail: OutgoingMail): Promise<string | undefined> {
  return sendComposed(await composeMail(mail));
}

/** Sends a message composed beforehand: a paced sender composes before its slot, so only the call is on it. */
export async function sendComposed(raw: Buffer): Promise<string | undefined> {
  const configurationSet = config().SES_CONFIGURATION_SET;
  const result = await ses().send(
    new SendRawEmailCommand({
      RawMessage: { Data: raw },
      ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
    }),
  );
  return result.MessageId;
}
