import { and, asc, count, desc, eq, inArray, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import { memoByVersion, type DbOrTx } from "../db/client";
import { qualified } from "../db/sql";
import {
  agreementApplications,
  agreementDataCategories,
  agreements,
  applicationData,
  applicationFunctions,
  applications,
  applicationSchools,
  auditLog,
  breaches,
  classifications,
  dataCategories,
  dataSubjects,
  dpias,
  foraDomains,
  foraFunctions,
  intakeRequests,
  schools,
  suppliers,
} from "../db/schema";
import { likePattern } from "../http/listing";
import type { ApplicationListQuery } from "./applications.schemas";

export type Application = typeof applications.$inferSelect;

const schoolCount = sql<number>`(select count(*) from ${applicationSchools} where ${qualified(applicationSchools.applicationId)} = ${qualified(applications.id)})`;
/** The newest classification's levels as "laag/midden/hoog" (B/I/V), or null. */
const currentLevels = sql<string | null>`(select ${classifications.availability} || '/' || ${classifications.integrity} || '/' || ${classifications.confidentiality}
  from ${classifications} where ${qualified(classifications.applicationId)} = ${qualified(applications.id)} order by ${qualified(classifications.id)} desc limit 1)`;

function usedBySchools(schoolIds: number[]): SQL {
  return sql`exists (select 1 from ${applicationSchools} where ${qualified(applicationSchools.applicationId)} = ${qualified(applications.id)} and ${inArray(applicationSchools.schoolId, schoolIds)})`;
}

export type ListScope = {
  /** A school user's schools: the list then holds only applications those schools use. */
  schoolIds?: number[];
  /** Only these applications (e.g. those with the status filtered on). */
  ids?: number[];
};

function listWhere(query: ApplicationListQuery, scope: ListScope): SQL | undefined {
  const onlySchoolIds = scope.schoolIds;
  return and(
    scope.ids ? inArray(applications.id, scope.ids) : undefined,
    query.archived ? isNotNull(applications.archivedAt) : isNull(applications.archivedAt),
    onlySchoolIds ? usedBySchools(onlySchoolIds) : undefined,
    query.school ? usedBySchools([query.school]) : undefined,
    query.supplier ? eq(applications.supplierId, query.supplier) : undefined,
    query.lifecycle ? eq(applications.lifecycle, query.lifecycle) : undefined,
    query.personalData ? eq(applications.processesPersonalData, query.personalData === "ja") : undefined,
    query.domain
      ? sql`exists (select 1 from ${applicationFunctions} join ${foraFunctions} on ${foraFunctions.id} = ${applicationFunctions.functionId}
              where ${qualified(applicationFunctions.applicationId)} = ${qualified(applications.id)} and ${qualified(foraFunctions.domainId)} = ${query.domain})`
      : undefined,
    query.category
      ? sql`exists (select 1 from ${applicationData} where ${qualified(applicationData.applicationId)} = ${qualified(applications.id)} and ${qualified(applicationData.dataCategoryId)} = ${query.category})`
      : undefined,
    query.q
      ? or(
          sql`${applications.name} like ${likePattern(query.q)} escape '\\'`,
          sql`${suppliers.name} like ${likePattern(query.q)} escape '\\'`,
          sql`${applications.description} like ${likePattern(query.q)} escape '\\'`,
        )
      : undefined,
  );
}

/** The join with suppliers is needed only to search on the supplier's name (every application has one). */
export function countApplications(db: DbOrTx, query: ApplicationListQuery, scope: ListScope = {}): number {
  const base = db.select({ n: count() }).from(applications);
  const joined = query.q ? base.innerJoin(suppliers, eq(suppliers.id, applications.supplierId)) : base;
  return joined.where(listWhere(query, scope)).get()?.n ?? 0;
}

/**
 * One page of the list, in two steps: the page's ids in the chosen order (sorting needs only the sort key of
 * every matching row), then the columns shown, with the school count and the current levels, for those ids only.
 */
export function listApplications(db: DbOrTx, query: ApplicationListQuery, page: { limit: number; offset: number }, scope: ListScope = {}) {
  const sortKeys = {
    name: sql`lower(${applications.name})`,
    supplier: sql`lower(${suppliers.name})`,
    lifecycle: applications.lifecycle,
    schools: schoolCount,
    updated: applications.updatedAt,
  } as const;
  const order = query.dir === "desc" ? desc : asc;
  const ids = db
    .select({ id: applications.id })
    .from(applications)
    .innerJoin(suppliers, eq(suppliers.id, applications.supplierId))
    .where(listWhere(query, scope))
    .orderBy(order(sortKeys[query.sort]), asc(applications.id))
    .limit(page.limit)
    .offset(page.offset)
    .all()
    .map((r) => r.id);
  if (ids.length === 0) return [];
  const rows = db
    .select({
      id: applications.id,
      name: applications.name,
      supplierId: suppliers.id,
      supplierName: suppliers.name,
      lifecycle: applications.lifecycle,
      processesPersonalData: applications.processesPersonalData,
      archivedAt: applications.archivedAt,
      updatedAt: applications.updatedAt,
      schoolCount,
      currentLevels,
    })
    .from(applications)
    .innerJoin(suppliers, eq(suppliers.id, applications.supplierId))
    .where(inArray(applications.id, ids))
    .all();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export function findApplicationById(db: DbOrTx, id: number): Application | undefined {
  return db.select().from(applications).where(eq(applications.id, id)).get();
}

export function isUsedBySchools(db: DbOrTx, applicationId: number, schoolIds: number[]): boolean {
  if (schoolIds.length === 0) return false;
  return (
    db
      .select({ one: sql`1` })
      .from(applicationSchools)
      .where(and(eq(applicationSchools.applicationId, applicationId), inArray(applicationSchools.schoolId, schoolIds)))
      .get() !== undefined
  );
}

export function findDuplicateApplication(db: DbOrTx, name: string, supplierId: number, exceptId?: number) {
  return db
    .select({ id: applications.id, name: applications.name })
    .from(applications)
    .where(and(eq(applications.supplierId, supplierId), sql`lower(${applications.name}) = lower(${name})`, exceptId ? sql`${applications.id} <> ${exceptId}` : undefined))
    .get();
}

export function supplierOptions(db: DbOrTx) {
  return memoByVersion(db, "applications.supplierOptions", () =>
    db.select({ value: suppliers.id, label: suppliers.name }).from(suppliers).where(isNull(suppliers.archivedAt)).orderBy(sql`lower(${suppliers.name})`).all(),
  );
}

export function supplierName(db: DbOrTx, id: number): string {
  return db.select({ name: suppliers.name }).from(suppliers).where(eq(suppliers.id, id)).get()?.name ?? "";
}

export function schoolOptions(db: DbOrTx, onlyIds?: number[]) {
  return memoByVersion(db, `applications.schoolOptions:${onlyIds?.join(",") ?? "all"}`, () =>
    db
      .select({ id: schools.id, name: schools.name, brin: schools.brin, location: schools.location, sector: schools.sector })
      .from(schools)
      .where(and(isNull(schools.archivedAt), onlyIds ? inArray(schools.id, onlyIds) : undefined))
      .orderBy(asc(schools.name))
      .all(),
  );
}

export function foraOptions(db: DbOrTx) {
  const domains = db.select().from(foraDomains).orderBy(asc(foraDomains.sortOrder)).all();
  const functions = db.select().from(foraFunctions).where(isNull(foraFunctions.archivedAt)).orderBy(asc(foraFunctions.sortOrder)).all();
  return domains.map((d) => ({ id: d.id, name: d.name, functions: functions.filter((f) => f.domainId === d.id).map((f) => ({ id: f.id, name: f.name })) }));
}

export function domainOptions(db: DbOrTx) {
  return memoByVersion(db, "applications.domainOptions", () =>
    db.select({ value: foraDomains.id, label: foraDomains.name }).from(foraDomains).orderBy(asc(foraDomains.sortOrder)).all(),
  );
}

export function categoryList(db: DbOrTx) {
  return memoByVersion(db, "applications.categoryList", () =>
    db.select().from(dataCategories).where(isNull(dataCategories.archivedAt)).orderBy(asc(dataCategories.sortOrder), asc(dataCategories.label)).all(),
  );
}

export function subjectList(db: DbOrTx) {
  return memoByVersion(db, "applications.subjectList", () =>
    db.select().from(dataSubjects).where(isNull(dataSubjects.archivedAt)).orderBy(asc(dataSubjects.sortOrder)).all(),
  );
}

export function functionIdsOf(db: DbOrTx, applicationId: number): number[] {
  return db.select({ id: applicationFunctions.functionId }).from(applicationFunctions).where(eq(applicationFunctions.applicationId, applicationId)).all().map((r) => r.id);
}

export function functionsOf(db: DbOrTx, applicationId: number) {
  return db
    .select({ id: foraFunctions.id, name: foraFunctions.name, domainName: foraDomains.name })
    .from(applicationFunctions)
    .innerJoin(foraFunctions, eq(foraFunctions.id, applicationFunctions.functionId))
    .innerJoin(foraDomains, eq(foraDomains.id, foraFunctions.domainId))
    .where(eq(applicationFunctions.applicationId, applicationId))
    .orderBy(asc(foraDomains.sortOrder), asc(foraFunctions.sortOrder))
    .all();
}

export function schoolUsesOf(db: DbOrTx, applicationId: number, onlySchoolIds?: number[]) {
  return db
    .select({
      schoolId: schools.id,
      name: schools.name,
      brin: schools.brin,
      location: schools.location,
      since: applicationSchools.since,
      until: applicationSchools.until,
      localContact: applicationSchools.localContact,
    })
    .from(applicationSchools)
    .innerJoin(schools, eq(schools.id, applicationSchools.schoolId))
    .where(and(eq(applicationSchools.applicationId, applicationId), onlySchoolIds ? inArray(schools.id, onlySchoolIds) : undefined))
    .orderBy(asc(schools.name))
    .all();
}

export function dataOf(db: DbOrTx, applicationId: number) {
  return db
    .select({
      categoryId: applicationData.dataCategoryId,
      subjectId: applicationData.dataSubjectId,
      purpose: applicationData.purpose,
      detail: applicationData.detail,
    })
    .from(applicationData)
    .where(eq(applicationData.applicationId, applicationId))
    .all();
}

/** Every agreement that names this application, newest first, with the categories it covers. */
export function agreementsOf(db: DbOrTx, applicationId: number) {
  const rows = db
    .select({
      id: agreements.id,
      reference: agreements.reference,
      model: agreements.model,
      status: agreements.status,
      signedOn: agreements.signedOn,
      startsOn: agreements.startsOn,
      endsOn: agreements.endsOn,
      nextReviewOn: agreements.nextReviewOn,
      supersedesId: agreements.supersedesId,
      resellerReason: agreementApplications.resellerReason,
    })
    .from(agreementApplications)
    .innerJoin(agreements, eq(agreements.id, agreementApplications.agreementId))
    .where(eq(agreementApplications.applicationId, applicationId))
    .orderBy(desc(agreements.startsOn), desc(agreements.id))
    .all();
  const ids = rows.map((r) => r.id);
  const covered = ids.length
    ? db.select().from(agreementDataCategories).where(inArray(agreementDataCategories.agreementId, ids)).all()
    : [];
  return rows.map((r) => ({ ...r, categoryIds: covered.filter((c) => c.agreementId === r.id).map((c) => c.dataCategoryId) }));
}

export function classificationsOf(db: DbOrTx, applicationId: number) {
  return db.select().from(classifications).where(eq(classifications.applicationId, applicationId)).orderBy(desc(classifications.id)).all();
}

/** The application's own history and that of its classifications, newest first. */
export function historyOfApplication(db: DbOrTx, applicationId: number) {
  return db
    .select()
    .from(auditLog)
    .where(
      or(
        and(eq(auditLog.entityType, "application"), eq(auditLog.entityId, applicationId)),
        and(
          eq(auditLog.entityType, "classification"),
          inArray(auditLog.entityId, db.select({ id: classifications.id }).from(classifications).where(eq(classifications.applicationId, applicationId))),
        ),
      ),
    )
    .orderBy(desc(auditLog.id))
    .all();
}

/** What still refers to an application apart from its own rows (which go with it): breaches, intake requests, agreements. */
export function referencesToApplication(db: DbOrTx, id: number) {
  return {
    agreements: db.select({ n: count() }).from(agreementApplications).where(eq(agreementApplications.applicationId, id)).get()?.n ?? 0,
    breaches: db.select({ n: count() }).from(breaches).where(eq(breaches.applicationId, id)).get()?.n ?? 0,
    intakeRequests: db.select({ n: count() }).from(intakeRequests).where(eq(intakeRequests.applicationId, id)).get()?.n ?? 0,
    classifications: db.select({ n: count() }).from(classifications).where(eq(classifications.applicationId, id)).get()?.n ?? 0,
    dpias: db.select({ n: count() }).from(dpias).where(eq(dpias.applicationId, id)).get()?.n ?? 0,
  };
}

/** The DPIA decision of an application, if recorded. */
export function dpiaOf(db: DbOrTx, applicationId: number) {
  return db.select().from(dpias).where(eq(dpias.applicationId, applicationId)).get();
}

/** Breaches linked to an application, open ones first. */
export function breachesOf(db: DbOrTx, applicationId: number) {
  return db
    .select({ id: breaches.id, title: breaches.title, discoveredAt: breaches.discoveredAt, closedAt: breaches.closedAt, risk: breaches.risk })
    .from(breaches)
    .where(eq(breaches.applicationId, applicationId))
    .orderBy(sql`${breaches.closedAt} is not null`, desc(breaches.discoveredAt))
    .all();
}
