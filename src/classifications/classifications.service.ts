import { and, eq } from "drizzle-orm";
import { recordChange, type Actor } from "../audit/audit.service";
import type { Db } from "../db/client";
import { applicationMeasures, applications, classifications, securityMeasures } from "../db/schema";
import { ConflictError, ValidationError } from "../http/errors";
import { t } from "../i18n";
import { todayIso } from "../lib/dates";
import { findOrThrow, updateVersioned } from "../lib/versioned";
import { confidentialityTooLow, proposeLevels } from "./classifications.questions";
import { currentClassification, impliedConfidentiality, measuresOf, type Classification } from "./classifications.repository";
import type { ClassificationInput, MeasuresInput } from "./classifications.schemas";

/**
 * Records a new classification; earlier ones stay as history. Refused with 409 when someone else classified
 * the application after this form was opened, and with 422 when the chosen confidentiality is below what the
 * data imply and the privacy officer did not explicitly confirm that.
 */
export function classifyApplication(db: Db, actor: Actor, applicationId: number, input: ClassificationInput, now = new Date()): Classification {
  return db.transaction((tx) => {
    const app = findOrThrow(tx, applications, applicationId);
    const latest = currentClassification(tx, applicationId);
    if ((latest?.id ?? 0) !== input.basedOn) throw new ConflictError(latest);
    if (input.assessedOn > todayIso(now)) throw new ValidationError({ assessedOn: [t("classifications.assessedInFuture")] });
    const implied = impliedConfidentiality(tx, applicationId);
    if (confidentialityTooLow(input.confidentiality, implied.level) && !input.acknowledgeLowConfidentiality) {
      throw new ValidationError({
        confidentiality: [t("classifications.tooLow", { level: t(`levels.${implied.level}`), categories: implied.because.join(", ") })],
      });
    }
    const answers = { downtime: input.downtime, errors: input.errors, leak: input.leak, special: input.special, scale: input.scale };
    const proposed = proposeLevels(answers as Parameters<typeof proposeLevels>[0], implied.level);
    const row = tx
      .insert(classifications)
      .values({
        applicationId,
        availability: input.availability,
        integrity: input.integrity,
        confidentiality: input.confidentiality,
        proposedAvailability: proposed.availability,
        proposedIntegrity: proposed.integrity,
        proposedConfidentiality: proposed.confidentiality,
        answers,
        rationale: input.rationale,
        reason: input.reason,
        assessedBy: actor.id,
        assessorName: actor.label.replace(/ <.*>$/, ""),
        assessedOn: input.assessedOn,
        nextReviewOn: input.nextReviewOn,
      })
      .returning()
      .get();
    recordChange(tx, {
      actor,
      action: "create",
      entityType: "classification",
      entityId: row.id,
      summary: `BIV-classificatie van ${app.name}: B ${row.availability}, I ${row.integrity}, V ${row.confidentiality}`,
      before: latest ? { ...latest } : null,
      after: { ...row },
    });
    return row;
  });
}

/** Records per measure whether it is in place; the application's version guards against concurrent edits. */
export function updateMeasures(db: Db, actor: Actor, applicationId: number, input: MeasuresInput, now = new Date()): void {
  db.transaction((tx) => {
    const app = findOrThrow(tx, applications, applicationId);
    const catalogue = new Set(tx.select({ id: securityMeasures.id }).from(securityMeasures).all().map((m) => m.id));
    const before = measuresOf(tx, applicationId, currentClassification(tx, applicationId))
      .filter((m) => m.status)
      .map((m) => `${m.code}: ${m.status}`);
    updateVersioned(tx, applications, { actor, entityType: "application", summary: `Maatregelen van ${app.name} bijgewerkt` }, applicationId, input.version, {});
    for (const [key, row] of Object.entries(input.rows)) {
      const measureId = Number(key);
      if (!catalogue.has(measureId)) throw new ValidationError({ _form: [t("validation.invalid")] });
      const where = and(eq(applicationMeasures.applicationId, applicationId), eq(applicationMeasures.measureId, measureId));
      const existing = tx.select().from(applicationMeasures).where(where).get();
      if (!row.status) {
        if (existing) tx.delete(applicationMeasures).where(where).run();
        continue;
      }
      const values = { status: row.status, note: row.note ?? null, checkedOn: todayIso(now), checkedBy: actor.id };
      if (existing && existing.status === values.status && existing.note === values.note) continue;
      tx.insert(applicationMeasures)
        .values({ applicationId, measureId, ...values })
        .onConflictDoUpdate({ target: [applicationMeasures.applicationId, applicationMeasures.measureId], set: { ...values, version: (existing?.version ?? 0) + 1 } })
        .run();
    }
    const after = measuresOf(tx, applicationId, currentClassification(tx, applicationId))
      .filter((m) => m.status)
      .map((m) => `${m.code}: ${m.status}`);
    recordChange(tx, { actor, action: "update", entityType: "application", entityId: applicationId, summary: `Maatregelen van ${app.name}`, before: { measures: before }, after: { measures: after } });
  });
}
