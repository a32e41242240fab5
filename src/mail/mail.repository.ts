// The outbox: every mail the register sends is a row here first, so nothing is lost when the mail server is down.
import { and, asc, count, eq, gte, isNull, lt, lte, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { mailOutbox } from "../db/schema";

export type OutboxMail = typeof mailOutbox.$inferSelect;

export function insertMail(db: DbOrTx, values: { toAddress: string; subject: string; body: string; now: Date }): OutboxMail {
  return db
    .insert(mailOutbox)
    .values({ toAddress: values.toAddress, subject: values.subject, body: values.body, createdAt: values.now, nextAttemptAt: values.now })
    .returning()
    .get();
}

/** Mail not yet delivered whose next attempt is due, oldest first. */
export function dueMail(db: DbOrTx, now: Date, maxAttempts: number, limit: number): OutboxMail[] {
  return db
    .select()
    .from(mailOutbox)
    .where(and(isNull(mailOutbox.sentAt), lt(mailOutbox.attempts, maxAttempts), lte(mailOutbox.nextAttemptAt, now)))
    .orderBy(asc(mailOutbox.id))
    .limit(limit)
    .all();
}

/**
 * Takes one mail for sending: its next attempt moves to `until`, so a second sender (the command line while the
 * server runs) does not pick it up meanwhile. False when someone else took it first.
 */
export function claimMail(db: DbOrTx, mail: OutboxMail, until: Date): boolean {
  const result = db
    .update(mailOutbox)
    .set({ nextAttemptAt: until })
    .where(and(eq(mailOutbox.id, mail.id), isNull(mailOutbox.sentAt), eq(mailOutbox.nextAttemptAt, mail.nextAttemptAt)))
    .run();
  return result.changes === 1;
}

export function markSent(db: DbOrTx, id: number, at: Date): void {
  db.update(mailOutbox).set({ sentAt: at, lastError: null }).where(eq(mailOutbox.id, id)).run();
}

export function markFailed(db: DbOrTx, id: number, values: { attempts: number; lastError: string; nextAttemptAt: Date }): void {
  db.update(mailOutbox).set(values).where(eq(mailOutbox.id, id)).run();
}

/** Everything not delivered: waiting for a (next) attempt, or given up after the last one. */
export function undeliveredMail(db: DbOrTx, maxAttempts: number) {
  return db
    .select()
    .from(mailOutbox)
    .where(isNull(mailOutbox.sentAt))
    .orderBy(sql`${mailOutbox.attempts} >= ${maxAttempts} desc`, asc(mailOutbox.id))
    .all()
    .map((m) => ({ ...m, failed: m.attempts >= maxAttempts }));
}

/** How many mails were given up on, for a notice. */
export function countFailedMail(db: DbOrTx, maxAttempts: number): number {
  return db.select({ n: count() }).from(mailOutbox).where(and(isNull(mailOutbox.sentAt), gte(mailOutbox.attempts, maxAttempts))).get()?.n ?? 0;
}
