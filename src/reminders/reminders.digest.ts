// The e-mail digest: per user whose frequency is due, one mail with the reminders not mailed to them before.
// The mail is queued in the outbox in the same transaction that records the reminders as sent, then the
// outbox is delivered (src/mail). Without SMTP configured a round does nothing at all.
import { findBoard } from "../board/board.repository";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { t } from "../i18n";
import { createMailer, deliverOutbox, queueMail, type Mailer } from "../mail/mail.service";
import { digestSubscribers, recordSent, sentOccasions } from "./reminders.repository";
import { groupReminders, reminderSource, type Reminder } from "./reminders.service";

type Logger = { info: (...args: unknown[]) => void; error: (...args: unknown[]) => void };

const HOUR = 60 * 60 * 1000;
const PERIOD = { dagelijks: 24 * HOUR, wekelijks: 7 * 24 * HOUR } as const;
/**
 * A digest is due a little before the full period has passed: the job runs every so many minutes, and a strict
 * 24 hours would move a daily digest later by up to one interval every day.
 */
const SLACK = HOUR;

export function isDigestDue(frequency: "nooit" | "dagelijks" | "wekelijks", lastDigestAt: Date | null, now: Date): boolean {
  if (frequency === "nooit") return false;
  return lastDigestAt === null || now.getTime() - lastDigestAt.getTime() >= PERIOD[frequency] - SLACK;
}

/** The mail itself: plain text, the reminders per group, each with its link. */
export function composeDigest(
  user: { name: string; digestFrequency: "dagelijks" | "wekelijks" },
  reminders: Reminder[],
  options: { publicUrl: string; boardName?: string },
): { subject: string; body: string } {
  const lines = [
    t("reminders.mail.greeting", { name: user.name }),
    "",
    options.boardName ? t("reminders.mail.intro", { board: options.boardName }) : t("reminders.mail.introNoBoard"),
  ];
  for (const group of groupReminders(reminders)) {
    lines.push("", group.title);
    for (const r of group.items) lines.push(`- ${r.text}`, `  ${options.publicUrl}${r.href}`);
  }
  lines.push(
    "",
    "-- ",
    t("reminders.mail.footer", { frequency: t(`reminders.mail.frequencyWords.${user.digestFrequency}`), url: `${options.publicUrl}/reminders` }),
    t("reminders.mail.change", { url: `${options.publicUrl}/account` }),
  );
  return { subject: t("reminders.mail.subject", { count: reminders.length }), body: lines.join("\n") };
}

/** Queues one digest per user that is due and has something new; returns how many were queued. */
export function queueDigests(db: Db, config: Pick<Config, "publicUrl">, now: Date): number {
  const remindersFor = reminderSource(db, now);
  const boardName = findBoard(db)?.name;
  let queued = 0;
  for (const user of digestSubscribers(db)) {
    if (user.digestFrequency === "nooit" || !isDigestDue(user.digestFrequency, user.lastDigestAt, now)) continue;
    const reminders = remindersFor(user);
    const sent = sentOccasions(db, user.id, reminders.map((r) => r.occasion));
    const fresh = reminders.filter((r) => !sent.has(r.occasion));
    if (fresh.length === 0) continue;
    const mail = composeDigest({ name: user.name, digestFrequency: user.digestFrequency }, fresh, { publicUrl: config.publicUrl, boardName });
    db.transaction((tx) => {
      const queuedMail = queueMail(tx, { to: user.email, subject: mail.subject, body: mail.body }, now);
      recordSent(tx, fresh.map((r) => ({ userId: user.id, occasion: r.occasion, sentAt: now, mailId: queuedMail.id })));
    });
    queued += 1;
  }
  return queued;
}

export type DigestResult = { mailEnabled: boolean; queued: number; sent: number; failed: number };

/**
 * One round: queue the digests that are due, then deliver the outbox (new mail and earlier failures whose retry
 * is due). SMTP failures are recorded and logged by the sender, not thrown.
 */
export async function runDigestRound(db: Db, config: Pick<Config, "smtp" | "publicUrl">, options: { now?: Date; logger: Logger; mailer?: Mailer }): Promise<DigestResult> {
  if (!config.smtp && !options.mailer) return { mailEnabled: false, queued: 0, sent: 0, failed: 0 };
  const now = options.now ?? new Date();
  const queued = queueDigests(db, config, now);
  const mailer = options.mailer ?? createMailer(config.smtp!);
  try {
    const { sent, failed } = await deliverOutbox(db, mailer, { now, logger: options.logger });
    if (queued || sent || failed) options.logger.info(`Samenvattingen: ${queued} klaargezet, ${sent} verstuurd, ${failed} mislukt.`);
    return { mailEnabled: true, queued, sent, failed };
  } finally {
    if (!options.mailer) mailer.close();
  }
}

/** The scheduled job: a round every DIGEST_INTERVAL_MINUTES, the first shortly after start; never two at once. */
export function startDigestJob(
  db: Db,
  config: Pick<Config, "smtp" | "publicUrl" | "digestIntervalMinutes">,
  logger: Logger,
  options: { firstRoundAfterMs?: number } = {},
): { stop: () => Promise<void> } {
  if (!config.smtp) {
    logger.info("E-mail staat uit (geen SMTP_HOST): er worden geen samenvattingen verstuurd.");
    return { stop: async () => {} };
  }
  let running: Promise<void> | undefined;
  const round = () => {
    if (running) return;
    running = runDigestRound(db, config, { logger })
      .then(() => undefined)
      .catch((err: unknown) => logger.error("De ronde van de samenvattingen is mislukt:", err))
      .finally(() => {
        running = undefined;
      });
  };
  // unref: the timers alone do not keep the process alive; the server does.
  const first = setTimeout(round, options.firstRoundAfterMs ?? 10_000).unref();
  const timer = setInterval(round, config.digestIntervalMinutes * 60 * 1000).unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
