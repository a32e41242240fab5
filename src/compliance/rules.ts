// The compliance rules of ../shared/domain.md section 4, as pure functions: given what the register knows
// about an application, the settings and a date, they return findings and one status. No database here:
// src/compliance/compliance.repository.ts gathers the facts for one or all applications in a few queries.
import { levelRank, type Level } from "../db/enums";
import { addDays, addMonths } from "../lib/dates";

export type Status = "red" | "orange" | "green" | "grey";
export type Severity = "red" | "orange";

export type RuleCode =
  | "no_agreement"
  | "agreement_expired"
  | "categories_not_covered"
  | "no_data_recorded"
  | "no_classification"
  | "special_data_without_dpia"
  | "outside_eea_without_mechanism"
  | "agreement_expiring"
  | "classification_overdue"
  | "agreement_review_overdue"
  | "classification_too_low"
  | "measures_missing"
  | "old_agreement_model"
  | "dpia_not_done"
  | "open_breach";

export type Finding = {
  rule: RuleCode;
  severity: Severity;
  /** Values for the Dutch text of the rule (src/i18n/nl/compliance.ts, findings.<rule>). */
  params: Record<string, string | number>;
  /** Where it is fixed: a path in the register. */
  fix: string;
};

export type AgreementFacts = {
  id: number;
  reference: string;
  status: string;
  model: string;
  signedOn: string | null;
  startsOn: string | null;
  endsOn: string | null;
  nextReviewOn: string | null;
  categoryIds: number[];
};

export type CategoryFacts = { id: number; label: string; flag: string | null; minConfidentiality: Level };

export type ApplicationFacts = {
  id: number;
  name: string;
  lifecycle: string;
  archived: boolean;
  processesPersonalData: boolean;
  dataInEea: boolean | null;
  transferMechanism: string | null;
  categories: CategoryFacts[];
  agreements: AgreementFacts[];
  classification: { availability: Level; integrity: Level; confidentiality: Level; assessedOn: string; nextReviewOn: string } | null;
  /** Required measures (for the current levels) that are not in place. */
  missingMeasures: number;
  dpiaRequired: "ja" | "nee" | "onbekend" | null;
  /** The stand of the DPIA itself (src/dpias); null without a DPIA record. */
  dpiaStatus: "niet_gestart" | "in_uitvoering" | "afgerond" | null;
  openBreaches: number;
};

export type RuleSettings = { agreementWarningDays: number; reviewIntervalMonths: number; oldestCurrentModel: string };

export type Evaluation = { status: Status; findings: Finding[] };

const NUMBERED_MODELS = ["1.0", "2.0", "3.0", "4.0"];

/** Signed, started (or no start date) and not ended on `today`. */
export function isCurrent(agreement: Pick<AgreementFacts, "status" | "startsOn" | "endsOn">, today: string): boolean {
  return (
    agreement.status === "ondertekend" &&
    (agreement.startsOn === null || agreement.startsOn <= today) &&
    (agreement.endsOn === null || agreement.endsOn >= today)
  );
}

/** The categories an application processes that no current agreement covers: the gap. */
export function uncoveredCategoryIds(processed: number[], agreements: Pick<AgreementFacts, "status" | "startsOn" | "endsOn" | "categoryIds">[], today: string): number[] {
  const covered = new Set(agreements.filter((a) => isCurrent(a, today)).flatMap((a) => a.categoryIds));
  return [...new Set(processed)].filter((id) => !covered.has(id));
}

/**
 * When a review is due: the next review date the privacy officer set, or, when none was set, the review
 * interval after the last review (or signing).
 */
function dueDate(next: string | null, last: string | null, months: number): string | null {
  return next ?? (last ? addMonths(last, months) : null);
}

