// The few lists the overviews need beside the compliance facts (src/compliance/compliance.repository.ts):
// each is one query for the whole register, never one per application.
import { asc, eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { applicationFunctions, applications, applicationSchools, dataCategories, foraDomains, foraFunctions, schools, suppliers } from "../db/schema";

/** The data categories in use (not archived), in the register's order: the matrix's columns. */
export function activeCategories(db: DbOrTx) {
  return db
    .select({ id: dataCategories.id, code: dataCategories.code, label: dataCategories.label })
    .from(dataCategories)
    .where(isNull(dataCategories.archivedAt))
    .orderBy(asc(dataCategories.sortOrder), asc(dataCategories.label))
    .all();
}

export function schoolChoices(db: DbOrTx) {
  return db.select({ id: schools.id, name: schools.name }).from(schools).where(isNull(schools.archivedAt)).orderBy(asc(schools.name)).all();
}

/** The applications a school uses. */
export function applicationIdsOfSchool(db: DbOrTx, schoolId: number): number[] {
  return db
    .select({ id: applicationSchools.applicationId })
    .from(applicationSchools)
    .where(eq(applicationSchools.schoolId, schoolId))
    .all()
    .map((r) => r.id);
}

/** Every application that is not archived, with its supplier and costs. */
export function applicationSummaries(db: DbOrTx) {
  return db
    .select({
      id: applications.id,
      name: applications.name,
      supplierName: suppliers.name,
      lifecycle: applications.lifecycle,
      costLicencePerYearCents: applications.costLicencePerYearCents,
      costOneTimeCents: applications.costOneTimeCents,
    })
    .from(applications)
    .innerJoin(suppliers, eq(suppliers.id, applications.supplierId))
    .where(isNull(applications.archivedAt))
    .orderBy(sql`lower(${applications.name})`, asc(applications.id))
    .all();
}

export function domainList(db: DbOrTx) {
  return db.select({ id: foraDomains.id, name: foraDomains.name }).from(foraDomains).orderBy(asc(foraDomains.sortOrder), asc(foraDomains.id)).all();
}

/** The FORA functions in use (not archived). */
export function functionList(db: DbOrTx) {
  return db
    .select({ id: foraFunctions.id, domainId: foraFunctions.domainId, code: foraFunctions.code, name: foraFunctions.name })
    .from(foraFunctions)
    .where(isNull(foraFunctions.archivedAt))
    .orderBy(asc(foraFunctions.domainId), asc(foraFunctions.sortOrder), asc(foraFunctions.id))
    .all();
}

/** Which application serves which function: all links, in one query. */
export function functionLinks(db: DbOrTx) {
  return db.select({ applicationId: applicationFunctions.applicationId, functionId: applicationFunctions.functionId }).from(applicationFunctions).all();
}
