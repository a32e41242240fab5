// The intake of a new application (../shared/domain.md section 6): a school submits a request, the privacy
// officer takes it into review, asks for more information (the school answers), and approves it (it becomes an
// application with lifecycle "aangevraagd") or rejects it with reasons. Every step is one transaction with its
// audit entry, and names the version it was decided on: a decision on a stale page is a conflict.
import { actorOf, recordChange, type Actor } from "../audit/audit.service";
import { findDuplicateApplication } from "../applications/applications.repository";
import { createApplication } from "../applications/applications.service";
import type { Db, Tx } from "../db/client";
import type { INTAKE_STATUSES } from "../db/enums";
import { applicationData, dataCategories, dataSubjects, foraFunctions, intakeRequests, schools, suppliers } from "../db/schema";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../http/errors";
import type { CurrentUser } from "../http/policy";
import { labelOf, t } from "../i18n";
import { findOrThrow, insertAudited, updateVersioned } from "../lib/versioned";
import { findDuplicateSupplier } from "../suppliers/suppliers.repository";
import { createSupplier } from "../suppliers/suppliers.service";
import { dataOfRequest, insertMessage, insertRequestData, knownIds, OPEN_STATUSES, type IntakeRequest } from "./intake.repository";
import type { IntakeInput } from "./intake.schemas";

const ENTITY = "intake_request";
type IntakeStatus = (typeof INTAKE_STATUSES)[number];

/**
 * What the form sent must exist in the register: the school, the function, the supplier, the categories and
 * subjects. A school user requests for its own schools only; another school is unknown to them, the same
 * answer as for a school that does not exist. The privacy officer and admin may file for any school.
 */
function assertKnown(tx: Tx, user: CurrentUser, input: IntakeInput): void {
  const errors: Record<string, string[]> = {};
  const ownSchool = user.role !== "school" || user.schoolIds.includes(input.schoolId);
  if (!ownSchool || !knownIds(tx, schools, [input.schoolId]).has(input.schoolId)) errors.schoolId = [t("intake.schoolUnknown")];
  if (!knownIds(tx, foraFunctions, [input.foraFunctionId]).has(input.foraFunctionId)) errors.foraFunctionId = [t("intake.functionUnknown")];
  if (input.supplierId !== undefined && !knownIds(tx, suppliers, [input.supplierId]).has(input.supplierId)) errors.supplierId = [t("intake.supplierUnknown")];
  const categoryIds = Object.keys(input.rows).map(Number);
  const subjectIds = [...new Set(Object.values(input.rows).flatMap((r) => r.subjects))];
  const categories = knownIds(tx, dataCategories, categoryIds);
  const subjects = knownIds(tx, dataSubjects, subjectIds);
  if (categoryIds.some((id) => !categories.has(id)) || subjectIds.some((id) => !subjects.has(id))) errors.data = [t("intake.dataUnknown")];
  if (Object.keys(errors).length) throw new ValidationError(errors);
}

export function submitIntakeRequest(db: Db, user: CurrentUser, actor: Actor, input: IntakeInput): IntakeRequest {
  return db.transaction((tx) => {
    assertKnown(tx, user, input);
    // A typed name that is already in the register is that supplier: no second one on approval.
    const known = input.supplierName ? findDuplicateSupplier(tx, { name: input.supplierName }).byName : undefined;
    const request = insertAudited(
      tx,
      intakeRequests,
      { actor, entityType: ENTITY, summary: (r) => `Aanvraag voor ${r.applicationName} ingediend` },
      {
        schoolId: input.schoolId,
        requestedBy: actor.id,
        applicationName: input.applicationName,
        supplierId: input.supplierId ?? known?.id ?? null,
        supplierName: known ? null : (input.supplierName ?? null),
        supplierCovenantStatus: input.supplierCovenantStatus === "onbekend" ? null : input.supplierCovenantStatus,
        goal: input.goal,
        foraFunctionId: input.foraFunctionId,
        existingAlternatives: input.existingAlternatives,
        landscapeFit: input.landscapeFit,
        costOneTimeCents: input.costOneTimeCents ?? null,
        costLicencePerYearCents: input.costLicencePerYearCents ?? null,
        costImplementationCents: input.costImplementationCents ?? null,
      },
    );
    insertRequestData(
      tx,
      Object.entries(input.rows).flatMap(([categoryId, row]) =>
        [...new Set(row.subjects)].map((subjectId) => ({ requestId: request.id, dataCategoryId: Number(categoryId), dataSubjectId: subjectId, purpose: row.purpose ?? null })),
      ),
    );
    return request;
  });
}

