import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { agreementApplications, agreements, applications, breachDataCategories, breaches, dataCategories, suppliers } from "../db/schema";
import { likePattern } from "../http/listing";
import { addDays } from "../lib/dates";
import { fromLocalInput } from "./breaches.moments";
import type { BreachListQuery } from "./breaches.schemas";

export type Breach = typeof breaches.$inferSelect;

const RISK_ORDER = sql`case ${breaches.risk} when 'hoog_risico' then 3 when 'risico' then 2 when 'geen' then 1 else 0 end`;

function listWhere(query: BreachListQuery): SQL | undefined {
  // A period is whole Dutch days: from the start of `from` up to the start of the day after `to`.
  const fromMs = query.from ? fromLocalInput(`${query.from}T00:00`) : undefined;
  const toMs = query.to ? fromLocalInput(`${addDays(query.to, 1)}T00:00`) : undefined;
  return and(
    query.state === "open" ? isNull(breaches.closedAt) : query.state === "closed" ? isNotNull(breaches.closedAt) : undefined,
    query.risk ? eq(breaches.risk, query.risk) : undefined,
    fromMs !== undefined ? gte(breaches.discoveredAt, new Date(fromMs)) : undefined,
    toMs !== undefined ? lt(breaches.discoveredAt, new Date(toMs)) : undefined,
    query.application ? eq(breaches.applicationId, query.application) : undefined,
    query.q
      ? or(sql`${breaches.title} like ${likePattern(query.q)} escape '\\'`, sql`${breaches.description} like ${likePattern(query.q)} escape '\\'`)
      : undefined,
  );
}

export function countBreaches(db: DbOrTx, query: BreachListQuery): number {
  return db.select({ n: count() }).from(breaches).where(listWhere(query)).get()?.n ?? 0;
}

export function listBreaches(db: DbOrTx, query: BreachListQuery, page: { limit: number; offset: number }) {
  const columns = {
    discovered: breaches.discoveredAt,
    title: sql`lower(${breaches.title})`,
    application: sql`lower(${applications.name})`,
    risk: RISK_ORDER,
    closed: breaches.closedAt,
  } as const;
  const order = query.dir === "desc" ? desc : asc;
  return db
    .select({
      id: breaches.id,
      title: breaches.title,
      applicationId: breaches.applicationId,
      applicationName: applications.name,
      supplierName: suppliers.name,
      discoveredAt: breaches.discoveredAt,
      risk: breaches.risk,
      regulatorNotified: breaches.regulatorNotified,
      regulatorNotifiedAt: breaches.regulatorNotifiedAt,
      closedAt: breaches.closedAt,
    })
    .from(breaches)
    .leftJoin(applications, eq(applications.id, breaches.applicationId))
    .leftJoin(suppliers, eq(suppliers.id, breaches.supplierId))
    .where(listWhere(query))
    .orderBy(order(columns[query.sort]), desc(breaches.id))
    .limit(page.limit)
    .offset(page.offset)
    .all();
}

export function findBreachById(db: DbOrTx, id: number): Breach | undefined {
  return db.select().from(breaches).where(eq(breaches.id, id)).get();
}

export function categoryIdsOfBreach(db: DbOrTx, breachId: number): number[] {
  return db
    .select({ id: breachDataCategories.dataCategoryId })
    .from(breachDataCategories)
    .where(eq(breachDataCategories.breachId, breachId))
    .orderBy(asc(breachDataCategories.dataCategoryId))
    .all()
    .map((r) => r.id);
}

export function replaceBreachCategories(tx: DbOrTx, breachId: number, categoryIds: number[]): void {
  tx.delete(breachDataCategories).where(eq(breachDataCategories.breachId, breachId)).run();
  if (categoryIds.length) tx.insert(breachDataCategories).values(categoryIds.map((dataCategoryId) => ({ breachId, dataCategoryId }))).run();
}

/** The categories for the form: active ones, plus archived ones the breach already names. */
export function categoryChoices(db: DbOrTx, include: number[] = []) {
  return db
    .select({ id: dataCategories.id, label: dataCategories.label, flag: dataCategories.flag })
    .from(dataCategories)
    .where(include.length ? or(isNull(dataCategories.archivedAt), inArray(dataCategories.id, include)) : isNull(dataCategories.archivedAt))
    .orderBy(asc(dataCategories.sortOrder), asc(dataCategories.label))
    .all();
}

export function categoriesOfBreach(db: DbOrTx, breachId: number) {
  return db
    .select({ id: dataCategories.id, label: dataCategories.label, flag: dataCategories.flag })
    .from(breachDataCategories)
    .innerJoin(dataCategories, eq(dataCategories.id, breachDataCategories.dataCategoryId))
    .where(eq(breachDataCategories.breachId, breachId))
    .orderBy(asc(dataCategories.sortOrder))
    .all();
}

export function applicationChoices(db: DbOrTx, include?: number) {
  return db
    .select({ id: applications.id, name: applications.name, supplierName: suppliers.name, archivedAt: applications.archivedAt })
    .from(applications)
    .innerJoin(suppliers, eq(suppliers.id, applications.supplierId))
    .where(include ? or(isNull(applications.archivedAt), eq(applications.id, include)) : isNull(applications.archivedAt))
    .orderBy(asc(sql`lower(${applications.name})`), asc(applications.id))
    .all();
}

export function supplierChoices(db: DbOrTx, include?: number) {
  return db
    .select({ id: suppliers.id, name: suppliers.name, archivedAt: suppliers.archivedAt })
    .from(suppliers)
    .where(include ? or(isNull(suppliers.archivedAt), eq(suppliers.id, include)) : isNull(suppliers.archivedAt))
    .orderBy(asc(sql`lower(${suppliers.name})`))
    .all();
}

export function applicationById(db: DbOrTx, id: number) {
  return db.select({ id: applications.id, name: applications.name, supplierId: applications.supplierId }).from(applications).where(eq(applications.id, id)).get();
}

export function supplierById(db: DbOrTx, id: number) {
  return db.select({ id: suppliers.id, name: suppliers.name }).from(suppliers).where(eq(suppliers.id, id)).get();
}

export function existingCategoryIds(db: DbOrTx, ids: number[]): number[] {
  if (!ids.length) return [];
  return db.select({ id: dataCategories.id }).from(dataCategories).where(inArray(dataCategories.id, ids)).all().map((r) => r.id);
}

/** The agreements that cover an application, with their breach notification term, newest first. */
export function agreementsCovering(db: DbOrTx, applicationId: number) {
  return db
    .select({
      id: agreements.id,
      reference: agreements.reference,
      status: agreements.status,
      startsOn: agreements.startsOn,
      endsOn: agreements.endsOn,
      breachNotificationHours: agreements.breachNotificationHours,
    })
    .from(agreementApplications)
    .innerJoin(agreements, eq(agreements.id, agreementApplications.agreementId))
    .where(eq(agreementApplications.applicationId, applicationId))
    .orderBy(desc(agreements.startsOn), desc(agreements.id))
    .all();
}
