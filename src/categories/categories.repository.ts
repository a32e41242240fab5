import { and, asc, count, desc, eq, isNotNull, isNull, max, ne, or, sql, type SQL } from "drizzle-orm";
import { qualified } from "../db/sql";
import type { DbOrTx } from "../db/client";
import {
  agreementDataCategories,
  agreements,
  applicationData,
  applications,
  breachDataCategories,
  dataCategories,
  dataSubjects,
  intakeRequestData,
  retentionRules,
  suppliers,
} from "../db/schema";
import { likePattern } from "../http/listing";
import type { CategoryListQuery } from "./categories.schemas";

export type DataCategory = typeof dataCategories.$inferSelect;

// drizzle writes columns without their table in a one-table select, also inside sql``; in a correlated
// subquery that would bind "id" to the inner table. So these columns are written as "table"."column".

/** Applications (not archived) that process the category, each counted once whatever its data subjects. */
const applicationCount = sql<number>`(select count(distinct ${qualified(applicationData.applicationId)}) from ${applicationData} inner join ${applications} on ${qualified(applications.id)} = ${qualified(applicationData.applicationId)} where ${qualified(applicationData.dataCategoryId)} = ${qualified(dataCategories.id)} and ${qualified(applications.archivedAt)} is null)`;
const levelRank = sql`case ${qualified(dataCategories.minConfidentiality)} when 'laag' then 0 when 'midden' then 1 else 2 end`;

function listWhere(query: CategoryListQuery): SQL | undefined {
  const pattern = query.q ? likePattern(query.q) : undefined;
  return and(
    query.archived ? isNotNull(dataCategories.archivedAt) : isNull(dataCategories.archivedAt),
    query.flag ? eq(dataCategories.flag, query.flag) : undefined,
    query.min ? eq(dataCategories.minConfidentiality, query.min) : undefined,
    pattern
      ? or(
          sql`${dataCategories.label} like ${pattern} escape '\\'`,
          sql`${dataCategories.code} like ${pattern} escape '\\'`,
          sql`${dataCategories.description} like ${pattern} escape '\\'`,
        )
      : undefined,
  );
}

export function countCategories(db: DbOrTx, query: CategoryListQuery): number {
  return db.select({ n: count() }).from(dataCategories).where(listWhere(query)).get()?.n ?? 0;
}

export function listCategories(db: DbOrTx, query: CategoryListQuery, page: { limit: number; offset: number }) {
  const columns = {
    sortOrder: dataCategories.sortOrder,
    label: sql`lower(${dataCategories.label})`,
    code: dataCategories.code,
    minConfidentiality: levelRank,
    applications: applicationCount,
  } as const;
  const order = query.dir === "desc" ? desc : asc;
  return db
    .select({
      id: dataCategories.id,
      code: dataCategories.code,
      label: dataCategories.label,
      flag: dataCategories.flag,
      minConfidentiality: dataCategories.minConfidentiality,
      isCustom: dataCategories.isCustom,
      sortOrder: dataCategories.sortOrder,
      archivedAt: dataCategories.archivedAt,
      applicationCount,
    })
    .from(dataCategories)
    .where(listWhere(query))
    .orderBy(order(columns[query.sort]), asc(dataCategories.sortOrder), asc(dataCategories.id))
    .limit(page.limit)
    .offset(page.offset)
    .all();
}

export function findCategoryById(db: DbOrTx, id: number): DataCategory | undefined {
  return db.select().from(dataCategories).where(eq(dataCategories.id, id)).get();
}

export function findCategoryByCode(db: DbOrTx, code: string, exceptId?: number): DataCategory | undefined {
  return db
    .select()
    .from(dataCategories)
    .where(and(eq(dataCategories.code, code), exceptId ? ne(dataCategories.id, exceptId) : undefined))
    .get();
}

/** The position after the last category, for one added without a position. */
export function nextCategorySortOrder(db: DbOrTx, exceptId?: number): number {
  const row = db
    .select({ last: max(dataCategories.sortOrder) })
    .from(dataCategories)
    .where(exceptId ? ne(dataCategories.id, exceptId) : undefined)
    .get();
  return Math.min(9999, (row?.last ?? 0) + 1);
}

/** What still refers to a category: a real delete is refused while any of these is non-zero. */
export function referencesToCategory(db: DbOrTx, id: number) {
  const n = (table: typeof applicationData | typeof agreementDataCategories | typeof breachDataCategories | typeof intakeRequestData | typeof retentionRules) =>
    db.select({ n: count() }).from(table).where(eq(table.dataCategoryId, id)).get()?.n ?? 0;
  return {
    applications: n(applicationData),
    agreements: n(agreementDataCategories),
    breaches: n(breachDataCategories),
    intakeRequests: n(intakeRequestData),
    retentionRules: n(retentionRules),
  };
}

/** The applications that process the category, with the data subjects they process it of. */
export function applicationsProcessingCategory(db: DbOrTx, categoryId: number) {
  return db
    .select({
      id: applications.id,
      name: applications.name,
      lifecycle: applications.lifecycle,
      archivedAt: applications.archivedAt,
      supplierName: suppliers.name,
      subjects: sql<string>`group_concat(${dataSubjects.label}, ', ')`,
    })
    .from(applicationData)
    .innerJoin(applications, eq(applications.id, applicationData.applicationId))
    .innerJoin(suppliers, eq(suppliers.id, applications.supplierId))
    .innerJoin(dataSubjects, eq(dataSubjects.id, applicationData.dataSubjectId))
    .where(eq(applicationData.dataCategoryId, categoryId))
    .groupBy(applications.id)
    .orderBy(asc(sql`lower(${applications.name})`), asc(applications.id))
    .all();
}

/** The processor agreements whose privacy annex covers the category. */
export function agreementsCoveringCategory(db: DbOrTx, categoryId: number) {
  return db
    .select({
      id: agreements.id,
      reference: agreements.reference,
      model: agreements.model,
      status: agreements.status,
      endsOn: agreements.endsOn,
      supplierName: suppliers.name,
    })
    .from(agreementDataCategories)
    .innerJoin(agreements, eq(agreements.id, agreementDataCategories.agreementId))
    .innerJoin(suppliers, eq(suppliers.id, agreements.supplierId))
    .where(eq(agreementDataCategories.dataCategoryId, categoryId))
    .orderBy(asc(sql`lower(${suppliers.name})`), asc(agreements.reference), asc(agreements.id))
    .all();
}