/**
 * The request as the decision found it: the version must be the one the page showed (else 409 with the newer
 * request), and the status must allow the step (else a message: someone decided otherwise in between).
 */
function current(tx: Tx, id: number, version: number, allowed: readonly IntakeStatus[]): IntakeRequest {
  const request = findOrThrow(tx, intakeRequests, id);
  if (request.version !== version) throw new ConflictError(request);
  if (!allowed.includes(request.status)) {
    throw new ValidationError({ _form: [t("intake.notAllowedNow", { status: labelOf("intake.statuses", request.status) })] });
  }
  return request;
}

function moveTo(tx: Tx, actor: Actor, request: IntakeRequest, status: IntakeStatus, summary: string, values: Partial<typeof intakeRequests.$inferInsert> = {}) {
  return updateVersioned(tx, intakeRequests, { actor, entityType: ENTITY, summary }, request.id, request.version, { status, ...values }).after;
}

export function startReview(db: Db, actor: Actor, id: number, version: number): IntakeRequest {
  return db.transaction((tx) => {
    const request = current(tx, id, version, ["ingediend"]);
    return moveTo(tx, actor, request, "in_beoordeling", `Aanvraag voor ${request.applicationName} in beoordeling genomen`);
  });
}

/** The message as the conversation shows it: by name (the audit log keeps name and e-mail). */
const message = (tx: Tx, requestId: number, user: CurrentUser, body: string) => insertMessage(tx, { requestId, userId: user.id, actor: user.name, body, at: new Date() });

export function askForInformation(db: Db, user: CurrentUser, id: number, version: number, question: string): IntakeRequest {
  const actor = actorOf(user);
  return db.transaction((tx) => {
    const request = current(tx, id, version, ["ingediend", "in_beoordeling"]);
    message(tx, id, user, question);
    return moveTo(tx, actor, request, "aanvulling_gevraagd", `Aanvulling gevraagd op de aanvraag voor ${request.applicationName}: ${question.slice(0, 200)}`);
  });
}

/** The school's answer to a question: only a user of the requesting school, and the request goes back into review. */
export function answerQuestion(db: Db, user: CurrentUser, id: number, version: number, answer: string): IntakeRequest {
  const actor = actorOf(user);
  return db.transaction((tx) => {
    const found = findOrThrow(tx, intakeRequests, id);
    if (user.role !== "school") throw new ForbiddenError();
    if (!user.schoolIds.includes(found.schoolId)) throw new NotFoundError();
    const request = current(tx, id, version, ["aanvulling_gevraagd"]);
    message(tx, id, user, answer);
    return moveTo(tx, actor, request, "in_beoordeling", `Aanvulling gestuurd op de aanvraag voor ${request.applicationName}: ${answer.slice(0, 200)}`);
  });
}

export function rejectRequest(db: Db, actor: Actor, id: number, version: number, reason: string): IntakeRequest {
  return db.transaction((tx) => {
    const request = current(tx, id, version, OPEN_STATUSES);
    return moveTo(tx, actor, request, "afgewezen", `Aanvraag voor ${request.applicationName} afgewezen`, {
      decisionReason: reason,
      decidedBy: actor.id,
      decidedAt: new Date(),
    });
  });
}

/**
 * Approval puts the application in the register as the request describes it: lifecycle "aangevraagd", its
 * data, costs, FORA function, the requesting school, and the supplier (the chosen one, or a new supplier
 * from the typed name). The register's own create functions do that (with their checks and audit entries);
 * they open their own transaction, which inside this one becomes a savepoint (better-sqlite3 nests them), so
 * the application, the supplier and the decision land together or not at all.
 */
