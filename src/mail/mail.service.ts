// Sending mail: a message is queued in the outbox (in the transaction that decides to send it) and a sender
// delivers the outbox through SMTP. A failure is logged and retried later with a growing pause; after
// MAX_ATTEMPTS the mail stays in the outbox as failed (the admin sees it at /reminders/outbox). Nothing here
// throws at a caller because the mail server is down.
import type { SmtpConfig } from "../config";
import { nodemailer } from "../lib/heavy";
import type { Db, DbOrTx } from "../db/client";
import { claimMail, dueMail, insertMail, markFailed, markSent, type OutboxMail } from "./mail.repository";

export const MAX_ATTEMPTS = 8;
/** How long a sender may hold a mail it took before another sender may try it. */
const CLAIM_MS = 10 * 60 * 1000;
const BATCH = 100;

/** Pause before the next attempt after `attempts` failures: 5 minutes, doubling, at most a day. */
export function retryDelayMs(attempts: number): number {
  return Math.min(5 * 60 * 1000 * 2 ** Math.max(0, attempts - 1), 24 * 60 * 60 * 1000);
}

export type MailMessage = { to: string; subject: string; text: string };
export type Mailer = { send: (message: MailMessage) => Promise<void>; close: () => void };
type Logger = { info: (...args: unknown[]) => void; error: (...args: unknown[]) => void };

/** A mailer over SMTP with nodemailer. Timeouts are short: a hanging server must not hold up the round. */
export function createMailer(smtp: SmtpConfig): Mailer {
  const transport = nodemailer().createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? "" } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message) {
      await transport.sendMail({ from: smtp.from, to: message.to, subject: message.subject, text: message.text });
    },
    close: () => transport.close(),
  };
}

/** Puts a mail in the outbox; call inside the transaction that records why it is sent. */
export function queueMail(tx: DbOrTx, mail: { to: string; subject: string; body: string }, now: Date): OutboxMail {
  return insertMail(tx, { toAddress: mail.to, subject: mail.subject, body: mail.body, now });
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 1000);

/** Delivers the mail that is due; every failure is recorded on its row and logged, never thrown. */
export async function deliverOutbox(db: Db, mailer: Mailer, options: { now?: Date; logger: Logger }): Promise<{ sent: number; failed: number }> {
  const now = options.now ?? new Date();
  let sent = 0;
  let failed = 0;
  for (const mail of dueMail(db, now, MAX_ATTEMPTS, BATCH)) {
    if (!claimMail(db, mail, new Date(now.getTime() + CLAIM_MS))) continue;
    try {
      await mailer.send({ to: mail.toAddress, subject: mail.subject, text: mail.body });
      markSent(db, mail.id, now);
      sent += 1;
    } catch (err) {
      const attempts = mail.attempts + 1;
      const nextAttemptAt = new Date(now.getTime() + retryDelayMs(attempts));
      markFailed(db, mail.id, { attempts, lastError: errorText(err), nextAttemptAt });
      failed += 1;
      const outcome = attempts >= MAX_ATTEMPTS ? "opgegeven; de mail blijft in de uitgaande e-mail staan" : `volgende poging om ${nextAttemptAt.toISOString()}`;
      options.logger.error(`E-mail ${mail.id} aan ${mail.toAddress} niet verstuurd (poging ${attempts} van ${MAX_ATTEMPTS}, ${outcome}): ${errorText(err)}`);
    }
  }
  return { sent, failed };
}
