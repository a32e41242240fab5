import { and, asc, count, desc, eq, inArray, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { agreementApplications, agreements, dataCategories, retentionRules } from "../db/schema";
import { likePattern } from "../http/listing";
import type { RetentionListQuery } from "./retention.schemas";

export type RetentionRule = typeof retentionRules.$inferSelect;

function listWhere(query: RetentionListQuery): SQL | undefined {
  const pattern = query.q ? likePattern(query.q) : undefined;
  return and(
    query.archived ? isNotNull(retentionRules.archivedAt) : isNull(retentionRules.archivedAt),
    query.category ? eq(retentionRules.dataCategoryId, query.category) : undefined,
    query.action ? eq(retentionRules.action, query.action) : undefined,
    pattern
      ? or(
          sql`${retentionRules.recordType} like ${pattern} escape '\\'`,
          sql`${retentionRules.trigger} like ${pattern} escape '\\'`,
          sql`${retentionRules.source} like ${pattern} escape '\\'`,
        )
      : undefined,
  );
}

export function countRetentionRules(db: DbOrTx, query: RetentionListQuery): number {
  return db.select({ n: count() }).from(retentionRules).where(listWhere(query)).get()?.n ?? 0;
}

export function listRetentionRules(db: DbOrTx, query: RetentionListQuery, page: { limit: number; offset: number }) {
  const columns = {
    recordType: sql`lower(${retentionRules.recordType})`,
    // Rules without a category (a record type only) after those with one.
    category: sql`coalesce(${dataCategories.sortOrder}, 1000000)`,
    term: retentionRules.termMonths,
    action: retentionRules.action,
  } as const;
  const order = query.dir === "desc" ? desc : asc;
  return db
    .select({
      id: retentionRules.id,
      recordType: retentionRules.recordType,
      categoryId: dataCategories.id,
      categoryLabel: dataCategories.label,
      termText: retentionRules.termText,
      termMonths: retentionRules.termMonths,
      trigger: retentionRules.trigger,
      action: retentionRules.action,
      source: retentionRules.source,
      archivedAt: retentionRules.archivedAt,
    })
    .from(retentionRules)
    .leftJoin(dataCategories, eq(dataCategories.id, retentionRules.dataCategoryId))
    .where(listWhere(query))
    .orderBy(order(columns[query.sort]), asc(sql`lower(${retentionRules.recordType})`), asc(retentionRules.id))
    .limit(page.limit)
    .offset(page.offset)
    .all();
}

export function findRetentionRuleById(db: DbOrTx, id: number): RetentionRule | undefined {
  return db.select().from(retentionRules).where(eq(retentionRules.id, id)).get();
}

export function categoryOfRule(db: DbOrTx, categoryId: number | null) {
  return categoryId === null
    ? undefined
    : db.select({ id: dataCategories.id, label: dataCategories.label }).from(dataCategories).where(eq(dataCategories.id, categoryId)).get();
}

/** Categories for the form and the filter: active ones, plus an archived one a rule already names. */
export function categoryChoices(db: DbOrTx, include?: number) {
  return db
    .select({ id: dataCategories.id, label: dataCategories.label, archivedAt: dataCategories.archivedAt })
    .from(dataCategories)
    .where(include ? or(isNull(dataCategories.archivedAt), eq(dataCategories.id, include)) : isNull(dataCategories.archivedAt))
    .orderBy(asc(dataCategories.sortOrder), asc(dataCategories.label))
    .all();
}

export function categoryExists(db: DbOrTx, id: number): boolean {
  return db.select({ id: dataCategories.id }).from(dataCategories).where(eq(dataCategories.id, id)).get() !== undefined;
}

/** The rules (not archived) for these categories, in the categories' order. */
export function rulesForCategories(db: DbOrTx, categoryIds: number[]) {
  if (!categoryIds.length) return [];
  return db
    .select({
      id: retentionRules.id,
      categoryLabel: dataCategories.label,
      recordType: retentionRules.recordType,
      termText: retentionRules.termText,
      termMonths: retentionRules.termMonths,
      trigger: retentionRules.trigger,
      action: retentionRules.action,
      source: retentionRules.source,
    })
    .from(retentionRules)
    .innerJoin(dataCategories, eq(dataCategories.id, retentionRules.dataCategoryId))
    .where(and(inArray(retentionRules.dataCategoryId, categoryIds), isNull(retentionRules.archivedAt)))
    .orderBy(asc(dataCategories.sortOrder), asc(sql`lower(${retentionRules.recordType})`), asc(retentionRules.id))
    .all();
}

/** The agreements covering an application, with the processor's deletion term after the contract ends. */
export function deletionTermsOf(db: DbOrTx, applicationId: number) {
  return db
    .select({
      id: agreements.id,
      reference: agreements.reference,
      status: agreements.status,
      startsOn: agreements.startsOn,
      endsOn: agreements.endsOn,
      deletionTermDays: agreements.deletionTermDays,
    })
    .from(agreementApplications)
    .innerJoin(agreements, eq(agreements.id, agreementApplications.agreementId))
    .where(eq(agreementApplications.applicationId, applicationId))
    .orderBy(desc(agreements.startsOn), desc(agreements.id))
    .all();
}
