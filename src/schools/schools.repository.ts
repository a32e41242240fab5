import { and, asc, count, eq, inArray, isNull } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { applications, applicationSchools, schools, suppliers } from "../db/schema";

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

export function findSchoolById(db: DbOrTx, id: number): School | undefined {
  return db.select().from(schools).where(eq(schools.id, id)).get();
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
