import { and, asc, count, desc, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { qualified } from "../db/sql";
import type { DbOrTx } from "../db/client";
import {
  agreementApplications,
  agreementDataCategories,
  agreementDataSubjects,
  agreements,
  applicationData,
  applications,
  applicationSchools,
  dataCategories,
  dataSubjects,
  subProcessors,
  suppliers,
} from "../db/schema";
import { likePattern } from "../http/listing";
import { addDays, todayIso } from "../lib/dates";
import type { AgreementListQuery } from "./agreements.schemas";

export type Agreement = typeof agreements.$inferSelect;
export type SubProcessorValues = { name: string; service: string | null; country: string | null; inEea: boolean };
export type AgreementLists = {
  applicationIds: number[];
  dataCategoryIds: number[];
  dataSubjectIds: number[];
  subProcessors: SubProcessorValues[];
  /** Why it covers an application of another supplier (a reseller), by application id; only for those. */
  resellerReasons: Record<string, string>;
};

/** Which agreements a user may see: all (schoolIds undefined), or those of a school user's schools. */
export type Scope = { schoolIds?: number[] };

const ENDED_STATUSES = ["verlopen", "beeindigd"] as const;

/** An application is "of" a school user when one of their schools uses it (application_schools). */
const usedBySchools = (schoolIds: number[]): SQL =>
  sql`exists (select 1 from ${applicationSchools} where ${qualified(applicationSchools.applicationId)} = ${qualified(agreementApplications.applicationId)} and ${inArray(applicationSchools.schoolId, schoolIds)})`;

/** A school user sees an agreement only when it covers an application one of their schools uses. */
function visibleIn(scope: Scope): SQL | undefined {
  if (!scope.schoolIds) return undefined;
  if (scope.schoolIds.length === 0) return sql`0`;
  return sql`exists (select 1 from ${agreementApplications} where ${qualified(agreementApplications.agreementId)} = ${qualified(agreements.id)} and ${usedBySchools(scope.schoolIds)})`;
}

/** Covered applications per agreement, in one subquery per row (no query per row); a school user counts only theirs. */
function applicationCount(scope: Scope) {
  const own = scope.schoolIds ? (scope.schoolIds.length ? sql` and ${usedBySchools(scope.schoolIds)}` : sql` and 0`) : sql``;
  return sql<number>`(select count(*) from ${agreementApplications} where ${qualified(agreementApplications.agreementId)} = ${qualified(agreements.id)}${own})`;
}

function listWhere(query: AgreementListQuery, scope: Scope, today: string): SQL | undefined {
  return and(
    visibleIn(scope),
    query.status ? eq(agreements.status, query.status) : undefined,
    query.model ? eq(agreements.model, query.model) : undefined,
    query.supplier ? eq(agreements.supplierId, query.supplier) : undefined,
    query.ends
      ? sql`${agreements.endsOn} >= ${today} and ${agreements.endsOn} <= ${addDays(today, query.ends)} and ${agreements.status} not in ('verlopen', 'beeindigd')`
      : undefined,
    query.expired ? or(inArray(agreements.status, [...ENDED_STATUSES]), sql`${agreements.endsOn} < ${today}`) : undefined,
    query.q
      ? or(sql`${agreements.reference} like ${likePattern(query.q)} escape '\\'`, sql`${suppliers.name} like ${likePattern(query.q)} escape '\\'`)
      : undefined,
  );
}

export function countAgreements(db: DbOrTx, query: AgreementListQuery, scope: Scope, today = todayIso()): number {
  return (
    db
      .select({ n: count() })
      .from(agreements)
      .innerJoin(suppliers, eq(suppliers.id, agreements.supplierId))
      .where(listWhere(query, scope, today))
      .get()?.n ?? 0
  );
}

export function listAgreements(db: DbOrTx, query: AgreementListQuery, page: { limit: number; offset: number }, scope: Scope, today = todayIso()) {
  // Open-ended agreements sort as ending last; missing start and review dates as earliest.
  const columns = {
    reference: sql`lower(${agreements.reference})`,
    supplier: sql`lower(${suppliers.name})`,
    model: agreements.model,
    status: agreements.status,
    starts: sql`coalesce(${agreements.startsOn}, '')`,
    ends: sql`coalesce(${agreements.endsOn}, '9999-12-31')`,
    nextReview: sql`coalesce(${agreements.nextReviewOn}, '')`,
  } as const;
  const order = query.dir === "desc" ? desc : asc;
  const applicationsCovered = applicationCount(scope);
  return db
    .select({
      id: agreements.id,
      reference: agreements.reference,
      supplierId: agreements.supplierId,
      supplierName: suppliers.name,
      model: agreements.model,
      status: agreements.status,
      startsOn: agreements.startsOn,
      endsOn: agreements.endsOn,
      nextReviewOn: agreements.nextReviewOn,
      documentId: agreements.documentId,
      applicationCount: applicationsCovered,
      pastEnd: sql<number>`${agreements.endsOn} < ${today}`,
      reviewDue: sql<number>`${agreements.nextReviewOn} <= ${today}`,
    })
    .from(agreements)
    .innerJoin(suppliers, eq(suppliers.id, agreements.supplierId))
    .where(listWhere(query, scope, today))
    .orderBy(order(columns[query.sort]), asc(agreements.id))
    .limit(page.limit)
    .offset(page.offset)
    .all();
}

/** The suppliers for the list's filter: all, or for a school user only those of agreements they may see. */
export function suppliersForFilter(db: DbOrTx, scope: Scope) {
  const visible = visibleIn(scope);
  if (!visible) return db.select({ id: suppliers.id, name: suppliers.name }).from(suppliers).orderBy(asc(suppliers.name)).all();
  return db
    .selectDistinct({ id: suppliers.id, name: suppliers.name })
    .from(agreements)
    .innerJoin(suppliers, eq(suppliers.id, agreements.supplierId))
    .where(visible)
    .orderBy(asc(suppliers.name))
    .all();
}

export function findAgreementById(db: DbOrTx, id: number): Agreement | undefined {
  return db.select().from(agreements).where(eq(agreements.id, id)).get();
}

export function isAgreementVisible(db: DbOrTx, id: number, scope: Scope): boolean {
  return db.select({ id: agreements.id }).from(agreements).where(and(eq(agreements.id, id), visibleIn(scope))).get() !== undefined;
}

export function supplierOfAgreement(db: DbOrTx, supplierId: number) {
  return db.select({ id: suppliers.id, name: suppliers.name, archivedAt: suppliers.archivedAt }).from(suppliers).where(eq(suppliers.id, supplierId)).get();
}

/** The applications an agreement covers; a school user sees only those their schools use. */
export function coveredApplications(db: DbOrTx, agreementId: number, scope: Scope) {
  const own = scope.schoolIds ? (scope.schoolIds.length ? usedBySchools(scope.schoolIds) : sql`0`) : undefined;
  return db
    .select({
      id: applications.id,
      name: applications.name,
      lifecycle: applications.lifecycle,
      archivedAt: applications.archivedAt,
      supplierName: suppliers.name,
      resellerReason: agreementApplications.resellerReason,
    })
    .from(agreementApplications)
    .innerJoin(applications, eq(applications.id, agreementApplications.applicationId))
    .innerJoin(suppliers, eq(suppliers.id, applications.supplierId))
    .where(and(eq(agreementApplications.agreementId, agreementId), own))
    .orderBy(asc(applications.name))
    .all();
}

export function categoriesOfAgreement(db: DbOrTx, agreementId: number) {
  return db
    .select({ id: dataCategories.id, code: dataCategories.code, label: dataCategories.label, flag: dataCategories.flag })
    .from(agreementDataCategories)
    .innerJoin(dataCategories, eq(dataCategories.id, agreementDataCategories.dataCategoryId))
    .where(eq(agreementDataCategories.agreementId, agreementId))
    .orderBy(asc(dataCategories.sortOrder), asc(dataCategories.label))
    .all();
}

/**
 * Per covered application, the categories it processes that this agreement does not cover (the gap that makes
 * it red), as labels in catalogue order. Applications with no gap are absent from the map.
 */
export function uncoveredCategoriesByApplication(db: DbOrTx, agreementId: number): Map<number, string[]> {
  const rows = db
    .selectDistinct({ applicationId: applicationData.applicationId, label: dataCategories.label, sortOrder: dataCategories.sortOrder })
    .from(applicationData)
    .innerJoin(agreementApplications, and(eq(agreementApplications.applicationId, applicationData.applicationId), eq(agreementApplications.agreementId, agreementId)))
    .innerJoin(dataCategories, eq(dataCategories.id, applicationData.dataCategoryId))
    .where(
      sql`${applicationData.dataCategoryId} not in (select ${agreementDataCategories.dataCategoryId} from ${agreementDataCategories} where ${agreementDataCategories.agreementId} = ${agreementId})`,
    )
    .orderBy(asc(dataCategories.sortOrder), asc(dataCategories.label))
    .all();
  const gaps = new Map<number, string[]>();
  for (const row of rows) gaps.set(row.applicationId, [...(gaps.get(row.applicationId) ?? []), row.label]);
  return gaps;
}

export function subjectsOfAgreement(db: DbOrTx, agreementId: number) {
  return db
    .select({ id: dataSubjects.id, code: dataSubjects.code, label: dataSubjects.label, vulnerable: dataSubjects.vulnerable })
    .from(agreementDataSubjects)
    .innerJoin(dataSubjects, eq(dataSubjects.id, agreementDataSubjects.dataSubjectId))
    .where(eq(agreementDataSubjects.agreementId, agreementId))
    .orderBy(asc(dataSubjects.sortOrder), asc(dataSubjects.label))
    .all();
}

export function subProcessorsOfAgreement(db: DbOrTx, agreementId: number): SubProcessorValues[] {
  return db
    .select({ name: subProcessors.name, service: subProcessors.service, country: subProcessors.country, inEea: subProcessors.inEea })
    .from(subProcessors)
    .where(eq(subProcessors.agreementId, agreementId))
    .orderBy(asc(subProcessors.sortOrder), asc(subProcessors.id))
    .all();
}

/** The lists that belong to an agreement, as ids and values: for the form and for the audit entry. */
export function listsOfAgreement(db: DbOrTx, agreementId: number): AgreementLists {
  const covered = db
    .select({ id: agreementApplications.applicationId, resellerReason: agreementApplications.resellerReason })
    .from(agreementApplications)
    .where(eq(agreementApplications.agreementId, agreementId))
    .orderBy(asc(agreementApplications.applicationId))
    .all();
  return {
    applicationIds: covered.map((row) => row.id),
    dataCategoryIds: db
      .select({ id: agreementDataCategories.dataCategoryId })
      .from(agreementDataCategories)
      .where(eq(agreementDataCategories.agreementId, agreementId))
      .orderBy(asc(agreementDataCategories.dataCategoryId))
      .all()
      .map((row) => row.id),
    dataSubjectIds: db
      .select({ id: agreementDataSubjects.dataSubjectId })
      .from(agreementDataSubjects)
      .where(eq(agreementDataSubjects.agreementId, agreementId))
      .orderBy(asc(agreementDataSubjects.dataSubjectId))
      .all()
      .map((row) => row.id),
    subProcessors: subProcessorsOfAgreement(db, agreementId),
    resellerReasons: Object.fromEntries(covered.flatMap((row) => (row.resellerReason === null ? [] : [[String(row.id), row.resellerReason]]))),
  };
}

/** Replaces the lists of an agreement; called inside the transaction that saves it. */
export function replaceAgreementLists(tx: DbOrTx, agreementId: number, lists: AgreementLists): void {
  tx.delete(agreementApplications).where(eq(agreementApplications.agreementId, agreementId)).run();
  tx.delete(agreementDataCategories).where(eq(agreementDataCategories.agreementId, agreementId)).run();
  tx.delete(agreementDataSubjects).where(eq(agreementDataSubjects.agreementId, agreementId)).run();
  tx.delete(subProcessors).where(eq(subProcessors.agreementId, agreementId)).run();
  if (lists.applicationIds.length) {
    tx.insert(agreementApplications)
      .values(lists.applicationIds.map((applicationId) => ({ agreementId, applicationId, resellerReason: lists.resellerReasons[String(applicationId)] ?? null })))
      .run();
  }
  if (lists.dataCategoryIds.length) {
    tx.insert(agreementDataCategories).values(lists.dataCategoryIds.map((dataCategoryId) => ({ agreementId, dataCategoryId }))).run();
  }
  if (lists.dataSubjectIds.length) {
    tx.insert(agreementDataSubjects).values(lists.dataSubjectIds.map((dataSubjectId) => ({ agreementId, dataSubjectId }))).run();
  }
  if (lists.subProcessors.length) {
    tx.insert(subProcessors).values(lists.subProcessors.map((row, sortOrder) => ({ ...row, agreementId, sortOrder }))).run();
  }
}

/** The newer version that replaces this agreement, if any. */
export function successorOf(db: DbOrTx, agreementId: number) {
  return db
    .select({ id: agreements.id, reference: agreements.reference, status: agreements.status, startsOn: agreements.startsOn, supersedesId: agreements.supersedesId })
    .from(agreements)
    .where(eq(agreements.supersedesId, agreementId))
    .orderBy(asc(agreements.id))
    .get();
}

export function chainLinkOf(db: DbOrTx, agreementId: number) {
  return db
    .select({ id: agreements.id, reference: agreements.reference, status: agreements.status, startsOn: agreements.startsOn, supersedesId: agreements.supersedesId })
    .from(agreements)
    .where(eq(agreements.id, agreementId))
    .get();
}

/** Ids from a list that do not exist in a table (a tampered or outdated form). */
export function missingIds(db: DbOrTx, table: typeof applications | typeof dataCategories | typeof dataSubjects, ids: number[]): number[] {
  if (!ids.length) return [];
  const found = new Set(db.select({ id: table.id }).from(table).where(inArray(table.id, ids)).all().map((row) => row.id));
  return ids.filter((id) => !found.has(id));
}

export function supplierExists(db: DbOrTx, id: number): boolean {
  return db.select({ id: suppliers.id }).from(suppliers).where(eq(suppliers.id, id)).get() !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Choices for the form: active records, plus any archived one the agreement already holds.

export function supplierChoices(db: DbOrTx, keepId?: number) {
  return db
    .select({ id: suppliers.id, name: suppliers.name, archivedAt: suppliers.archivedAt })
    .from(suppliers)
    .where(keepId ? or(isNull(suppliers.archivedAt), eq(suppliers.id, keepId)) : isNull(suppliers.archivedAt))
    .orderBy(asc(sql`lower(${suppliers.name})`))
    .all();
}

export function applicationChoices(db: DbOrTx, keepIds: number[]) {
  return db
    .select({
      id: applications.id,
      name: applications.name,
      archivedAt: applications.archivedAt,
      supplierId: suppliers.id,
      supplierName: suppliers.name,
    })
    .from(applications)
    .innerJoin(suppliers, eq(suppliers.id, applications.supplierId))
    .where(keepIds.length ? or(isNull(applications.archivedAt), inArray(applications.id, keepIds)) : isNull(applications.archivedAt))
    .orderBy(asc(sql`lower(${suppliers.name})`), asc(suppliers.id), asc(sql`lower(${applications.name})`))
    .all();
}

export function categoryChoices(db: DbOrTx, keepIds: number[]) {
  return db
    .select({ id: dataCategories.id, label: dataCategories.label, description: dataCategories.description })
    .from(dataCategories)
    .where(keepIds.length ? or(isNull(dataCategories.archivedAt), inArray(dataCategories.id, keepIds)) : isNull(dataCategories.archivedAt))
    .orderBy(asc(dataCategories.sortOrder), asc(dataCategories.label))
    .all();
}

export function subjectChoices(db: DbOrTx, keepIds: number[]) {
  return db
    .select({ id: dataSubjects.id, label: dataSubjects.label })
    .from(dataSubjects)
    .where(keepIds.length ? or(isNull(dataSubjects.archivedAt), inArray(dataSubjects.id, keepIds)) : isNull(dataSubjects.archivedAt))
    .orderBy(asc(dataSubjects.sortOrder), asc(dataSubjects.label))
    .all();
}

/** Applications with their supplier, for the rule that another supplier's application needs a reason. */
export function applicationsWithSupplier(db: DbOrTx, ids: number[]) {
  if (!ids.length) return [];
  return db
    .select({ id: applications.id, name: applications.name, supplierId: applications.supplierId, supplierName: suppliers.name })
    .from(applications)
    .innerJoin(suppliers, eq(suppliers.id, applications.supplierId))
    .where(inArray(applications.id, ids))
    .all();
}

export function applicationById(db: DbOrTx, id: number) {
  return db.select({ id: applications.id, supplierId: applications.supplierId }).from(applications).where(eq(applications.id, id)).get();
}
