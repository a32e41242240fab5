import { and, asc, count, desc, eq, inArray, isNotNull, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { qualified } from "../db/sql";
import type { DbOrTx } from "../db/client";
import { applications, applicationSchools, intakeRequests, schools, suppliers, userSchools } from "../db/schema";
import { likePattern } from "../http/listing";
import type { SchoolListQuery } from "./schools.schemas";

export type School = typeof schools.$inferSelect;

/** Schools with the number of applications each uses; `onlyIds` limits the list (a school user's own). */
export function listSchools(db: DbOrTx, options: { onlyIds?: number[] } = {}) {
  const where = and(isNull(schools.archivedAt), options.onlyIds ? inArray(schools.id, options.onlyIds) : undefined);
  return db
    .select({
      id: schools.id,
      name: schools.name,
      brin: schools.brin,
      location: schools.location,
      sector: schools.sector,
      city: schools.city,
      applicationCount: count(applicationSchools.id),
    })
    .from(schools)
    .leftJoin(applicationSchools, eq(applicationSchools.schoolId, schools.id))
    .where(where)
    .groupBy(schools.id)
    .orderBy(asc(schools.name))
    .all();
}

// drizzle writes columns without their table in a one-table select, also inside sql``; in a correlated
// subquery that would bind "id" to the inner table. So these columns are written as "table"."column".

const applicationCount = sql<number>`(select count(*) from ${applicationSchools} inner join ${applications} on ${qualified(applications.id)} = ${qualified(applicationSchools.applicationId)} where ${qualified(applicationSchools.schoolId)} = ${qualified(schools.id)} and ${qualified(applications.archivedAt)} is null)`;

/** The list page's filter. `onlyIds` is a school user's own schools: with none, the list is empty. */
function listWhere(query: SchoolListQuery, onlyIds?: number[]): SQL | undefined {
  const pattern = query.q ? likePattern(query.q) : undefined;
  return and(
    onlyIds ? (onlyIds.length ? inArray(schools.id, onlyIds) : sql`0`) : undefined,
    query.archived ? isNotNull(schools.archivedAt) : isNull(schools.archivedAt),
    query.sector ? eq(schools.sector, query.sector) : undefined,
    pattern
      ? or(
          sql`${schools.name} like ${pattern} escape '\\'`,
          sql`(${schools.brin} || ${schools.location}) like ${pattern} escape '\\'`,
          sql`${schools.city} like ${pattern} escape '\\'`,
        )
      : undefined,
  );
}

export function countSchools(db: DbOrTx, query: SchoolListQuery, onlyIds?: number[]): number {
  return db.select({ n: count() }).from(schools).where(listWhere(query, onlyIds)).get()?.n ?? 0;
}

export function searchSchools(db: DbOrTx, query: SchoolListQuery, page: { limit: number; offset: number }, onlyIds?: number[]) {
  const columns = {
    name: sql`lower(${schools.name})`,
    brin: sql`${schools.brin} || ${schools.location}`,
    sector: schools.sector,
    city: sql`lower(${schools.city})`,
    applications: applicationCount,
  } as const;
  const order = query.dir === "desc" ? desc : asc;
  return db
    .select({
      id: schools.id,
      name: schools.name,
      brin: schools.brin,
      location: schools.location,
      sector: schools.sector,
      city: schools.city,
      archivedAt: schools.archivedAt,
      applicationCount,
    })
    .from(schools)
    .where(listWhere(query, onlyIds))
    .orderBy(order(columns[query.sort]), asc(schools.name), asc(schools.id))
    .limit(page.limit)
    .offset(page.offset)
    .all();
}

export function findSchoolById(db: DbOrTx, id: number): School | undefined {
  return db.select().from(schools).where(eq(schools.id, id)).get();
}

/** Another school with the same BRIN and vestiging, for a message at the field before the unique index speaks. */
export function findDuplicateSchool(db: DbOrTx, values: { brin: string; location: string }, exceptId?: number): School | undefined {
  return db
    .select()
    .from(schools)
    .where(and(eq(schools.brin, values.brin), eq(schools.location, values.location), exceptId ? ne(schools.id, exceptId) : undefined))
    .get();
}

/** What still refers to a school: a real delete is refused while any of these is non-zero. */
export function referencesToSchool(db: DbOrTx, id: number) {
  const n = (table: typeof applicationSchools | typeof userSchools | typeof intakeRequests) =>
    db.select({ n: count() }).from(table).where(eq(table.schoolId, id)).get()?.n ?? 0;
  return { applications: n(applicationSchools), users: n(userSchools), intakeRequests: n(intakeRequests) };
}

export function applicationsOfSchool(db: DbOrTx, schoolId: number) {
  return db
    .select({
      id: applications.id,
      name: applications.name,
      lifecycle: applications.lifecycle,
      supplierName: suppliers.name,
      since: applicationSchools.since,
      until: applicationSchools.until,
      localContact: applicationSchools.localContact,
    })
    .from(applicationSchools)
    .innerJoin(applications, eq(applications.id, applicationSchools.applicationId))
    .innerJoin(suppliers, eq(suppliers.id, applications.supplierId))
    .where(and(eq(applicationSchools.schoolId, schoolId), isNull(applications.archivedAt)))
    .orderBy(asc(applications.name))
    .all();
}
