// The DPIA decision of an application: one record per application, created by its first save and then
// edited with optimistic locking. Change and audit entry ("dpia") land in one transaction.
import type { Actor } from "../audit/audit.service";
import type { Db } from "../db/client";
import { applications, dpias } from "../db/schema";
import { findPendingDocument } from "../documents/documents.repository";
import { ConflictError, ValidationError } from "../http/errors";
import { t } from "../i18n";
import { findOrThrow, insertAudited, updateVersioned } from "../lib/versioned";
import { findDpiaOfApplication, type Dpia } from "./dpias.repository";
import type { DpiaInput } from "./dpias.schemas";

const ENTITY = "dpia";

const toRow = (input: DpiaInput) => ({
  required: input.required,
  criteria: input.criteria,
  // The reasoning belongs to "not required"; kept only there, so an old reason never contradicts a new "ja".
  notRequiredReasoning: input.required === "nee" ? (input.notRequiredReasoning ?? null) : null,
  type: input.type ?? null,
  status: input.status,
  performedOn: input.performedOn ?? null,
  residualRisk: input.residualRisk ?? null,
  nextReviewOn: input.nextReviewOn ?? null,
});

export function saveDpia(db: Db, actor: Actor, applicationId: number, input: DpiaInput): Dpia {
  return db.transaction((tx) => {
    const app = findOrThrow(tx, applications, applicationId);
    const current = findDpiaOfApplication(tx, applicationId);
    const documentId = input.pendingDocumentId;
    // A pending document must be the user's own upload and not attached to anything yet.
    if (documentId !== undefined && documentId !== current?.documentId && (actor.id === null || !findPendingDocument(tx, documentId, actor.id))) {
      throw new ValidationError({ document: [t("documents.notUsable")] });
    }
    if (!current) {
      return insertAudited(
        tx,
        dpias,
        { actor, entityType: ENTITY, summary: () => `DPIA-besluit voor ${app.name} vastgelegd` },
        { applicationId, ...toRow(input), documentId: documentId ?? null },
      );
    }
    // Someone else made the first record while this form was open: show theirs beside this input.
    if (input.version === undefined) throw new ConflictError(current);
    return updateVersioned(
      tx,
      dpias,
      { actor, entityType: ENTITY, summary: `DPIA-besluit voor ${app.name} gewijzigd` },
      current.id,
      input.version,
      { ...toRow(input), documentId: documentId ?? current.documentId },
    ).after;
  });
}
