// Factories for register records, with overrides. They write straight to the database (the HTTP tests
// check the features themselves).
import { eq } from "drizzle-orm";
import type { Db } from "../../src/db/client";
import {
  agreementApplications,
  agreementDataCategories,
  agreements,
  applicationData,
  applicationMeasures,
  applications,
  applicationSchools,
  classifications,
  dataCategories,
  dataSubjects,
  securityMeasures,
  suppliers,
} from "../../src/db/schema";

let seq = 0;
const next = () => ++seq;

export function makeSupplier(db: Db, overrides: Partial<typeof suppliers.$inferInsert> = {}) {
  return db.insert(suppliers).values({ name: `Leverancier ${next()}`, ...overrides }).returning().get();
}

export function makeApplication(db: Db, overrides: Partial<typeof applications.$inferInsert> & { schoolIds?: number[] } = {}) {
  const { schoolIds = [], ...values } = overrides;
  const supplierId = values.supplierId ?? makeSupplier(db).id;
  const app = db.insert(applications).values({ name: `Applicatie ${next()}`, ...values, supplierId }).returning().get();
  for (const schoolId of schoolIds) db.insert(applicationSchools).values({ applicationId: app.id, schoolId }).run();
  return app;
}

export const categoryId = (db: Db, code: string) => db.select().from(dataCategories).where(eq(dataCategories.code, code)).get()!.id;
export const subjectId = (db: Db, code: string) => db.select().from(dataSubjects).where(eq(dataSubjects.code, code)).get()!.id;

/** Records that the application processes these categories of pupils. */
export function processes(db: Db, applicationId: number, codes: string[], subject = "pupils") {
  for (const code of codes) {
    db.insert(applicationData).values({ applicationId, dataCategoryId: categoryId(db, code), dataSubjectId: subjectId(db, subject), purpose: "onderwijs" }).run();
  }
}

export function makeAgreement(
  db: Db,
  overrides: Partial<typeof agreements.$inferInsert> & { applicationIds?: number[]; categories?: string[] } = {},
) {
  const { applicationIds = [], categories = [], ...values } = overrides;
  const supplierId = values.supplierId ?? makeSupplier(db).id;
  const agreement = db
    .insert(agreements)
    .values({ reference: `VO-${next()}`, model: "4.0", status: "ondertekend", signedOn: "2025-01-01", startsOn: "2025-01-01", ...values, supplierId })
    .returning()
    .get();
  for (const applicationId of applicationIds) db.insert(agreementApplications).values({ agreementId: agreement.id, applicationId }).run();
  for (const code of categories) db.insert(agreementDataCategories).values({ agreementId: agreement.id, dataCategoryId: categoryId(db, code) }).run();
  return agreement;
}

export function makeClassification(db: Db, applicationId: number, overrides: Partial<typeof classifications.$inferInsert> = {}) {
  return db
    .insert(classifications)
    .values({
      applicationId,
      availability: "midden",
      integrity: "midden",
      confidentiality: "midden",
      rationale: "Testclassificatie",
      assessorName: "Test",
      assessedOn: "2026-06-01",
      nextReviewOn: "2027-06-01",
      ...overrides,
    })
    .returning()
    .get();
}

/** Records every catalogue measure as in place for the application. */
export function measuresInPlace(db: Db, applicationId: number) {
  for (const m of db.select().from(securityMeasures).all()) {
    db.insert(applicationMeasures).values({ applicationId, measureId: m.id, status: "aanwezig" }).run();
  }
}
