import { and, asc, count, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { DbOrTx } from "../db/client";
import { qualified } from "../db/sql";
import {
  applicationFunctions,
  applications,
  applicationSchools,
  dataCategories,
  dataSubjects,
  foraDomains,
  foraFunctions,
  intakeMessages,
  intakeRequestData,
  intakeRequests,
  schools,
  suppliers,
  users,
} from "../db/schema";
import { likePattern } from "../http/listing";
import type { IntakeListQuery } from "./intake.schemas";

export type IntakeRequest = typeof intakeRequests.$inferSelect;

/** The open states: the request waits for the privacy officer or for the school. */
export const OPEN_STATUSES = ["ingediend", "in_beoordeling", "aanvulling_gevraagd"] as const;

const messageCount = sql<number>`(select count(*) from ${intakeMessages} where ${qualified(intakeMessages.requestId)} = ${qualified(intakeRequests.id)})`;

function listWhere(query: IntakeListQuery, onlySchoolIds?: number[]): SQL | undefined {
  return and(
    onlySchoolIds ? inArray(intakeRequests.schoolId, onlySchoolIds) : undefined,
    query.school ? eq(intakeRequests.schoolId, query.school) : undefined,
    query.status === "open" ? inArray(intakeRequests.status, [...OPEN_STATUSES]) : query.status ? eq(intakeRequests.status, query.status) : undefined,
    query.q ? sql`${intakeRequests.applicationName} like ${likePattern(query.q)} escape '\\'` : undefined,
  );
}

export function countIntakeRequests(db: DbOrTx, query: IntakeListQuery, onlySchoolIds?: number[]): number {
  return db.select({ n: count() }).from(intakeRequests).where(listWhere(query, onlySchoolIds)).get()?.n ?? 0;
}

export function listIntakeRequests(db: DbOrTx, query: IntakeListQuery, page: { limit: number; offset: number }, onlySchoolIds?: number[]) {
  const columns = {
    created: intakeRequests.createdAt,
    name: sql`lower(${intakeRequests.applicationName})`,
    school: sql`lower(${schools.name})`,
    status: intakeRequests.status,
    updated: intakeRequests.updatedAt,
  } as const;
  const order = query.dir === "desc" ? desc : asc;
  return db
    .select({
      id: intakeRequests.id,
      applicationName: intakeRequests.applicationName,
      schoolName: schools.name,
      supplierName: sql<string | null>`coalesce(${suppliers.name}, ${intakeRequests.supplierName})`,
      status: intakeRequests.status,
      createdAt: intakeRequests.createdAt,
      updatedAt: intakeRequests.updatedAt,
      messageCount,
    })
    .from(intakeRequests)
    .innerJoin(schools, eq(schools.id, intakeRequests.schoolId))
    .leftJoin(suppliers, eq(suppliers.id, intakeRequests.supplierId))
    .where(listWhere(query, onlySchoolIds))
    .orderBy(order(columns[query.sort]), desc(intakeRequests.id))
    .limit(page.limit)
    .offset(page.offset)
    .all();
}

export function findIntakeById(db: DbOrTx, id: number): IntakeRequest | undefined {
  return db.select().from(intakeRequests).where(eq(intakeRequests.id, id)).get();
}

const requester = alias(users, "requester");
const decider = alias(users, "decider");

/** The request with the names it refers to, for its page. */
export function intakeDetail(db: DbOrTx, id: number) {
  return db
    .select({
      schoolName: schools.name,
      functionName: foraFunctions.name,
      domainName: foraDomains.name,
      knownSupplierName: suppliers.name,
      requestedByName: requester.name,
      decidedByName: decider.name,
      createdApplicationName: applications.name,
    })
    .from(intakeRequests)
    .innerJoin(schools, eq(schools.id, intakeRequests.schoolId))
    .leftJoin(foraFunctions, eq(foraFunctions.id, intakeRequests.foraFunctionId))
    .leftJoin(foraDomains, eq(foraDomains.id, foraFunctions.domainId))
    .leftJoin(suppliers, eq(suppliers.id, intakeRequests.supplierId))
    .leftJoin(requester, eq(requester.id, intakeRequests.requestedBy))
    .leftJoin(decider, eq(decider.id, intakeRequests.decidedBy))
    .leftJoin(applications, eq(applications.id, intakeRequests.applicationId))
    .where(eq(intakeRequests.id, id))
    .get();
}

/** What data of whom the request says the application will process, with the labels, in the catalogue's order. */
export function dataOfRequest(db: DbOrTx, requestId: number) {
  return db
    .select({
      categoryId: intakeRequestData.dataCategoryId,
      subjectId: intakeRequestData.dataSubjectId,
      purpose: intakeRequestData.purpose,
      categoryLabel: dataCategories.label,
      subjectLabel: dataSubjects.label,
      subjectCode: dataSubjects.code,
    })
    .from(intakeRequestData)
    .innerJoin(dataCategories, eq(dataCategories.id, intakeRequestData.dataCategoryId))
    .innerJoin(dataSubjects, eq(dataSubjects.id, intakeRequestData.dataSubjectId))
    .where(eq(intakeRequestData.requestId, requestId))
    .orderBy(asc(dataCategories.sortOrder), asc(dataCategories.label), asc(dataSubjects.sortOrder))
    .all();
}

export function insertRequestData(db: DbOrTx, rows: (typeof intakeRequestData.$inferInsert)[]): void {
  if (rows.length) db.insert(intakeRequestData).values(rows).run();
}

export function messagesOf(db: DbOrTx, requestId: number) {
  return db
    .select({ id: intakeMessages.id, actor: intakeMessages.actor, body: intakeMessages.body, at: intakeMessages.at, role: users.role })
    .from(intakeMessages)
    .leftJoin(users, eq(users.id, intakeMessages.userId))
    .where(eq(intakeMessages.requestId, requestId))
    .orderBy(asc(intakeMessages.id))
    .all();
}

export function insertMessage(db: DbOrTx, values: { requestId: number; userId: number | null; actor: string; body: string; at: Date }) {
  return db.insert(intakeMessages).values(values).returning().get();
}

/**
 * The board's applications (not archived) that serve a FORA function: the answer to "is there already an
 * application for this?". `ownSchoolIds` marks the ones the requesting school already uses.
 */
export function applicationsOnFunction(db: DbOrTx, functionId: number, ownSchoolIds: number[] = []) {
  const usedByOwn = ownSchoolIds.length
    ? sql<number>`exists (select 1 from ${applicationSchools} where ${qualified(applicationSchools.applicationId)} = ${qualified(applications.id)} and ${inArray(applicationSchools.schoolId, ownSchoolIds)})`
    : sql<number>`0`;
  return db
    .select({ id: applications.id, name: applications.name, supplierName: suppliers.name, usedByOwn })
    .from(applicationFunctions)
    .innerJoin(applications, eq(applications.id, applicationFunctions.applicationId))
    .innerJoin(suppliers, eq(suppliers.id, applications.supplierId))
    .where(and(eq(applicationFunctions.functionId, functionId), isNull(applications.archivedAt)))
    .orderBy(sql`lower(${applications.name})`)
    .all()
    .map((a) => ({ ...a, usedByOwn: Boolean(a.usedByOwn) }));
}

export function functionName(db: DbOrTx, functionId: number): string | undefined {
  return db.select({ name: foraFunctions.name }).from(foraFunctions).where(eq(foraFunctions.id, functionId)).get()?.name;
}

/** Which of the ids exist in the catalogue (not archived): for checking what a form sent. */
export function knownIds(db: DbOrTx, table: typeof dataCategories | typeof dataSubjects | typeof foraFunctions | typeof schools | typeof suppliers, ids: number[]): Set<number> {
  if (ids.length === 0) return new Set();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one lookup for several catalogue tables with id and archived_at
  const rows = (db as any).select({ id: table.id }).from(table).where(and(inArray(table.id, ids), isNull(table.archivedAt))).all() as { id: number }[];
  return new Set(rows.map((r) => r.id));
}
