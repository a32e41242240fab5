// The rules of processor agreements. Each save is one transaction: the version check, the agreement, its
// lists (applications, data categories, data subjects, sub-processors), the audit entry with the lists
// before and after, and, for a new version signed, the end of the version it replaces.
import { and, eq } from "drizzle-orm";
import { recordChange, type Actor } from "../audit/audit.service";
import type { Db, DbOrTx } from "../db/client";
import { agreements, applications, dataCategories, dataSubjects } from "../db/schema";
import { findPendingDocument } from "../documents/documents.repository";
import { ConflictError, ValidationError } from "../http/errors";
import { labels, t } from "../i18n";
import { findOrThrow, updateVersioned } from "../lib/versioned";
import {
  applicationsWithSupplier,
  findAgreementById,
  listsOfAgreement,
  missingIds,
  replaceAgreementLists,
  successorOf,
  supplierExists,
  type Agreement,
  type AgreementLists,
} from "./agreements.repository";
import type { AgreementCreateInput, AgreementInput, AgreementUpdateInput } from "./agreements.schemas";

const ENTITY = "agreement";

const toRow = (input: AgreementInput) => ({
  reference: input.reference,
  supplierId: input.supplierId,
  model: input.model,
  status: input.status,
  signedOn: input.signedOn ?? null,
  startsOn: input.startsOn ?? null,
  endsOn: input.endsOn ?? null,
  nextReviewOn: input.nextReviewOn ?? null,
  signatoryName: input.signatoryName ?? null,
  signatoryRole: input.signatoryRole ?? null,
  signedViaPortal: input.signedViaPortal,
  deviations: input.deviations ?? null,
  deviationsMotivation: input.deviationsMotivation ?? null,
  annexVersion: input.annexVersion ?? null,
  annexDate: input.annexDate ?? null,
  breachNotificationHours: input.breachNotificationHours ?? null,
  deletionTermDays: input.deletionTermDays ?? null,
  sivonReviewUrl: input.sivonReviewUrl ?? null,
  sivonRiskLevel: input.sivonRiskLevel ?? null,
  notes: input.notes ?? null,
});

const listsOf = (input: AgreementInput, resellerReasons: Record<string, string>): AgreementLists => ({
  applicationIds: input.applicationIds,
  dataCategoryIds: input.dataCategoryIds,
  dataSubjectIds: input.dataSubjectIds,
  subProcessors: input.subProcessors,
  resellerReasons,
});

/**
 * What the audit log keeps of an agreement: its row and its lists. The reseller reasons are kept as lines that
 * name the application ("StudyGo (Noordhoff): ..."), so the history reads without looking ids up.
 */
function snapshot(tx: DbOrTx, row: Agreement, lists: AgreementLists) {
  const apps = new Map(applicationsWithSupplier(tx, Object.keys(lists.resellerReasons).map(Number)).map((app) => [String(app.id), app]));
  const resellerReasons = Object.entries(lists.resellerReasons).map(([id, reason]) => {
    const app = apps.get(id);
    return `${app ? `${app.name} (${app.supplierName})` : `#${id}`}: ${reason}`;
  });
  return { ...row, ...lists, resellerReasons };
}

/**
 * An agreement with one supplier covers another supplier's application only with a reason written down (the
 * supplier resells it, "wederverkoper"): without that rule a name match or a stray tick turns an application
 * green on a contract its own supplier never signed. Returns the reasons to store: one per covered application of
 * another supplier, none for the supplier's own. Errors go into `errors`, at resellerReasons.<application id>.
 */
function resellerReasonsOf(tx: DbOrTx, input: AgreementInput, errors: Record<string, string[]>): Record<string, string> {
  const reasons: Record<string, string> = {};
  for (const app of applicationsWithSupplier(tx, input.applicationIds)) {
    if (app.supplierId === input.supplierId) continue;
    const reason = input.resellerReasons[String(app.id)];
    if (reason) reasons[String(app.id)] = reason;
    else errors[`resellerReasons.${app.id}`] = [t("agreements.resellerReasonRequired", { application: app.name, supplier: app.supplierName })];
  }
  return reasons;
}

/**
 * Everything the form names must exist; a pending document must be the user's own and unattached
 * (the agreement's current document is of course fine); another supplier's application needs a reason.
 * Returns the lists to store.
 */
function checkedLists(tx: DbOrTx, actor: Actor, input: AgreementInput, current?: Agreement): AgreementLists {
  const errors: Record<string, string[]> = {};
  if (!supplierExists(tx, input.supplierId)) errors.supplierId = [t("agreements.chooseSupplier")];
  if (missingIds(tx, applications, input.applicationIds).length) errors.applicationIds = [t("agreements.unknownChoice")];
  if (missingIds(tx, dataCategories, input.dataCategoryIds).length) errors.dataCategoryIds = [t("agreements.unknownChoice")];
  if (missingIds(tx, dataSubjects, input.dataSubjectIds).length) errors.dataSubjectIds = [t("agreements.unknownChoice")];
  const documentId = input.pendingDocumentId;
  if (documentId !== undefined && documentId !== current?.documentId && (actor.id === null || !findPendingDocument(tx, documentId, actor.id))) {
    errors.document = [t("documents.notUsable")];
  }
  const resellerReasons = errors.supplierId ? {} : resellerReasonsOf(tx, input, errors);
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return listsOf(input, resellerReasons);
}

