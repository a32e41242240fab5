import { and, asc, count, desc, eq, isNotNull, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { qualified } from "../db/sql";
import { agreements, applications, breaches, intakeRequests, suppliers } from "../db/schema";
import { likePattern } from "../http/listing";
import type { SupplierListQuery } from "./suppliers.schemas";

export type Supplier = typeof suppliers.$inferSelect;

const applicationCount = sql<number>`(select count(*) from ${applications} where ${qualified(applications.supplierId)} = ${qualified(suppliers.id)} and ${qualified(applications.archivedAt)} is null)`;
const agreementCount = sql<number>`(select count(*) from ${agreements} where ${qualified(agreements.supplierId)} = ${qualified(suppliers.id)})`;

function listWhere(query: SupplierListQuery): SQL | undefined {
  return and(
    query.archived ? isNotNull(suppliers.archivedAt) : isNull(suppliers.archivedAt),
    query.covenant ? eq(suppliers.covenantStatus, query.covenant) : undefined,
    query.q
      ? or(sql`${suppliers.name} like ${likePattern(query.q)} escape '\\'`, sql`${suppliers.kvk} like ${likePattern(query.q)} escape '\\'`)
      : undefined,
  );
}

export function countSuppliers(db: DbOrTx, query: SupplierListQuery): number {
  return db.select({ n: count() }).from(suppliers).where(listWhere(query)).get()?.n ?? 0;
}

export function listSuppliers(db: DbOrTx, query: SupplierListQuery, page: { limit: number; offset: number }) {
  const columns = {
    name: sql`lower(${suppliers.name})`,
    kvk: suppliers.kvk,
    covenantStatus: suppliers.covenantStatus,
    applications: applicationCount,
    agreements: agreementCount,
  } as const;
  const order = query.dir === "desc" ? desc : asc;
  return db
    .select({
      id: suppliers.id,
      name: suppliers.name,
      kvk: suppliers.kvk,
      covenantStatus: suppliers.covenantStatus,
      certIso27001: suppliers.certIso27001,
      certNen7510: suppliers.certNen7510,
      certRosa: suppliers.certRosa,
      archivedAt: suppliers.archivedAt,
      applicationCount,
      agreementCount,
    })
    .from(suppliers)
    .where(listWhere(query))
    .orderBy(order(columns[query.sort]), asc(suppliers.id))
    .limit(page.limit)
    .offset(page.offset)
    .all();
}

export function findSupplierById(db: DbOrTx, id: number): Supplier | undefined {
  return db.select().from(suppliers).where(eq(suppliers.id, id)).get();
}

/** Another supplier with the same name (case-insensitive) or KvK number, for a clear message before the unique index speaks. */
export function findDuplicateSupplier(db: DbOrTx, values: { name: string; kvk?: string | null }, exceptId?: number) {
  const others = exceptId ? ne(suppliers.id, exceptId) : undefined;
  const byName = db.select().from(suppliers).where(and(sql`lower(${suppliers.name}) = lower(${values.name})`, others)).get();
  const byKvk = values.kvk ? db.select().from(suppliers).where(and(eq(suppliers.kvk, values.kvk), others)).get() : undefined;
  return { byName, byKvk };
}

/** What still refers to a supplier: a real delete is refused while any of these is non-zero. */
export function referencesToSupplier(db: DbOrTx, id: number) {
  const n = (table: typeof applications | typeof agreements | typeof breaches | typeof intakeRequests) =>
    db.select({ n: count() }).from(table).where(eq(table.supplierId, id)).get()?.n ?? 0;
  return { applications: n(applications), agreements: n(agreements), breaches: n(breaches), intakeRequests: n(intakeRequests) };
}

export function applicationsOfSupplier(db: DbOrTx, supplierId: number) {
  return db
    .select({ id: applications.id, name: applications.name, lifecycle: applications.lifecycle, archivedAt: applications.archivedAt })
    .from(applications)
    .where(eq(applications.supplierId, supplierId))
    .orderBy(asc(applications.name))
    .all();
}

export function agreementsOfSupplier(db: DbOrTx, supplierId: number) {
  return db
    .select({
      id: agreements.id,
      reference: agreements.reference,
      model: agreements.model,
      status: agreements.status,
      startsOn: agreements.startsOn,
      endsOn: agreements.endsOn,
    })
    .from(agreements)
    .where(eq(agreements.supplierId, supplierId))
    .orderBy(desc(agreements.startsOn), desc(agreements.id))
    .all();
}