export function approveRequest(db: Db, actor: Actor, id: number, version: number, note: string | undefined): IntakeRequest {
  return db.transaction((tx) => {
    const request = current(tx, id, version, OPEN_STATUSES);
    const supplierId = request.supplierId ?? supplierFromName(db, tx, actor, request);
    const duplicate = findDuplicateApplication(tx, request.applicationName, supplierId);
    if (duplicate) {
      throw new ValidationError({ _form: [t("intake.duplicateApplication", { name: duplicate.name, supplier: supplierNameOf(tx, supplierId) })] });
    }
    const data = dataOfRequest(tx, id);
    const subjectCodes = new Set(data.map((d) => d.subjectCode));
    const application = onTheForm(() => createApplication(db, actor, {
      name: request.applicationName,
      supplierId,
      description: undefined,
      goal: request.goal,
      lifecycle: "aangevraagd",
      functionalOwner: undefined,
      usedByPupils: subjectCodes.has("pupils"),
      usedByStaff: subjectCodes.has("staff"),
      usedByParents: subjectCodes.has("parents"),
      processesPersonalData: data.length > 0,
      dataLocationCountry: undefined,
      dataInEea: "onbekend",
      transferMechanism: undefined,
      costOneTimeCents: request.costOneTimeCents ?? undefined,
      costLicencePerYearCents: request.costLicencePerYearCents ?? undefined,
      costImplementationCents: request.costImplementationCents ?? undefined,
      functionIds: request.foraFunctionId ? [request.foraFunctionId] : [],
      schoolIds: [request.schoolId],
    }));
    if (data.length) {
      tx.insert(applicationData)
        .values(data.map((d) => ({ applicationId: application.id, dataCategoryId: d.categoryId, dataSubjectId: d.subjectId, purpose: d.purpose })))
        .run();
      recordChange(tx, {
        actor,
        action: "update",
        entityType: "application",
        entityId: application.id,
        summary: `Verwerkte persoonsgegevens van ${application.name} overgenomen uit aanvraag ${id}: ${data.length} regel(s)`,
        before: { data: [] },
        after: { data: data.map((d) => `${d.categoryId}:${d.subjectId}${d.purpose ? ` (${d.purpose})` : ""}`) },
      });
    }
    return moveTo(tx, actor, request, "goedgekeurd", `Aanvraag voor ${request.applicationName} goedgekeurd; applicatie ${application.name} aangemaakt`, {
      decisionReason: note ?? null,
      decidedBy: actor.id,
      decidedAt: new Date(),
      applicationId: application.id,
      supplierId,
    });
  });
}

function supplierNameOf(tx: Tx, id: number): string {
  return findOrThrow(tx, suppliers, id).name;
}

/** The supplier the school typed: the one in the register by that name (someone may have added it since), or a new one. */
function supplierFromName(db: Db, tx: Tx, actor: Actor, request: IntakeRequest): number {
  const name = request.supplierName ?? "";
  if (!name) throw new ValidationError({ _form: [t("intake.supplierRequired")] });
  const existing = findDuplicateSupplier(tx, { name }).byName;
  if (existing) return existing.id;
  return onTheForm(() => createSupplier(db, actor, {
    name,
    kvk: undefined,
    website: undefined,
    privacyContactName: undefined,
    privacyContactEmail: undefined,
    covenantStatus: request.supplierCovenantStatus ?? "geen",
    certIso27001: false,
    certNen7510: false,
    certRosa: false,
    notes: t("intake.createdSupplierNote", { id: request.id, name: request.applicationName }),
  })).id;
}

/** A rule of the supplier or application refused the approval: its message goes above the decision form, which has none of their fields. */
function onTheForm<R>(create: () => R): R {
  try {
    return create();
  } catch (err) {
    if (err instanceof ValidationError) throw new ValidationError({ _form: Object.values(err.fieldErrors).flat() });
    throw err;
  }
}