/** A signed new version ends the signed version it replaces, with that agreement's own audit entry. */
function endSupersededAgreement(tx: DbOrTx, actor: Actor, saved: Agreement): void {
  if (saved.status !== "ondertekend" || saved.supersedesId === null) return;
  const previous = findAgreementById(tx, saved.supersedesId);
  if (!previous || previous.status !== "ondertekend") return;
  updateVersioned(
    tx,
    agreements,
    { actor, entityType: ENTITY, summary: `Verwerkersovereenkomst ${previous.reference} beëindigd: vervangen door ${saved.reference}` },
    previous.id,
    previous.version,
    { status: "beeindigd" },
  );
}

export function createAgreement(db: Db, actor: Actor, input: AgreementCreateInput): Agreement {
  return db.transaction((tx) => {
    const lists = checkedLists(tx, actor, input);
    const previous = input.supersedesId ? findAgreementById(tx, input.supersedesId) : undefined;
    if (input.supersedesId) {
      if (!previous) throw new ValidationError({ _form: [t("agreements.supersededMissing")] });
      const successor = successorOf(tx, previous.id);
      if (successor) throw new ValidationError({ _form: [t("agreements.alreadySuperseded", { reference: successor.reference })] });
    }
    const row = tx
      .insert(agreements)
      .values({ ...toRow(input), documentId: input.pendingDocumentId ?? null, supersedesId: previous?.id ?? null })
      .returning()
      .get();
    replaceAgreementLists(tx, row.id, lists);
    recordChange(tx, {
      actor,
      action: "create",
      entityType: ENTITY,
      entityId: row.id,
      summary: previous
        ? `Verwerkersovereenkomst ${row.reference} aangemaakt als nieuwe versie van ${previous.reference}`
        : `Verwerkersovereenkomst ${row.reference} aangemaakt`,
      after: snapshot(tx, row, lists),
    });
    endSupersededAgreement(tx, actor, row);
    return row;
  });
}

export function updateAgreement(db: Db, actor: Actor, id: number, input: AgreementUpdateInput): Agreement {
  return db.transaction((tx) => {
    const before = findOrThrow(tx, agreements, id);
    if (before.version !== input.version) throw new ConflictError(before);
    const lists = checkedLists(tx, actor, input, before);
    const listsBefore = listsOfAgreement(tx, id);
    const after = tx
      .update(agreements)
      .set({ ...toRow(input), documentId: input.pendingDocumentId ?? before.documentId, version: before.version + 1, updatedAt: new Date() })
      .where(and(eq(agreements.id, id), eq(agreements.version, input.version)))
      .returning()
      .get();
    if (!after) throw new ConflictError(findOrThrow(tx, agreements, id));
    replaceAgreementLists(tx, id, lists);
    recordChange(tx, {
      actor,
      action: "update",
      entityType: ENTITY,
      entityId: id,
      summary: `Verwerkersovereenkomst ${after.reference} gewijzigd`,
      before: snapshot(tx, before, listsBefore),
      after: snapshot(tx, after, lists),
    });
    endSupersededAgreement(tx, actor, after);
    return after;
  });
}

/**
 * Why an agreement may not be deleted, or null. Only a concept without a successor can go: anything
 * offered, reviewed or signed is part of the record (its status says whether it still applies), and a
 * version that a newer one replaces is that one's history.
 */
export function deleteRefusal(db: DbOrTx, agreement: Agreement): string | null {
  if (agreement.status !== "concept") {
    return t("agreements.deleteOnlyConcept", { status: labels("agreementStatuses")[agreement.status] });
  }
  const successor = successorOf(db, agreement.id);
  if (successor) return t("agreements.deleteHasSuccessor", { reference: successor.reference });
  return null;
}

export function deleteAgreement(db: Db, actor: Actor, id: number, version: number): Agreement {
  return db.transaction((tx) => {
    const current = findOrThrow(tx, agreements, id);
    const refusal = deleteRefusal(tx, current);
    if (refusal) throw new ValidationError({ _form: [refusal] });
    if (current.version !== version) throw new ConflictError(current);
    const lists = listsOfAgreement(tx, id);
    // The lists go with it (ON DELETE CASCADE); the audit entry keeps them.
    tx.delete(agreements).where(eq(agreements.id, id)).run();
    recordChange(tx, {
      actor,
      action: "delete",
      entityType: ENTITY,
      entityId: id,
      summary: `Verwerkersovereenkomst ${current.reference} verwijderd`,
      before: snapshot(tx, current, lists),
    });
    return current;
  });
}
