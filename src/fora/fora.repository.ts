import { and, asc, count, eq, isNull, max, ne, sql } from "drizzle-orm";
import { qualified } from "../db/sql";
import type { DbOrTx } from "../db/client";
import { applicationFunctions, applications, foraDomains, foraFunctions, intakeRequests, suppliers } from "../db/schema";

export type ForaDomain = typeof foraDomains.$inferSelect;
export type ForaFunction = typeof foraFunctions.$inferSelect;

// drizzle writes columns without their table in a one-table select, also inside sql``; in a correlated
// subquery that would bind "id" to the inner table. So these columns are written as "table"."column".

/** Applications in the register (not archived) that serve the function. */
const applicationCount = sql<number>`(select count(*) from ${applicationFunctions} inner join ${applications} on ${qualified(applications.id)} = ${qualified(applicationFunctions.applicationId)} where ${qualified(applicationFunctions.functionId)} = ${qualified(foraFunctions.id)} and ${qualified(applications.archivedAt)} is null)`;

export function listDomains(db: DbOrTx): ForaDomain[] {
  return db.select().from(foraDomains).orderBy(asc(foraDomains.sortOrder), asc(foraDomains.id)).all();
}

export function findDomainById(db: DbOrTx, id: number): ForaDomain | undefined {
  return db.select().from(foraDomains).where(eq(foraDomains.id, id)).get();
}

/** Every function with the number of applications serving it, in one query; archived ones only on request. */
export function listFunctions(db: DbOrTx, options: { archived: boolean }) {
  return db
    .select({
      id: foraFunctions.id,
      domainId: foraFunctions.domainId,
      code: foraFunctions.code,
      name: foraFunctions.name,
      sortOrder: foraFunctions.sortOrder,
      archivedAt: foraFunctions.archivedAt,
      applicationCount,
    })
    .from(foraFunctions)
    .where(options.archived ? undefined : isNull(foraFunctions.archivedAt))
    .orderBy(asc(foraFunctions.domainId), asc(foraFunctions.sortOrder), asc(foraFunctions.id))
    .all();
}

export function findFunctionById(db: DbOrTx, id: number): ForaFunction | undefined {
  return db.select().from(foraFunctions).where(eq(foraFunctions.id, id)).get();
}

export function findFunctionByCode(db: DbOrTx, code: string, exceptId?: number): ForaFunction | undefined {
  return db
    .select()
    .from(foraFunctions)
    .where(and(eq(foraFunctions.code, code), exceptId ? ne(foraFunctions.id, exceptId) : undefined))
    .get();
}

/** The position after the last function of the domain. */
export function nextFunctionSortOrder(db: DbOrTx, domainId: number, exceptId?: number): number {
  const row = db
    .select({ last: max(foraFunctions.sortOrder) })
    .from(foraFunctions)
    .where(and(eq(foraFunctions.domainId, domainId), exceptId ? ne(foraFunctions.id, exceptId) : undefined))
    .get();
  return Math.min(9999, (row?.last ?? 0) + 1);
}

/** What still refers to a function: a real delete is refused while any of these is non-zero. */
export function referencesToFunction(db: DbOrTx, id: number) {
  return {
    applications: db.select({ n: count() }).from(applicationFunctions).where(eq(applicationFunctions.functionId, id)).get()?.n ?? 0,
    intakeRequests: db.select({ n: count() }).from(intakeRequests).where(eq(intakeRequests.foraFunctionId, id)).get()?.n ?? 0,
  };
}

/** The applications that serve the function, with supplier and lifecycle. */
export function applicationsServingFunction(db: DbOrTx, functionId: number) {
  return db
    .select({
      id: applications.id,
      name: applications.name,
      lifecycle: applications.lifecycle,
      archivedAt: applications.archivedAt,
      supplierName: suppliers.name,
    })
    .from(applicationFunctions)
    .innerJoin(applications, eq(applications.id, applicationFunctions.applicationId))
    .innerJoin(suppliers, eq(suppliers.id, applications.supplierId))
    .where(eq(applicationFunctions.functionId, functionId))
    .orderBy(asc(sql`lower(${applications.name})`), asc(applications.id))
    .all();
}
