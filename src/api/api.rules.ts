// The register's rules that depend on other records, checked before a feature's service runs so that a refusal
// names the API's field and the ids at fault ("functionIds noemt onbekende ids: 999"), where the services, written
// for the forms, say "kies een leverancier". The services check the same again inside their transaction.
import { applicationsWithSupplier, findAgreementById, missingIds, successorOf } from "../agreements/agreements.repository";
import { findApplicationById, findDuplicateApplication } from "../applications/applications.repository";
import { impliedConfidentiality } from "../classifications/classifications.repository";
import type { DbOrTx } from "../db/client";
import { applications, dataCategories, dataSubjects } from "../db/schema";
import { t } from "../i18n";
import { ApiError } from "./api.errors";
import { findSupplier, missingForaFunctionIds, missingSchoolIds } from "./api.repository";
import type { AgreementBody, ApplicationBody } from "./api.schemas";

type Fields = Record<string, string>;

function refuseIfAny(fields: Fields): void {
  if (Object.keys(fields).length) throw new ApiError(422, t("api.errors.rules"), fields);
}

function unknownIds(fields: Fields, field: string, missing: readonly number[]): void {
  if (missing.length) fields[field] = t("api.rules.unknownIds", { field, ids: missing.join(", ") });
}

const unknownId = (field: string, record: "supplier" | "application" | "agreement", id: number) =>
  t("api.rules.unknownId", { field, record: t(`api.rules.record.${record}`), id });

/** The supplier, a name it does not already have for another application, FORA functions and schools that exist. */
export function assertApplicationReferences(db: DbOrTx, body: ApplicationBody, exceptId?: number): void {
  const fields: Fields = {};
  const supplier = findSupplier(db, body.supplierId);
  if (!supplier) fields.supplierId = unknownId("supplierId", "supplier", body.supplierId);
  // The form trims the name before it is compared and stored; so does this check.
  else if (findDuplicateApplication(db, body.name.trim(), body.supplierId, exceptId)) fields.name = t("api.rules.duplicateName", { supplier: supplier.name });
  const functions = missingForaFunctionIds(db, body.functionIds ?? []);
  if (functions.length) fields.functionIds = t("api.errors.unknownFunctionIds", { ids: functions.join(", ") });
  unknownIds(fields, "schoolIds", missingSchoolIds(db, body.schoolIds ?? []));
  refuseIfAny(fields);
}

/** The supplier, the covered applications, categories and subjects exist; a superseded agreement exists and has no newer version yet. */
export function assertAgreementReferences(db: DbOrTx, body: AgreementBody): void {
  const fields: Fields = {};
  if (!findSupplier(db, body.supplierId)) fields.supplierId = unknownId("supplierId", "supplier", body.supplierId);
  unknownIds(fields, "applicationIds", missingIds(db, applications, [...new Set(body.applicationIds ?? [])]));
  unknownIds(fields, "dataCategoryIds", missingIds(db, dataCategories, [...new Set(body.dataCategoryIds ?? [])]));
  unknownIds(fields, "dataSubjectIds", missingIds(db, dataSubjects, [...new Set(body.dataSubjectIds ?? [])]));
  resellerReasonsOf(db, body, fields);
  if (body.supersedesId) {
    const successor = successorOf(db, body.supersedesId);
    if (!findAgreementById(db, body.supersedesId)) fields.supersedesId = unknownId("supersedesId", "agreement", body.supersedesId);
    else if (successor) fields.supersedesId = t("api.rules.alreadySuperseded", { reference: successor.reference });
  }
  refuseIfAny(fields);
}

/**
 * An application of another supplier is covered only with a reason (a reseller); a reason is given only for such
 * an application. Each refusal is at resellerReasons.<application id>.
 */
function resellerReasonsOf(db: DbOrTx, body: AgreementBody, fields: Fields): void {
  const reasons = body.resellerReasons ?? {};
  const covered = new Map(applicationsWithSupplier(db, [...new Set(body.applicationIds ?? [])]).map((app) => [String(app.id), app]));
  for (const [id, app] of covered) {
    if (app.supplierId !== body.supplierId && reasons[id] === undefined) {
      fields[`resellerReasons.${id}`] = t("api.rules.resellerReasonRequired", { id, application: app.name, supplier: app.supplierName });
    }
  }
  for (const id of Object.keys(reasons)) {
    const app = covered.get(id);
    if (!app) fields[`resellerReasons.${id}`] = t("api.rules.resellerReasonNotCovered", { id });
    else if (app.supplierId === body.supplierId) fields[`resellerReasons.${id}`] = t("api.rules.resellerReasonOwnSupplier", { id, application: app.name });
  }
}

export function assertApplicationExists(db: DbOrTx, field: string, id: number): void {
  if (!findApplicationById(db, id)) {
    throw new ApiError(422, t("api.errors.rules"), { [field]: unknownId(field, "application", id) });
  }
}

/** The service's refusal of a too low confidentiality, in the API's words. */
export function confidentialityTooLow(db: DbOrTx, applicationId: number): ApiError {
  const implied = impliedConfidentiality(db, applicationId);
  return new ApiError(422, t("api.errors.rules"), {
    confidentiality: t("api.rules.confidentialityTooLow", { level: implied.level, categories: implied.because.join(", ") }),
  });
}