export function evaluate(app: ApplicationFacts, settings: RuleSettings, today: string): Evaluation {
  if (!app.processesPersonalData || app.lifecycle === "uitgefaseerd" || app.archived) return { status: "grey", findings: [] };
  const findings: Finding[] = [];
  const page = `/applications/${app.id}`;
  const add = (rule: RuleCode, severity: Severity, fix: string, params: Record<string, string | number> = {}) =>
    findings.push({ rule, severity, fix: fix.startsWith("/agreements") ? fix : `${page}${fix}`, params });

  // --- Red: the agreement.
  const current = app.agreements.filter((a) => isCurrent(a, today));
  if (current.length === 0) {
    const expired = app.agreements
      .filter((a) => a.status === "verlopen" || (a.status === "ondertekend" && a.endsOn !== null && a.endsOn < today))
      .sort((a, b) => ((a.endsOn ?? "") < (b.endsOn ?? "") ? 1 : -1))[0];
    if (expired) add("agreement_expired", "red", `/agreements/${expired.id}`, { reference: expired.reference, date: expired.endsOn ?? "" });
    else add("no_agreement", "red", "#overeenkomsten");
  } else {
    const covered = new Set(current.flatMap((a) => a.categoryIds));
    const missing = app.categories.filter((c) => !covered.has(c.id));
    if (missing.length) add("categories_not_covered", "red", "#gegevens", { categories: missing.map((c) => c.label).join(", ") });
  }

  // An agreement that covers "everything the application processes" proves nothing while nothing is recorded.
  if (app.categories.length === 0) add("no_data_recorded", "red", "/data");

  // --- Red: classification, DPIA, transfers.
  const c = app.classification;
  if (!c) add("no_classification", "red", "/classification");
  const special = app.categories.filter((cat) => cat.flag === "bijzonder" || cat.flag === "nationaal_id");
  if (special.length && (app.dpiaRequired === null || app.dpiaRequired === "onbekend")) {
    add("special_data_without_dpia", "red", "#dpia", { categories: special.map((s) => s.label).join(", ") });
  }
  // AVG chapter V governs every transfer of personal data outside the EEA, whatever the confidentiality level.
  if (app.dataInEea === false && (app.transferMechanism === null || app.transferMechanism === "geen")) {
    add("outside_eea_without_mechanism", "red", "/edit");
  }

  // --- Orange.
  for (const a of current) {
    if (a.endsOn !== null && a.endsOn <= addDays(today, settings.agreementWarningDays)) {
      add("agreement_expiring", "orange", `/agreements/${a.id}`, { reference: a.reference, date: a.endsOn });
    }
    const due = dueDate(a.nextReviewOn, a.signedOn ?? a.startsOn, settings.reviewIntervalMonths);
    if (due !== null && due < today) add("agreement_review_overdue", "orange", `/agreements/${a.id}`, { reference: a.reference, date: due });
    if (NUMBERED_MODELS.includes(a.model) && NUMBERED_MODELS.indexOf(a.model) < NUMBERED_MODELS.indexOf(settings.oldestCurrentModel)) {
      add("old_agreement_model", "orange", `/agreements/${a.id}`, { reference: a.reference, model: a.model });
    }
  }
  if (c) {
    const due = dueDate(c.nextReviewOn, c.assessedOn, settings.reviewIntervalMonths)!;
    if (due < today) add("classification_overdue", "orange", "/classification", { date: due });
    const implied = app.categories.reduce<Level>((max, cat) => (levelRank(cat.minConfidentiality) > levelRank(max) ? cat.minConfidentiality : max), "laag");
    if (levelRank(c.confidentiality) < levelRank(implied)) {
      add("classification_too_low", "orange", "/classification", {
        chosen: c.confidentiality,
        implied,
        categories: app.categories.filter((cat) => cat.minConfidentiality === implied).map((cat) => cat.label).join(", "),
      });
    }
    if (app.missingMeasures > 0) add("measures_missing", "orange", "/measures", { count: app.missingMeasures });
  }
  // Decided that a DPIA is needed, but it has not been completed: processing goes on without it.
  if (app.dpiaRequired === "ja" && app.dpiaStatus !== "afgerond") add("dpia_not_done", "orange", "#dpia");
  if (app.openBreaches > 0) add("open_breach", "orange", "#datalekken", { count: app.openBreaches });

  const status: Status = findings.some((f) => f.severity === "red") ? "red" : findings.length ? "orange" : "green";
  return { status, findings };
}
