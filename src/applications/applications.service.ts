import { and, eq, inArray } from "drizzle-orm";
import { recordChange, type Actor } from "../audit/audit.service";
import type { Db, DbOrTx } from "../db/client";
import { applicationData, applicationFunctions, applications, applicationSchools, schools, suppliers } from "../db/schema";
import { ValidationError } from "../http/errors";
import { t } from "../i18n";
import { deleteAudited, findOrThrow, insertAudited, updateVersioned } from "../lib/versioned";
import { dataOf, findDuplicateApplication, functionIdsOf, referencesToApplication, schoolUsesOf, type Application } from "./applications.repository";
import type { ApplicationDataInput, ApplicationInput, ApplicationSchoolsInput } from "./applications.schemas";

const ENTITY = "application";

function assertValid(tx: DbOrTx, input: ApplicationInput, exceptId?: number): void {
  const errors: Record<string, string[]> = {};
  const supplier = tx.select().from(suppliers).where(eq(suppliers.id, input.supplierId)).get();
  if (!supplier) errors.supplierId = [t("applications.chooseSupplier")];
  else if (findDuplicateApplication(tx, input.name, input.supplierId, exceptId)) errors.name = [t("applications.duplicate", { supplier: supplier.name })];
  if (input.schoolIds.length) {
    const known = tx.select({ id: schools.id }).from(schools).where(inArray(schools.id, input.schoolIds)).all();
    if (known.length !== new Set(input.schoolIds).size) errors.schoolIds = [t("validation.invalid")];
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
}

const toRow = (input: ApplicationInput) => ({
  name: input.name,
  supplierId: input.supplierId,
  description: input.description ?? null,
  goal: input.goal ?? null,
  lifecycle: input.lifecycle,
  functionalOwner: input.functionalOwner ?? null,
  usedByPupils: input.usedByPupils,
  usedByStaff: input.usedByStaff,
  usedByParents: input.usedByParents,
  processesPersonalData: input.processesPersonalData,
  dataLocationCountry: input.dataLocationCountry ?? null,
  dataInEea: input.dataInEea === "onbekend" ? null : input.dataInEea === "ja",
  transferMechanism: input.transferMechanism ?? null,
  costOneTimeCents: input.costOneTimeCents ?? null,
  costLicencePerYearCents: input.costLicencePerYearCents ?? null,
  costImplementationCents: input.costImplementationCents ?? null,
});

function replaceFunctions(tx: DbOrTx, applicationId: number, functionIds: number[]): void {
  tx.delete(applicationFunctions).where(eq(applicationFunctions.applicationId, applicationId)).run();
  const unique = [...new Set(functionIds)];
  if (unique.length) tx.insert(applicationFunctions).values(unique.map((functionId) => ({ applicationId, functionId }))).run();
}

export function createApplication(db: Db, actor: Actor, input: ApplicationInput): Application {
  return db.transaction((tx) => {
    assertValid(tx, input);
    const app = insertAudited(tx, applications, { actor, entityType: ENTITY, summary: (a) => `Applicatie ${a.name} aangemaakt` }, toRow(input));
    replaceFunctions(tx, app.id, input.functionIds);
    const schoolIds = [...new Set(input.schoolIds)];
    if (schoolIds.length) tx.insert(applicationSchools).values(schoolIds.map((schoolId) => ({ applicationId: app.id, schoolId }))).run();
    return app;
  });
}

export function updateApplication(db: Db, actor: Actor, id: number, input: ApplicationInput & { version: number }): Application {
  return db.transaction((tx) => {
    findOrThrow(tx, applications, id);
    assertValid(tx, input, id);
    const functionsBefore = functionIdsOf(tx, id);
    const { after } = updateVersioned(tx, applications, { actor, entityType: ENTITY, summary: `Applicatie ${input.name} gewijzigd` }, id, input.version, toRow(input));
    replaceFunctions(tx, id, input.functionIds);
    const functionsAfter = functionIdsOf(tx, id);
    if (functionsBefore.sort().join() !== functionsAfter.sort().join()) {
      recordChange(tx, {
        actor,
        action: "update",
        entityType: ENTITY,
        entityId: id,
        summary: `FORA-functies van ${after.name} gewijzigd`,
        before: { functionIds: functionsBefore },
        after: { functionIds: functionsAfter },
      });
    }
    return after;
  });
}

/** Replaces what data of whom the application processes; bumps its version so concurrent edits are caught. */
export function updateApplicationData(db: Db, actor: Actor, id: number, input: ApplicationDataInput): Application {
  return db.transaction((tx) => {
    const app = findOrThrow(tx, applications, id);
    const describe = (rows: ReturnType<typeof dataOf>) => rows.map((r) => `${r.categoryId}:${r.subjectId}${r.purpose ? ` (${r.purpose})` : ""}`).sort();
    const before = describe(dataOf(tx, id));
    const { after } = updateVersioned(tx, applications, { actor, entityType: ENTITY, summary: `Verwerkte gegevens van ${app.name} gewijzigd` }, id, input.version, {});
    tx.delete(applicationData).where(eq(applicationData.applicationId, id)).run();
    const rows = Object.entries(input.rows).flatMap(([categoryId, row]) =>
      [...new Set(row.subjects)].map((subjectId) => ({
        applicationId: id,
        dataCategoryId: Number(categoryId),
        dataSubjectId: subjectId,
        purpose: row.purpose ?? null,
        detail: row.detail ?? null,
      })),
    );
    if (rows.length) tx.insert(applicationData).values(rows).run();
    recordChange(tx, {
      actor,
      action: "update",
      entityType: ENTITY,
      entityId: id,
      summary: `Verwerkte persoonsgegevens van ${app.name}: ${rows.length} regel(s)`,
      before: { data: before },
      after: { data: describe(dataOf(tx, id)) },
    });
    return after;
  });
}

/** Sets which schools use the application, since and until when, with their local contact. */
export function updateApplicationSchools(db: Db, actor: Actor, id: number, input: ApplicationSchoolsInput): Application {
  return db.transaction((tx) => {
    const app = findOrThrow(tx, applications, id);
    const describe = () => schoolUsesOf(tx, id).map((s) => `${s.name}${s.since ? ` vanaf ${s.since}` : ""}${s.until ? ` tot ${s.until}` : ""}`);
    const before = describe();
    const { after } = updateVersioned(tx, applications, { actor, entityType: ENTITY, summary: `Scholen van ${app.name} gewijzigd` }, id, input.version, {});
    for (const [key, row] of Object.entries(input.rows)) {
      const schoolId = Number(key);
      const where = and(eq(applicationSchools.applicationId, id), eq(applicationSchools.schoolId, schoolId));
      if (!row.used) {
        tx.delete(applicationSchools).where(where).run();
        continue;
      }
      const values = { since: row.since ?? null, until: row.until ?? null, localContact: row.localContact ?? null };
      tx.insert(applicationSchools)
        .values({ applicationId: id, schoolId, ...values })
        .onConflictDoUpdate({ target: [applicationSchools.applicationId, applicationSchools.schoolId], set: values })
        .run();
    }
    recordChange(tx, { actor, action: "update", entityType: ENTITY, entityId: id, summary: `Scholen van ${app.name} gewijzigd`, before: { schools: before }, after: { schools: describe() } });
    return after;
  });
}

export function setApplicationArchived(db: Db, actor: Actor, id: number, version: number, archived: boolean): Application {
  return db.transaction((tx) => {
    const current = findOrThrow(tx, applications, id);
    return updateVersioned(
      tx,
      applications,
      { actor, entityType: ENTITY, action: archived ? "archive" : "restore", summary: `Applicatie ${current.name} ${archived ? "gearchiveerd" : "teruggezet"}` },
      id,
      version,
      { archivedAt: archived ? new Date() : null },
    ).after;
  });
}

/** Deletes an application with its own rows, refused while agreements, classifications, DPIAs, breaches or requests refer to it. */
export function deleteApplication(db: Db, actor: Actor, id: number, version: number): Application {
  return db.transaction((tx) => {
    const current = findOrThrow(tx, applications, id);
    const inUse = Object.entries(referencesToApplication(tx, id)).filter(([, n]) => n > 0);
    if (inUse.length) {
      const list = inUse.map(([kind, n]) => `${n} ${t(`applications.refs.${kind}`)}`).join(", ");
      throw new ValidationError({ _form: [t("applications.stillReferenced", { list })] });
    }
    return deleteAudited(tx, applications, { actor, entityType: ENTITY, summary: `Applicatie ${current.name} verwijderd` }, id, version);
  });
}
