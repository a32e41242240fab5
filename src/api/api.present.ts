// The JSON shapes of the API (described in openapi.ts): camelCase fields, dates as YYYY-MM-DD, moments as ISO
// 8601 in UTC, money in euro cents, every editable record with its `version` for optimistic locking.
import type { Finding, Status } from "../compliance/rules";
import { describeFindings, statusLabel } from "../compliance/compliance.service";
import type { agreements, applications, classifications, dataCategories, dataSubjects, foraDomains, foraFunctions, schools, suppliers } from "../db/schema";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentSchool(s: typeof schools.$inferSelect) {
  return {
    id: s.id,
    name: s.name,
    brin: s.brin,
    location: s.location === "" ? null : s.location,
    sector: s.sector,
    city: s.city,
    contactName: s.contactName,
    contactEmail: s.contactEmail,
    archived: s.archivedAt !== null,
    version: s.version,
  };
}

export function presentSupplier(s: typeof suppliers.$inferSelect) {
  return {
    id: s.id,
    name: s.name,
    kvk: s.kvk,
    website: s.website,
    privacyContactName: s.privacyContactName,
    privacyContactEmail: s.privacyContactEmail,
    covenantStatus: s.covenantStatus,
    certIso27001: s.certIso27001,
    certNen7510: s.certNen7510,
    certRosa: s.certRosa,
    notes: s.notes,
    archived: s.archivedAt !== null,
    version: s.version,
  };
}

export function presentApplication(a: typeof applications.$inferSelect, supplierName: string, status: Status) {
  return {
    id: a.id,
    name: a.name,
    supplier: { id: a.supplierId, name: supplierName },
    description: a.description,
    goal: a.goal,
    lifecycle: a.lifecycle,
    functionalOwner: a.functionalOwner,
    usedByPupils: a.usedByPupils,
    usedByStaff: a.usedByStaff,
    usedByParents: a.usedByParents,
    processesPersonalData: a.processesPersonalData,
    dataLocationCountry: a.dataLocationCountry,
    dataInEea: a.dataInEea,
    transferMechanism: a.transferMechanism,
    costOneTimeCents: a.costOneTimeCents,
    costLicencePerYearCents: a.costLicencePerYearCents,
    costImplementationCents: a.costImplementationCents,
    archived: a.archivedAt !== null,
    status,
    updatedAt: iso(a.updatedAt),
    version: a.version,
  };
}

export function presentFindings(findings: Finding[]) {
  return describeFindings(findings).map((f) => ({ rule: f.rule, severity: f.severity, text: f.text, advice: f.advice, fix: f.fix }));
}

export function presentStatus(applicationId: number, name: string, status: Status, findings: Finding[]) {
  return { applicationId, name, status, statusLabel: statusLabel(status), findings: presentFindings(findings) };
}

export function presentClassification(c: typeof classifications.$inferSelect) {
  return {
    id: c.id,
    applicationId: c.applicationId,
    availability: c.availability,
    integrity: c.integrity,
    confidentiality: c.confidentiality,
    proposedAvailability: c.proposedAvailability,
    proposedIntegrity: c.proposedIntegrity,
    proposedConfidentiality: c.proposedConfidentiality,
    answers: c.answers ?? {},
    rationale: c.rationale,
    reason: c.reason,
    assessorName: c.assessorName,
    assessedOn: c.assessedOn,
    nextReviewOn: c.nextReviewOn,
    createdAt: iso(c.createdAt),
  };
}

export function presentAgreement(
  row: {
    agreement: typeof agreements.$inferSelect;
    supplierName: string;
    documentSha256: string | null;
    applicationIds: number[];
    resellerReasons: Record<string, string>;
    dataCategoryIds: number[];
    dataSubjectIds: number[];
    subProcessors: { name: string; service: string | null; country: string | null; inEea: boolean }[];
  },
  visibleApplications?: Set<number>,
) {
  const a = row.agreement;
  return {
    id: a.id,
    reference: a.reference,
    supplier: { id: a.supplierId, name: row.supplierName },
    model: a.model,
    status: a.status,
    signedOn: a.signedOn,
    startsOn: a.startsOn,
    endsOn: a.endsOn,
    nextReviewOn: a.nextReviewOn,
    signatoryName: a.signatoryName,
    signatoryRole: a.signatoryRole,
    signedViaPortal: a.signedViaPortal,
    deviations: a.deviations,
    deviationsMotivation: a.deviationsMotivation,
    annexVersion: a.annexVersion,
    annexDate: a.annexDate,
    breachNotificationHours: a.breachNotificationHours,
    deletionTermDays: a.deletionTermDays,
    sivonReviewUrl: a.sivonReviewUrl,
    sivonRiskLevel: a.sivonRiskLevel,
    notes: a.notes,
    supersedesId: a.supersedesId,
    documentSha256: row.documentSha256,
    // A school user sees only the covered applications of its own schools, as in the browser.
    applicationIds: visibleApplications ? row.applicationIds.filter((id) => visibleApplications.has(id)) : row.applicationIds,
    resellerReasons: visibleApplications
      ? Object.fromEntries(Object.entries(row.resellerReasons).filter(([id]) => visibleApplications.has(Number(id))))
      : row.resellerReasons,
    dataCategoryIds: row.dataCategoryIds,
    dataSubjectIds: row.dataSubjectIds,
    subProcessors: row.subProcessors,
    version: a.version,
  };
}

export function presentCategory(c: typeof dataCategories.$inferSelect) {
  return {
    id: c.id,
    code: c.code,
    label: c.label,
    description: c.description,
    flag: c.flag,
    minConfidentiality: c.minConfidentiality,
    isCustom: c.isCustom,
    archived: c.archivedAt !== null,
  };
}

export function presentSubject(s: typeof dataSubjects.$inferSelect) {
  return { id: s.id, code: s.code, label: s.label, vulnerable: s.vulnerable, archived: s.archivedAt !== null };
}

export function presentForaFunction(f: typeof foraFunctions.$inferSelect, d: typeof foraDomains.$inferSelect) {
  return { id: f.id, code: f.code, name: f.name, description: f.description, domain: { id: d.id, code: d.code, name: d.name }, archived: f.archivedAt !== null };
}
