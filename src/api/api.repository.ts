// Reads for the API that the features' repositories do not already offer in this shape. The school rules
// are the browser's: a school user sees the schools it represents, the applications those schools use, the
// agreements that cover such an application, and the classifications of such applications.
import { and, asc, count, desc, eq, inArray, isNotNull, isNull, or, sql, type Column, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { qualified } from "../db/sql";
import {
  agreementApplications,
  agreementDataCategories,
  agreementDataSubjects,
  agreements,
  applicationData,
  applicationFunctions,
  applications,
  applicationSchools,
  classifications,
  dataCategories,
  dataSubjects,
  documents,
  foraDomains,
  foraFunctions,
  schools,
  subProcessors,
  suppliers,
} from "../db/schema";
import { likePattern } from "../http/listing";

export type Page = { page: number; perPage: number; limit: number; offset: number };

export function pageOf(query: { page?: number; per_page?: number }, defaultPerPage: number): Page {
  const perPage = query.per_page ?? defaultPerPage;
  const page = query.page ?? 1;
  return { page, perPage, limit: perPage, offset: (page - 1) * perPage };
}

/** Archived filter as on the browser's lists: by default the current records, with archived=true the archived ones. */
const archivedFilter = (column: Column, archived: boolean | undefined): SQL => (archived ? isNotNull(column) : isNull(column));
const only = (column: Column, ids: number[] | undefined): SQL | undefined => (ids ? (ids.length ? inArray(column, ids) : sql`0`) : undefined);
const like = (column: Column, q: string) => sql`${column} like ${likePattern(q)} escape '\\'`;

export function listSchools(db: DbOrTx, filters: { q?: string; sector?: string; archived?: boolean }, onlyIds: number[] | undefined, page: Page) {
  const where = and(
    only(schools.id, onlyIds),
    archivedFilter(schools.archivedAt, filters.archived),
    filters.sector ? eq(schools.sector, filters.sector as "po") : undefined,
    filters.q ? or(like(schools.name, filters.q), sql`(${schools.brin} || ${schools.location}) like ${likePattern(filters.q)} escape '\\'`) : undefined,
  );
  const total = db.select({ n: count() }).from(schools).where(where).get()?.n ?? 0;
  const rows = db.select().from(schools).where(where).orderBy(asc(schools.name), asc(schools.id)).limit(page.limit).offset(page.offset).all();
  return { rows, total };
}

export function findSchool(db: DbOrTx, id: number) {
  return db.select().from(schools).where(eq(schools.id, id)).get();
}

export function listSuppliers(db: DbOrTx, filters: { q?: string; covenant?: string; archived?: boolean }, page: Page) {
  const where = and(
    archivedFilter(suppliers.archivedAt, filters.archived),
    filters.covenant ? eq(suppliers.covenantStatus, filters.covenant as "geen") : undefined,
    filters.q ? or(like(suppliers.name, filters.q), like(suppliers.kvk, filters.q)) : undefined,
  );
  const total = db.select({ n: count() }).from(suppliers).where(where).get()?.n ?? 0;
  const rows = db.select().from(suppliers).where(where).orderBy(sql`lower(${suppliers.name})`, asc(suppliers.id)).limit(page.limit).offset(page.offset).all();
  return { rows, total };
}

export function findSupplier(db: DbOrTx, id: number) {
  return db.select().from(suppliers).where(eq(suppliers.id, id)).get();
}

/** Full application rows with their supplier's name, in the order of the given ids. */
export function applicationsByIds(db: DbOrTx, ids: number[]) {
  if (!ids.length) return [];
  const rows = db
    .select({ app: applications, supplierName: suppliers.name })
    .from(applications)
    .innerJoin(suppliers, eq(suppliers.id, applications.supplierId))
    .where(inArray(applications.id, ids))
    .all();
  const byId = new Map(rows.map((r) => [r.app.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The applications the given schools use (a school user's visible applications). */
export function applicationIdsOfSchools(db: DbOrTx, schoolIds: number[]): Set<number> {
  if (!schoolIds.length) return new Set();
  return new Set(
    db.selectDistinct({ id: applicationSchools.applicationId }).from(applicationSchools).where(inArray(applicationSchools.schoolId, schoolIds)).all().map((r) => r.id),
  );
}

export function functionsOfApplication(db: DbOrTx, applicationId: number) {
  return db
    .select({ id: foraFunctions.id, code: foraFunctions.code, name: foraFunctions.name, domain: foraDomains.name })
    .from(applicationFunctions)
    .innerJoin(foraFunctions, eq(foraFunctions.id, applicationFunctions.functionId))
    .innerJoin(foraDomains, eq(foraDomains.id, foraFunctions.domainId))
    .where(eq(applicationFunctions.applicationId, applicationId))
    .orderBy(asc(foraDomains.sortOrder), asc(foraFunctions.sortOrder))
    .all();
}

export function dataOfApplication(db: DbOrTx, applicationId: number) {
  return db
    .select({
      categoryId: dataCategories.id,
      categoryCode: dataCategories.code,
      categoryLabel: dataCategories.label,
      subjectId: dataSubjects.id,
      subjectCode: dataSubjects.code,
      subjectLabel: dataSubjects.label,
      purpose: applicationData.purpose,
      detail: applicationData.detail,
    })
    .from(applicationData)
    .innerJoin(dataCategories, eq(dataCategories.id, applicationData.dataCategoryId))
    .innerJoin(dataSubjects, eq(dataSubjects.id, applicationData.dataSubjectId))
    .where(eq(applicationData.applicationId, applicationId))
    .orderBy(asc(dataCategories.sortOrder), asc(dataSubjects.sortOrder))
    .all();
}

/** Full agreement rows with supplier name, document hash and lists, in the order of the given ids (a fixed number of queries). */
export function agreementsByIds(db: DbOrTx, ids: number[]) {
  if (!ids.length) return [];
  const rows = db
    .select({ agreement: agreements, supplierName: suppliers.name, documentSha256: documents.sha256 })
    .from(agreements)
    .innerJoin(suppliers, eq(suppliers.id, agreements.supplierId))
    .leftJoin(documents, eq(documents.id, agreements.documentId))
    .where(inArray(agreements.id, ids))
    .all();
  const listOf = <T extends { agreementId: number }>(list: T[]) => (id: number) => list.filter((r) => r.agreementId === id);
  const apps = listOf(db.select().from(agreementApplications).where(inArray(agreementApplications.agreementId, ids)).all());
  const cats = listOf(db.select().from(agreementDataCategories).where(inArray(agreementDataCategories.agreementId, ids)).all());
  const subs = listOf(db.select().from(agreementDataSubjects).where(inArray(agreementDataSubjects.agreementId, ids)).all());
  const procs = listOf(db.select().from(subProcessors).where(inArray(subProcessors.agreementId, ids)).orderBy(asc(subProcessors.sortOrder), asc(subProcessors.id)).all());
  const byId = new Map(rows.map((r) => [r.agreement.id, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [
      {
        ...row,
        applicationIds: apps(id).map((r) => r.applicationId).sort((a, b) => a - b),
        resellerReasons: Object.fromEntries(apps(id).flatMap((r) => (r.resellerReason === null ? [] : [[String(r.applicationId), r.resellerReason]]))) as Record<string, string>,
        dataCategoryIds: cats(id).map((r) => r.dataCategoryId).sort((a, b) => a - b),
        dataSubjectIds: subs(id).map((r) => r.dataSubjectId).sort((a, b) => a - b),
        subProcessors: procs(id).map((p) => ({ name: p.name, service: p.service, country: p.country, inEea: p.inEea })),
      },
    ];
  });
}

const visibleApplication = (schoolIds: number[]) =>
  sql`exists (select 1 from ${applicationSchools} where ${qualified(applicationSchools.applicationId)} = ${qualified(classifications.applicationId)} and ${inArray(applicationSchools.schoolId, schoolIds.length ? schoolIds : [0])})`;

export function listClassifications(db: DbOrTx, filters: { application?: number }, schoolIds: number[] | undefined, page: Page) {
  const where = and(filters.application ? eq(classifications.applicationId, filters.application) : undefined, schoolIds ? visibleApplication(schoolIds) : undefined);
  const total = db.select({ n: count() }).from(classifications).where(where).get()?.n ?? 0;
  const rows = db.select().from(classifications).where(where).orderBy(desc(classifications.id)).limit(page.limit).offset(page.offset).all();
  return { rows, total };
}

export function findClassification(db: DbOrTx, id: number) {
  return db.select().from(classifications).where(eq(classifications.id, id)).get();
}

export function listCategories(db: DbOrTx, archived: boolean | undefined, page: Page) {
  const where = archivedFilter(dataCategories.archivedAt, archived);
  const total = db.select({ n: count() }).from(dataCategories).where(where).get()?.n ?? 0;
  const rows = db.select().from(dataCategories).where(where).orderBy(asc(dataCategories.sortOrder), asc(dataCategories.id)).limit(page.limit).offset(page.offset).all();
  return { rows, total };
}

export function listSubjects(db: DbOrTx, archived: boolean | undefined, page: Page) {
  const where = archivedFilter(dataSubjects.archivedAt, archived);
  const total = db.select({ n: count() }).from(dataSubjects).where(where).get()?.n ?? 0;
  const rows = db.select().from(dataSubjects).where(where).orderBy(asc(dataSubjects.sortOrder), asc(dataSubjects.id)).limit(page.limit).offset(page.offset).all();
  return { rows, total };
}

export function listForaFunctions(db: DbOrTx, archived: boolean | undefined, page: Page) {
  const where = archivedFilter(foraFunctions.archivedAt, archived);
  const total = db.select({ n: count() }).from(foraFunctions).where(where).get()?.n ?? 0;
  const rows = db
    .select({ fn: foraFunctions, domain: foraDomains })
    .from(foraFunctions)
    .innerJoin(foraDomains, eq(foraDomains.id, foraFunctions.domainId))
    .where(where)
    .orderBy(asc(foraDomains.sortOrder), asc(foraFunctions.sortOrder), asc(foraFunctions.id))
    .limit(page.limit)
    .offset(page.offset)
    .all();
  return { rows, total };
}

export function missingForaFunctionIds(db: DbOrTx, ids: readonly number[]): number[] {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const found = new Set(db.select({ id: foraFunctions.id }).from(foraFunctions).where(inArray(foraFunctions.id, unique)).all().map((r) => r.id));
  return unique.filter((id) => !found.has(id));
}

export function missingSchoolIds(db: DbOrTx, ids: readonly number[]): number[] {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const found = new Set(db.select({ id: schools.id }).from(schools).where(inArray(schools.id, unique)).all().map((r) => r.id));
  return unique.filter((id) => !found.has(id));
}
