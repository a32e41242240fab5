import { and, asc, count, desc, eq, isNotNull, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { qualified } from "../db/sql";
import { applicationData, applications, dataCategories, dpias, suppliers } from "../db/schema";
import { likePattern } from "../http/listing";
import type { DpiaListQuery } from "./dpias.schemas";

export type Dpia = typeof dpias.$inferSelect;

/** Whether the application processes special categories or a national identifier (the red rule's trigger). */
const processesSpecial = sql<number>`exists (select 1 from ${applicationData} join ${dataCategories} on ${dataCategories.id} = ${applicationData.dataCategoryId}
  where ${applicationData.applicationId} = ${qualified(applications.id)} and ${dataCategories.flag} in ('bijzonder', 'nationaal_id'))`;

function listWhere(query: DpiaListQuery, today: string): SQL | undefined {
  return and(
    isNull(applications.archivedAt),
    // The register lists applications with personal data, and any other that has a DPIA record anyway.
    or(eq(applications.processesPersonalData, true), isNotNull(dpias.id)),
    query.q ? sql`${applications.name} like ${likePattern(query.q)} escape '\\'` : undefined,
    query.required === "onbekend" ? or(isNull(dpias.id), eq(dpias.required, "onbekend")) : query.required ? eq(dpias.required, query.required) : undefined,
    query.status ? sql`coalesce(${dpias.status}, 'niet_gestart') = ${query.status}` : undefined,
    query.type ? eq(dpias.type, query.type) : undefined,
    query.special ? sql`${processesSpecial}` : undefined,
    query.overdue ? lt(dpias.nextReviewOn, today) : undefined,
  );
}

export function countDpiaRows(db: DbOrTx, query: DpiaListQuery, today: string): number {
  return (
    db
      .select({ n: count() })
      .from(applications)
      .leftJoin(dpias, eq(dpias.applicationId, applications.id))
      .where(listWhere(query, today))
      .get()?.n ?? 0
  );
}

/** One row per application: its DPIA decision, or nothing yet. */
export function listDpiaRows(db: DbOrTx, query: DpiaListQuery, today: string, page: { limit: number; offset: number }) {
  const columns = {
    application: sql`lower(${applications.name})`,
    required: sql`coalesce(${dpias.required}, 'onbekend')`,
    status: sql`coalesce(${dpias.status}, 'niet_gestart')`,
    performed: dpias.performedOn,
    nextReview: dpias.nextReviewOn,
  } as const;
  const order = query.dir === "desc" ? desc : asc;
  return db
    .select({
      applicationId: applications.id,
      applicationName: applications.name,
      supplierName: suppliers.name,
      special: processesSpecial,
      dpiaId: dpias.id,
      required: dpias.required,
      criteria: dpias.criteria,
      type: dpias.type,
      status: dpias.status,
      performedOn: dpias.performedOn,
      residualRisk: dpias.residualRisk,
      nextReviewOn: dpias.nextReviewOn,
      documentId: dpias.documentId,
    })
    .from(applications)
    .innerJoin(suppliers, eq(suppliers.id, applications.supplierId))
    .leftJoin(dpias, eq(dpias.applicationId, applications.id))
    .where(listWhere(query, today))
    .orderBy(order(columns[query.sort]), asc(sql`lower(${applications.name})`), asc(applications.id))
    .limit(page.limit)
    .offset(page.offset)
    .all();
}

export function findDpiaOfApplication(db: DbOrTx, applicationId: number): Dpia | undefined {
  return db.select().from(dpias).where(eq(dpias.applicationId, applicationId)).get();
}

export function findApplicationForDpia(db: DbOrTx, id: number) {
  return db
    .select({ id: applications.id, name: applications.name, supplierName: suppliers.name, processesPersonalData: applications.processesPersonalData, archivedAt: applications.archivedAt })
    .from(applications)
    .innerJoin(suppliers, eq(suppliers.id, applications.supplierId))
    .where(eq(applications.id, id))
    .get();
}

/** The categories the application processes that make a DPIA decision necessary (special or national id). */
export function specialCategoriesOf(db: DbOrTx, applicationId: number): string[] {
  return db
    .selectDistinct({ label: dataCategories.label, sortOrder: dataCategories.sortOrder })
    .from(applicationData)
    .innerJoin(dataCategories, eq(dataCategories.id, applicationData.dataCategoryId))
    .where(and(eq(applicationData.applicationId, applicationId), sql`${dataCategories.flag} in ('bijzonder', 'nationaal_id')`))
    .orderBy(asc(dataCategories.sortOrder))
    .all()
    .map((c) => c.label);
}
