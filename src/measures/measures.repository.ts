import { and, asc, count, desc, eq, isNotNull, isNull, max, ne, or, sql, type SQL } from "drizzle-orm";
import { qualified } from "../db/sql";
import type { DbOrTx } from "../db/client";
import { applicationMeasures, applications, securityMeasures, suppliers } from "../db/schema";
import { likePattern } from "../http/listing";
import type { MeasureListQuery } from "./measures.schemas";

export type SecurityMeasure = typeof securityMeasures.$inferSelect;

// drizzle writes columns without their table in a one-table select, also inside sql``; in a correlated
// subquery that would bind "id" to the inner table. So these columns are written as "table"."column".

const applicationCount = sql<number>`(select count(*) from ${applicationMeasures} where ${qualified(applicationMeasures.measureId)} = ${qualified(securityMeasures.id)})`;
// The scales in their own order (B, I, V; laag, midden, hoog) rather than alphabetically.
const aspectRank = sql`case ${qualified(securityMeasures.aspect)} when 'beschikbaarheid' then 0 when 'integriteit' then 1 else 2 end`;
const levelRank = sql`case ${qualified(securityMeasures.level)} when 'laag' then 0 when 'midden' then 1 else 2 end`;

function listWhere(query: MeasureListQuery): SQL | undefined {
  const pattern = query.q ? likePattern(query.q) : undefined;
  return and(
    query.archived ? isNotNull(securityMeasures.archivedAt) : isNull(securityMeasures.archivedAt),
    query.aspect ? eq(securityMeasures.aspect, query.aspect) : undefined,
    query.level ? eq(securityMeasures.level, query.level) : undefined,
    query.owner ? eq(securityMeasures.owner, query.owner) : undefined,
    pattern
      ? or(
          sql`${securityMeasures.title} like ${pattern} escape '\\'`,
          sql`${securityMeasures.code} like ${pattern} escape '\\'`,
          sql`${securityMeasures.description} like ${pattern} escape '\\'`,
        )
      : undefined,
  );
}

export function countMeasures(db: DbOrTx, query: MeasureListQuery): number {
  return db.select({ n: count() }).from(securityMeasures).where(listWhere(query)).get()?.n ?? 0;
}

export function listMeasures(db: DbOrTx, query: MeasureListQuery, page: { limit: number; offset: number }) {
  const columns = {
    aspect: aspectRank,
    level: levelRank,
    code: securityMeasures.code,
    title: sql`lower(${securityMeasures.title})`,
    owner: securityMeasures.owner,
    applications: applicationCount,
  } as const;
  const order = query.dir === "desc" ? desc : asc;
  return db
    .select({
      id: securityMeasures.id,
      code: securityMeasures.code,
      aspect: securityMeasures.aspect,
      level: securityMeasures.level,
      title: securityMeasures.title,
      owner: securityMeasures.owner,
      sortOrder: securityMeasures.sortOrder,
      archivedAt: securityMeasures.archivedAt,
      applicationCount,
    })
    .from(securityMeasures)
    .where(listWhere(query))
    // Within a column's value the catalogue keeps its own order: aspect, level, then position.
    .orderBy(order(columns[query.sort]), asc(aspectRank), asc(levelRank), asc(securityMeasures.sortOrder), asc(securityMeasures.id))
    .limit(page.limit)
    .offset(page.offset)
    .all();
}

export function findMeasureById(db: DbOrTx, id: number): SecurityMeasure | undefined {
  return db.select().from(securityMeasures).where(eq(securityMeasures.id, id)).get();
}

export function findMeasureByCode(db: DbOrTx, code: string, exceptId?: number): SecurityMeasure | undefined {
  return db
    .select()
    .from(securityMeasures)
    .where(and(eq(securityMeasures.code, code), exceptId ? ne(securityMeasures.id, exceptId) : undefined))
    .get();
}

export function nextMeasureSortOrder(db: DbOrTx, exceptId?: number): number {
  const row = db
    .select({ last: max(securityMeasures.sortOrder) })
    .from(securityMeasures)
    .where(exceptId ? ne(securityMeasures.id, exceptId) : undefined)
    .get();
  return Math.min(9999, (row?.last ?? 0) + 1);
}

/** How many applications record the measure: a real delete is refused while this is non-zero. */
export function referencesToMeasure(db: DbOrTx, id: number): number {
  return db.select({ n: count() }).from(applicationMeasures).where(eq(applicationMeasures.measureId, id)).get()?.n ?? 0;
}

/** The applications where the measure is recorded, with its status there. */
export function applicationsWithMeasure(db: DbOrTx, measureId: number) {
  return db
    .select({
      id: applications.id,
      name: applications.name,
      archivedAt: applications.archivedAt,
      supplierName: suppliers.name,
      status: applicationMeasures.status,
      note: applicationMeasures.note,
      checkedOn: applicationMeasures.checkedOn,
    })
    .from(applicationMeasures)
    .innerJoin(applications, eq(applications.id, applicationMeasures.applicationId))
    .innerJoin(suppliers, eq(suppliers.id, applications.supplierId))
    .where(eq(applicationMeasures.measureId, measureId))
    .orderBy(asc(sql`lower(${applications.name})`), asc(applications.id))
    .all();
}
