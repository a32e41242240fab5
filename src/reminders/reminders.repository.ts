// The facts the to-do list is made of, each in one query: no query per agreement, request or user.
import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, max, ne, notExists, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { DbOrTx } from "../db/client";
import { qualified } from "../db/sql";
import { agreements, applicationSchools, breaches, intakeMessages, intakeRequests, remindersSent, schools, suppliers, userSchools, users } from "../db/schema";

const successor = alias(agreements, "successor");

/** Signed agreements ending between the two dates (inclusive), unless a signed new version already replaces them. */
export function agreementsEnding(db: DbOrTx, from: string, until: string) {
  return db
    .select({ id: agreements.id, reference: agreements.reference, endsOn: agreements.endsOn, supplierName: suppliers.name })
    .from(agreements)
    .innerJoin(suppliers, eq(suppliers.id, agreements.supplierId))
    .where(
      and(
        eq(agreements.status, "ondertekend"),
        gte(agreements.endsOn, from),
        lte(agreements.endsOn, until),
        notExists(db.select({ one: sql`1` }).from(successor).where(and(eq(successor.supersedesId, qualified(agreements.id)), eq(successor.status, "ondertekend")))),
      ),
    )
    .orderBy(asc(agreements.endsOn), asc(agreements.id))
    .all();
}

/** Signed agreements in force on `today`, with what their review date is computed from. */
export function currentAgreements(db: DbOrTx, today: string) {
  return db
    .select({
      id: agreements.id,
      reference: agreements.reference,
      nextReviewOn: agreements.nextReviewOn,
      signedOn: agreements.signedOn,
      startsOn: agreements.startsOn,
      supplierName: suppliers.name,
    })
    .from(agreements)
    .innerJoin(suppliers, eq(suppliers.id, agreements.supplierId))
    .where(
      and(
        eq(agreements.status, "ondertekend"),
        or(isNull(agreements.startsOn), lte(agreements.startsOn, today)),
        or(isNull(agreements.endsOn), gte(agreements.endsOn, today)),
      ),
    )
    .orderBy(asc(agreements.id))
    .all();
}

/** The newest message a school user wrote on the request: the school's latest answer. */
const latestSchoolAnswer = sql<number | null>`(select max(m.id) from ${intakeMessages} m join ${users} u on u.id = m.user_id
  where m.request_id = ${qualified(intakeRequests.id)} and u.role = 'school')`;
const latestMessage = sql<number | null>`(select max(m.id) from ${intakeMessages} m where m.request_id = ${qualified(intakeRequests.id)})`;

/** Requests waiting for the privacy officer: submitted or in review (after the school answered, it is back in review). */
export function requestsWaitingForOfficer(db: DbOrTx) {
  return db
    .select({
      id: intakeRequests.id,
      applicationName: intakeRequests.applicationName,
      createdAt: intakeRequests.createdAt,
      schoolName: schools.name,
      answerId: latestSchoolAnswer,
    })
    .from(intakeRequests)
    .innerJoin(schools, eq(schools.id, intakeRequests.schoolId))
    .where(inArray(intakeRequests.status, ["ingediend", "in_beoordeling"]))
    .orderBy(asc(intakeRequests.createdAt), asc(intakeRequests.id))
    .all();
}

/** Requests of these schools on which the privacy officer asked for more information. */
export function requestsWaitingForSchool(db: DbOrTx, schoolIds: number[]) {
  if (schoolIds.length === 0) return [];
  return db
    .select({ id: intakeRequests.id, applicationName: intakeRequests.applicationName, updatedAt: intakeRequests.updatedAt, questionId: latestMessage })
    .from(intakeRequests)
    .where(and(eq(intakeRequests.status, "aanvulling_gevraagd"), inArray(intakeRequests.schoolId, schoolIds)))
    .orderBy(asc(intakeRequests.updatedAt), asc(intakeRequests.id))
    .all();
}

/**
 * Breaches still open whose notification term to the regulator has passed (discovered more than `hours` ago)
 * while nobody decided whether to notify.
 */
export function breachesPastTerm(db: DbOrTx, now: Date, hours: number) {
  return db
    .select({ id: breaches.id, title: breaches.title, discoveredAt: breaches.discoveredAt })
    .from(breaches)
    .where(and(isNull(breaches.closedAt), eq(breaches.regulatorNotified, "onbekend"), lt(breaches.discoveredAt, new Date(now.getTime() - hours * 60 * 60 * 1000))))
    .orderBy(asc(breaches.discoveredAt), asc(breaches.id))
    .all();
}

/** The applications the schools use. */
export function applicationIdsOfSchools(db: DbOrTx, schoolIds: number[]): number[] {
  if (schoolIds.length === 0) return [];
  return db
    .selectDistinct({ id: applicationSchools.applicationId })
    .from(applicationSchools)
    .where(inArray(applicationSchools.schoolId, schoolIds))
    .all()
    .map((r) => r.id);
}

/** Active users who want a digest, with when they last got one (the newest reminder recorded as sent). */
export function digestSubscribers(db: DbOrTx) {
  const last = db
    .select({ userId: remindersSent.userId, at: max(remindersSent.sentAt).as("last_at") })
    .from(remindersSent)
    .groupBy(remindersSent.userId)
    .as("last_digest");
  const rows = db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, digestFrequency: users.digestFrequency, lastDigestAt: last.at })
    .from(users)
    .leftJoin(last, eq(last.userId, users.id))
    .where(and(isNull(users.disabledAt), ne(users.digestFrequency, "nooit")))
    .orderBy(asc(users.id))
    .all();
  const links = rows.length ? db.select().from(userSchools).where(inArray(userSchools.userId, rows.map((r) => r.id))).all() : [];
  return rows.map((r) => ({
    ...r,
    // max() over a timestamp column comes back as milliseconds, not as a Date.
    lastDigestAt: r.lastDigestAt === null ? null : new Date(Number(r.lastDigestAt)),
    schoolIds: links.filter((l) => l.userId === r.id).map((l) => l.schoolId),
  }));
}

/** Which of these occasions the user was already sent a reminder for. */
export function sentOccasions(db: DbOrTx, userId: number, occasions: string[]): Set<string> {
  if (occasions.length === 0) return new Set();
  const rows = db
    .select({ occasion: remindersSent.occasion })
    .from(remindersSent)
    .where(and(eq(remindersSent.userId, userId), sql`${remindersSent.occasion} in (select value from json_each(${JSON.stringify(occasions)}))`))
    .all();
  return new Set(rows.map((r) => r.occasion));
}

export function recordSent(db: DbOrTx, rows: { userId: number; occasion: string; sentAt: Date; mailId: number }[]): void {
  if (rows.length) db.insert(remindersSent).values(rows).onConflictDoNothing().run();
}

export function lastDigestOf(db: DbOrTx, userId: number): Date | null {
  return db.select({ at: remindersSent.sentAt }).from(remindersSent).where(eq(remindersSent.userId, userId)).orderBy(desc(remindersSent.sentAt)).limit(1).get()?.at ?? null;
}

export function digestSettingOf(db: DbOrTx, userId: number) {
  return db.select({ digestFrequency: users.digestFrequency, version: users.version }).from(users).where(eq(users.id, userId)).get();
}
