// The reports of ../shared/domain.md section 7, each built once as tables (src/reports/reports.model.ts) from
// which every format is written. A builder reads with a fixed number of queries, whatever the board's size.
import { describeChanges, RecordNames } from "../audit/audit.words";
import { findBoard } from "../board/board.repository";
import { evaluateApplications, findingText, statusLabel } from "../compliance/compliance.service";
import { isCurrent, uncoveredCategoryIds, type Evaluation, type Status } from "../compliance/rules";
import type { DbOrTx } from "../db/client";
import { levelRank, type Aspect, type Level } from "../db/enums";
import { labelOf, nl, t } from "../i18n";
import { amsterdamMidnight } from "../lib/amsterdam";
import { addDays } from "../lib/dates";
import { dutchOrder } from "../lib/format";
import type { Settings } from "../settings/settings.service";
import { BATCH_ROWS, col, yesNo, type Cell, type ReportContent, type ReportTable, type RowStream } from "./reports.model";
import {
  agreementCoverage,
  agreementLinks,
  agreementRows,
  applicationIdsOfSchools,
  applicationRows,
  auditBatch,
  breachRows,
  currentClassifications,
  dataLines,
  dpiaRows,
  measureCatalogue,
  newestAuditEntry,
  recordedMeasures,
  retentionRows,
  subProcessorRows,
  type ApplicationRow,
  type AuditRow,
} from "./reports.repository";

export const REPORT_KEYS = ["applications", "agreements", "biv", "register", "dpias", "breaches", "retention", "history"] as const;
export type ReportKey = (typeof REPORT_KEYS)[number];
export type FilterName = "school" | "status" | "days" | "period" | "type";

export type ReportFilters = {
  /** The schools the report is limited to; undefined means the whole board. */
  schoolIds?: number[];
  status?: Status;
  days?: number;
  /** A period as ISO dates, both inclusive. */
  from?: string;
  to?: string;
  /** A record type of the change history. */
  type?: string;
  /** The reader is a school user: nothing that tells about other schools, such as how many use an application. */
  forSchoolUser?: boolean;
};

export type BuildContext = { db: DbOrTx; referenceDate: string; filters: ReportFilters; settings: Settings };

export type ReportDefinition = {
  key: ReportKey;
  /** Reports about the whole board only: not offered to school users. */
  boardWide: boolean;
  filters: FilterName[];
  /**
   * Whether a reference date before today is allowed: only where the data keep their past (the change history
   * is append-only and dated). Other reports show the register as it is; their past is in the snapshots.
   */
  pastReferenceDate: boolean;
  build: (ctx: BuildContext) => ReportContent;
};

const tx = (key: string, params?: Record<string, string | number>) => t(`reports.${key}`, params);
const c = (key: string) => tx(`columns.${key}`);
const v = (key: string, params?: Record<string, string | number>) => tx(`values.${key}`, params);
const bool = (value: number | boolean | null | undefined) => yesNo(value === null || value === undefined ? null : Boolean(value), v("yes"), v("no"));
const label = (group: string, code: string | null | undefined): string | null => (code === null || code === undefined || code === "" ? null : labelOf(group, code));
const joined = (items: (string | null | undefined)[], separator = "; "): string | null => {
  const list = items.filter((x): x is string => typeof x === "string" && x !== "");
  return list.length ? list.join(separator) : null;
};
const unique = <T>(items: T[]): T[] => [...new Set(items)];
/** Adds to a map of lists. */
function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const LEVEL_FIELD: Record<Aspect, "availability" | "integrity" | "confidentiality"> = {
  beschikbaarheid: "availability",
  integriteit: "integrity",
  vertrouwelijkheid: "confidentiality",
};

/** The applications a report is about: not archived, and used by the filtered schools when there is a filter. */
function scopedApplications(ctx: BuildContext, options: { activeWithPersonalData: boolean }): ApplicationRow[] {
  const schoolApps = ctx.filters.schoolIds ? applicationIdsOfSchools(ctx.db, ctx.filters.schoolIds) : undefined;
  return applicationRows(ctx.db)
    .filter((a) => !a.archived && (!schoolApps || schoolApps.has(a.id)))
    .filter((a) => !options.activeWithPersonalData || (a.processesPersonalData === 1 && a.lifecycle !== "uitgefaseerd"))
    .sort((a, b) => dutchOrder(a.name, b.name) || a.id - b.id);
}

function evaluations(ctx: BuildContext): Map<number, Evaluation> {
  return new Map(evaluateApplications(ctx.db, { today: ctx.referenceDate, settings: ctx.settings }).map((e) => [e.facts.id, e.evaluation]));
}

const severityLabel = (severity: string) => labelOf("compliance.statusShort", severity);

// ---------------------------------------------------------------------------------------------
// Applications with status and findings

function buildApplications(ctx: BuildContext): ReportContent {
  const evaluated = evaluations(ctx);
  const apps = scopedApplications(ctx, { activeWithPersonalData: false })
    .map((app) => ({ app, evaluation: evaluated.get(app.id) ?? { status: "grey" as Status, findings: [] } }))
    .filter(({ evaluation }) => !ctx.filters.status || evaluation.status === ctx.filters.status);

  const counts: Record<Status, number> = { red: 0, orange: 0, green: 0, grey: 0 };
  for (const { evaluation } of apps) counts[evaluation.status] += 1;
  const summary: ReportTable = {
    title: tx("tables.summary"),
    sheet: tx("tables.summary"),
    columns: [col.text(c("status"), 24, 3), col.number(tx("tables.count"), 10, 1)],
    rows: (Object.keys(counts) as Status[]).map((s) => [statusLabel(s), counts[s]]),
    empty: tx("tables.empty"),
  };
  const main: ReportTable = {
    title: tx("tables.applications"),
    sheet: tx("tables.applications"),
    columns: [
      col.text(c("application"), 36, 5),
      col.text(c("supplier"), 28, 4),
      col.text(c("lifecycle"), 18, 2.4),
      col.text(c("personalData"), 10),
      ...(ctx.filters.forSchoolUser ? [] : [col.number(c("schools"), 10, 1.3)]),
      col.money(c("licence")),
      col.text(c("status"), 16, 2.2),
      col.number(c("red"), 10, 1.3),
      col.number(c("orange"), 10, 1.3),
      col.text(c("findings"), 80),
    ],
    rows: apps.map(({ app, evaluation }) => [
      app.name,
      app.supplierName,
      labelOf("lifecycles", app.lifecycle),
      bool(app.processesPersonalData),
      ...(ctx.filters.forSchoolUser ? [] : [app.schoolCount]),
      app.costLicencePerYearCents,
      statusLabel(evaluation.status),
      evaluation.findings.filter((f) => f.severity === "red").length,
      evaluation.findings.filter((f) => f.severity === "orange").length,
      joined(evaluation.findings.map(findingText), " | "),
    ]),
    empty: tx("tables.empty"),
  };
  const findingRows: Cell[][] = [];
  for (const severity of ["red", "orange"] as const) {
    for (const { app, evaluation } of apps) {
      for (const f of evaluation.findings) if (f.severity === severity) findingRows.push([app.name, app.supplierName, severityLabel(severity), findingText(f)]);
    }
  }
  const findings: ReportTable = {
    title: tx("tables.findings"),
    sheet: tx("tables.findings"),
    columns: [col.text(c("application"), 36, 3), col.text(c("supplier"), 28, 2.2), col.text(c("severity"), 10), col.text(c("finding"), 90, 7)],
    rows: findingRows,
    empty: tx("tables.emptyFindings"),
    pdfGroupBy: 2,
  };
  return { tables: [summary, main, findings], main: 1 };
}

// ---------------------------------------------------------------------------------------------
// Processor agreements and their exception lists

function buildAgreements(ctx: BuildContext): ReportContent {
  const today = ctx.referenceDate;
  const days = ctx.filters.days ?? ctx.settings.agreementWarningDays;
  const apps = scopedApplications(ctx, { activeWithPersonalData: false });
  const appById = new Map(apps.map((a) => [a.id, a]));
  const links = agreementLinks(ctx.db).filter((l) => appById.has(l.applicationId));
  const appsOf = new Map<number, ApplicationRow[]>();
  for (const l of links) push(appsOf, l.agreementId, appById.get(l.applicationId)!);
  const names = (agreementId: number) => joined((appsOf.get(agreementId) ?? []).map((a) => a.name).sort(dutchOrder), ", ");
  const subs = new Map<number, string[]>();
  for (const s of subProcessorRows(ctx.db)) push(subs, s.agreementId, s.country ? `${s.name} (${s.country})` : s.name);

  const all = agreementRows(ctx.db)
    .filter((a) => !ctx.filters.schoolIds || appsOf.has(a.id))
    .sort((a, b) => dutchOrder(a.supplierName, b.supplierName) || dutchOrder(a.reference, b.reference) || a.id - b.id);
  const current = all.filter((a) => isCurrent(a, today));

  const main: ReportTable = {
    title: tx("tables.agreements"),
    sheet: tx("tables.agreements"),
    columns: [
      col.text(c("reference"), 18, 2),
      col.text(c("supplier"), 28, 3),
      col.text(c("model"), 22, 2.4),
      col.text(c("agreementStatus"), 16, 1.8),
      col.date(c("signedOn")),
      col.date(c("startsOn"), 1.4),
      col.date(c("endsOn"), 1.4),
      col.date(c("nextReview")),
      col.text(c("current"), 10, 1.1),
      col.text(c("applications"), 40, 4),
      col.number(c("categoriesCovered"), 12),
      col.text(c("portal"), 12),
      col.number(c("breachHours"), 12),
      col.number(c("deletionDays"), 12),
      col.text(c("subProcessors"), 40),
    ],
    rows: all.map((a) => [
      a.reference,
      a.supplierName,
      labelOf("agreementModels", a.model),
      labelOf("agreementStatuses", a.status),
      a.signedOn,
      a.startsOn,
      a.endsOn,
      a.nextReviewOn,
      bool(isCurrent(a, today)),
      names(a.id),
      a.categoryCount,
      bool(a.signedViaPortal),
      a.breachNotificationHours,
      a.deletionTermDays,
      joined(subs.get(a.id) ?? [], ", "),
    ]),
    empty: tx("tables.empty"),
  };

  const evaluated = evaluations(ctx);
  const active = apps.filter((a) => a.processesPersonalData === 1 && a.lifecycle !== "uitgefaseerd");
  const withoutRows: Cell[][] = [];
  for (const app of active) {
    const finding = evaluated.get(app.id)?.findings.find((f) => f.rule === "no_agreement" || f.rule === "agreement_expired");
    if (finding) withoutRows.push([app.name, app.supplierName, labelOf("lifecycles", app.lifecycle), findingText(finding)]);
  }
  const without: ReportTable = {
    title: tx("tables.withoutAgreement"),
    sheet: tx("tables.withoutAgreementSheet"),
    columns: [col.text(c("application"), 36, 3), col.text(c("supplier"), 28, 2.5), col.text(c("lifecycle"), 18, 1.6), col.text(c("reason"), 80, 6)],
    rows: withoutRows,
    empty: tx("tables.emptyExceptions"),
  };

  const limit = addDays(today, days);
  const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
  const expiring: ReportTable = {
    title: tx("tables.expiring", { days }),
    sheet: tx("tables.expiringSheet", { days }).slice(0, 31),
    columns: [col.text(c("reference"), 18, 2), col.text(c("supplier"), 28, 3), col.date(c("endsOn"), 1.5), col.number(c("daysLeft"), 12, 1.3), col.text(c("applications"), 50, 5)],
    rows: current
      .filter((a) => a.endsOn !== null && a.endsOn <= limit)
      .sort((a, b) => (a.endsOn! < b.endsOn! ? -1 : a.endsOn! > b.endsOn! ? 1 : a.id - b.id))
      .map((a) => [a.reference, a.supplierName, a.endsOn, daysBetween(today, a.endsOn!), names(a.id)]),
    empty: tx("tables.emptyExceptions"),
  };

  const numbered = ["1.0", "2.0", "3.0", "4.0"];
  const oldest = numbered.indexOf(ctx.settings.oldestCurrentModel);
  const oldModels: ReportTable = {
    title: tx("tables.oldModels", { model: ctx.settings.oldestCurrentModel }),
    sheet: tx("tables.oldModelsSheet"),
    columns: [col.text(c("reference"), 18, 2), col.text(c("supplier"), 28, 3), col.text(c("model"), 22, 2), col.date(c("signedOn"), 1.5), col.text(c("applications"), 50, 5)],
    rows: current
      .filter((a) => numbered.includes(a.model) && numbered.indexOf(a.model) < oldest)
      .map((a) => [a.reference, a.supplierName, labelOf("agreementModels", a.model), a.signedOn, names(a.id)]),
    empty: tx("tables.emptyExceptions"),
  };

  // Categories processed that no current agreement of the application covers (the rule categories_not_covered:
  // only for applications that have a current agreement; the others are on the list without an agreement).
  const coverage = new Map<number, number[]>();
  for (const line of agreementCoverage(ctx.db)) push(coverage, line.agreementId, line.categoryId);
  const agreementsOfApp = new Map<number, typeof current>();
  const currentById = new Map(current.map((a) => [a.id, a]));
  for (const l of links) {
    const agreement = currentById.get(l.agreementId);
    if (agreement) push(agreementsOfApp, l.applicationId, agreement);
  }
  const processed = new Map<number, { id: number; label: string }[]>();
  for (const line of dataLines(ctx.db)) {
    const list = processed.get(line.applicationId) ?? [];
    if (!list.some((x) => x.id === line.categoryId)) list.push({ id: line.categoryId, label: line.category });
    processed.set(line.applicationId, list);
  }
  const uncoveredRows: Cell[][] = [];
  for (const app of active) {
    const own = agreementsOfApp.get(app.id);
    if (!own?.length) continue;
    const categories = processed.get(app.id) ?? [];
    const gaps = new Set(uncoveredCategoryIds(categories.map((x) => x.id), own.map((a) => ({ ...a, categoryIds: coverage.get(a.id) ?? [] })), today));
    const refs = joined(own.map((a) => a.reference).sort(dutchOrder), ", ");
    for (const category of categories) if (gaps.has(category.id)) uncoveredRows.push([app.name, app.supplierName, category.label, refs]);
  }
  const uncovered: ReportTable = {
    title: tx("tables.uncovered"),
    sheet: tx("tables.uncoveredSheet"),
    columns: [col.text(c("application"), 36, 3), col.text(c("supplier"), 28, 3), col.text(c("category"), 36, 3), col.text(c("currentAgreements"), 30, 2.5)],
    rows: uncoveredRows,
    empty: tx("tables.emptyExceptions"),
  };

  return { tables: [main, without, expiring, oldModels, uncovered], main: 0 };
}

// ---------------------------------------------------------------------------------------------
// BIV per application with required and present measures

type Levels = { availability: Level; integrity: Level; confidentiality: Level };

/** Per application: the catalogue measures its levels require, each with what is recorded. */
function requiredMeasures(ctx: BuildContext) {
  const catalogue = measureCatalogue(ctx.db);
  const recorded = new Map<number, Map<number, ReturnType<typeof recordedMeasures>[number]>>();
  for (const r of recordedMeasures(ctx.db)) {
    const own = recorded.get(r.applicationId) ?? new Map();
    own.set(r.measureId, r);
    recorded.set(r.applicationId, own);
  }
  return (applicationId: number, levels: Levels | undefined) =>
    levels === undefined
      ? []
      : catalogue
          .filter((m) => levelRank(m.level as Level) <= levelRank(levels[LEVEL_FIELD[m.aspect as Aspect]]))
          .map((m) => {
            const rec = recorded.get(applicationId)?.get(m.id);
            return { measure: m, recorded: rec, inPlace: rec?.status === "aanwezig" || rec?.status === "nvt" };
          });
}

function buildBiv(ctx: BuildContext): ReportContent {
  const apps = scopedApplications(ctx, { activeWithPersonalData: true });
  const evaluated = evaluations(ctx);
  const classification = new Map(currentClassifications(ctx.db).map((r) => [r.applicationId, r]));
  const measuresFor = requiredMeasures(ctx);
  const measureRows: Cell[][] = [];
  const rows = apps.map((app): Cell[] => {
    const cl = classification.get(app.id);
    const required = measuresFor(app.id, cl as Levels | undefined);
    const missing = required.filter((r) => !r.inPlace);
    for (const r of required) {
      measureRows.push([
        app.name,
        r.measure.code,
        r.measure.title,
        labelOf("aspects", r.measure.aspect),
        labelOf("levels", r.measure.level),
        labelOf("measureOwners", r.measure.owner),
        r.recorded ? labelOf("measureStatuses", r.recorded.status) : v("notRecorded"),
        r.recorded?.checkedOn ?? null,
        r.recorded?.note ?? null,
      ]);
    }
    return [
      app.name,
      app.supplierName,
      cl ? labelOf("levels", cl.availability) : v("notClassified"),
      cl ? labelOf("levels", cl.integrity) : null,
      cl ? labelOf("levels", cl.confidentiality) : null,
      cl?.assessedOn ?? null,
      cl?.assessorName ?? null,
      cl?.nextReviewOn ?? null,
      required.length,
      required.length - missing.length,
      missing.length,
      joined(missing.map((m) => `${m.measure.code} ${m.measure.title}`)),
      statusLabel(evaluated.get(app.id)?.status ?? "grey"),
    ];
  });
  const main: ReportTable = {
    title: tx("tables.biv"),
    sheet: tx("tables.bivSheet"),
    columns: [
      col.text(c("application"), 36, 4),
      col.text(c("supplier"), 28, 3),
      col.text(c("availability"), 16, 1.7),
      col.text(c("integrity"), 14, 1.5),
      col.text(c("confidentiality"), 16, 1.7),
      col.date(c("assessedOn"), 1.5),
      col.text(c("assessedBy"), 24),
      col.date(c("nextReview"), 1.5),
      col.number(c("required"), 12, 1.2),
      col.number(c("present"), 12, 1.2),
      col.number(c("missing"), 12, 1.2),
      col.text(c("missingList"), 60),
      col.text(c("status"), 16, 2),
    ],
    rows,
    empty: tx("tables.empty"),
  };
  const measures: ReportTable = {
    title: tx("tables.measures"),
    sheet: tx("tables.measuresSheet"),
    columns: [
      col.text(c("application"), 36),
      col.text(c("code"), 14),
      col.text(c("measure"), 40),
      col.text(c("aspect"), 18),
      col.text(c("level"), 10),
      col.text(c("owner"), 20),
      col.text(c("measureStatus"), 18),
      col.date(c("checkedOn")),
      col.text(c("note"), 40),
    ],
    rows: measureRows,
    empty: tx("tables.empty"),
  };
  return { tables: [main, measures], main: 0 };
}

// ---------------------------------------------------------------------------------------------
// The register of processing activities (AVG art. 30)

function buildRegister(ctx: BuildContext): ReportContent {
  const board = findBoard(ctx.db);
  const controllerFields = ["name", "kvk", "address", "email", "dpoName", "dpoEmail", "dpoPhone", "privacyOfficerName"] as const;
  const controller: ReportTable = {
    title: tx("tables.controller"),
    sheet: tx("tables.controller"),
    columns: [col.text(c("item"), 40, 2), col.text(c("value"), 60, 4)],
    rows: controllerFields.map((f) => [tx(`controller.${f}`), board?.[f] ?? null]),
    empty: tx("tables.empty"),
  };

  const today = ctx.referenceDate;
  const apps = scopedApplications(ctx, { activeWithPersonalData: true });
  const lines = new Map<number, ReturnType<typeof dataLines>>();
  for (const line of dataLines(ctx.db)) push(lines, line.applicationId, line);
  const agreementsById = new Map(agreementRows(ctx.db).map((a) => [a.id, a]));
  const currentOf = new Map<number, number[]>();
  for (const l of agreementLinks(ctx.db)) {
    const a = agreementsById.get(l.agreementId);
    if (a && isCurrent(a, today)) push(currentOf, l.applicationId, a.id);
  }
  const subs = new Map<number, ReturnType<typeof subProcessorRows>>();
  for (const s of subProcessorRows(ctx.db)) push(subs, s.agreementId, s);
  const retention = retentionRows(ctx.db);
  const classification = new Map(currentClassifications(ctx.db).map((r) => [r.applicationId, r]));
  const measuresFor = requiredMeasures(ctx);
  const presentByApp = new Map<number, string[]>();
  const catalogue = new Map(measureCatalogue(ctx.db).map((m) => [m.id, m]));
  for (const r of recordedMeasures(ctx.db)) {
    const m = catalogue.get(r.measureId);
    if (m && r.status === "aanwezig") push(presentByApp, r.applicationId, m.title);
  }
  const dpias = new Map(dpiaRows(ctx.db).map((d) => [d.applicationId, d]));

  const rows = apps.map((app): Cell[] => {
    const own = lines.get(app.id) ?? [];
    const categories = unique(own.map((l) => l.category));
    const categoryIds = new Set(own.map((l) => l.categoryId));
    const current = (currentOf.get(app.id) ?? []).map((id) => agreementsById.get(id)!).sort((a, b) => dutchOrder(a.reference, b.reference));
    const subProcessors = current.flatMap((a) => subs.get(a.id) ?? []);
    const uniqueSubs = [...new Map(subProcessors.map((s) => [`${s.name}|${s.country ?? ""}`, s])).values()];
    const transfers: string[] = [];
    if (app.dataInEea === 1) transfers.push(v("insideEea"));
    else if (app.dataInEea === 0) {
      const country = app.dataLocationCountry ?? v("unknown");
      transfers.push(
        app.transferMechanism && app.transferMechanism !== "geen"
          ? v("outsideEea", { country, mechanism: labelOf("transferMechanisms", app.transferMechanism) })
          : v("outsideEeaNoMechanism", { country }),
      );
    } else transfers.push(v("locationUnknown"));
    for (const s of uniqueSubs) if (!s.inEea) transfers.push(v("subProcessorOutside", { name: s.name, country: s.country ?? v("unknown") }));
    const cl = classification.get(app.id);
    const present = presentByApp.get(app.id) ?? [];
    const required = measuresFor(app.id, cl as Levels | undefined);
    const security = cl
      ? `${v("levels", { b: labelOf("levels", cl.availability), i: labelOf("levels", cl.integrity), v: labelOf("levels", cl.confidentiality) })}. ${
          present.length ? v("measuresPresent", { list: present.join(", ") }) : v("noMeasures")
        }${required.length ? ` (${required.filter((r) => r.inPlace).length}/${required.length})` : ""}`
      : v("notClassified");
    const dpia = dpias.get(app.id);
    return [
      app.name,
      joined(unique([app.goal, ...own.map((l) => l.purpose)].map((purpose) => purpose?.trim().replace(/\.$/, "")))),
      joined(unique([...own].sort((a, b) => a.subjectOrder - b.subjectOrder).map((l) => l.subject)), ", "),
      joined(categories, ", "),
      joined(unique(own.filter((l) => l.flag === "bijzonder" || l.flag === "nationaal_id" || l.flag === "gevoelig").map((l) => l.category)), ", "),
      joined([
        v("processor", { name: app.supplierName }),
        ...uniqueSubs.map((s) => v("subProcessor", { name: s.name, service: s.service ? `: ${s.service}` : "" })),
      ]),
      joined(transfers),
      joined(
        retention
          .filter((r) => r.categoryId !== null && categoryIds.has(r.categoryId))
          .map((r) => v("retentionLine", { category: r.recordType, term: r.termText, trigger: r.trigger.toLowerCase(), action: labelOf("reports.labels.retentionActions", r.action).toLowerCase() })),
      ) ?? v("noRetention"),
      security,
      joined(current.map((a) => v("agreementCurrent", { reference: a.reference, model: a.model })), ", ") ?? v("none"),
      dpia ? `${labelOf("yesNoUnknown", dpia.required)}; ${labelOf("reports.labels.dpiaStatuses", dpia.status)}` : v("noDecision"),
    ];
  });
  const processing: ReportTable = {
    title: tx("tables.processing"),
    sheet: tx("tables.processing"),
    columns: [
      col.text(c("processing"), 30, 2.2),
      col.text(c("purposes"), 50, 3),
      col.text(c("subjects"), 30, 2),
      col.text(c("dataCategories"), 50, 3),
      col.text(c("specialData"), 30),
      col.text(c("recipients"), 50, 3),
      col.text(c("transfers"), 40, 2.5),
      col.text(c("retention"), 60),
      col.text(c("security"), 60),
      col.text(c("agreement"), 30),
      col.text(c("dpia"), 24),
    ],
    rows,
    empty: tx("tables.empty"),
  };
  return { tables: [controller, processing], main: 1 };
}

// ---------------------------------------------------------------------------------------------
// DPIAs

function buildDpias(ctx: BuildContext): ReportContent {
  const apps = scopedApplications(ctx, { activeWithPersonalData: true });
  const dpias = new Map(dpiaRows(ctx.db).map((d) => [d.applicationId, d]));
  const special = new Map<number, string[]>();
  for (const line of dataLines(ctx.db)) {
    if (line.flag !== "bijzonder" && line.flag !== "nationaal_id") continue;
    const list = special.get(line.applicationId) ?? [];
    if (!list.includes(line.category)) list.push(line.category);
    special.set(line.applicationId, list);
  }
  const criteria = (json: string): string | null => {
    try {
      const list = JSON.parse(json) as unknown;
      return Array.isArray(list) ? joined(list.map(String), ", ") : null;
    } catch {
      return json;
    }
  };
  const main: ReportTable = {
    title: tx("tables.dpias"),
    sheet: tx("tables.dpias"),
    columns: [
      col.text(c("application"), 36, 3.5),
      col.text(c("supplier"), 28, 2.5),
      col.text(c("specialData"), 36, 3),
      col.text(c("dpiaRequired"), 14, 1.5),
      col.text(c("criteria"), 30),
      col.text(c("notRequiredReasoning"), 50),
      col.text(c("dpiaType"), 24, 2),
      col.text(c("dpiaStatus"), 16, 1.6),
      col.date(c("performedOn"), 1.5),
      col.text(c("residualRisk"), 12, 1.2),
      col.date(c("nextReview"), 1.5),
    ],
    rows: apps.map((app) => {
      const d = dpias.get(app.id);
      return [
        app.name,
        app.supplierName,
        joined(special.get(app.id) ?? [], ", "),
        d ? labelOf("yesNoUnknown", d.required) : v("noDecision"),
        d ? criteria(d.criteria) : null,
        d?.notRequiredReasoning ?? null,
        label("reports.labels.dpiaTypes", d?.type),
        d ? labelOf("reports.labels.dpiaStatuses", d.status) : null,
        d?.performedOn ?? null,
        label("levels", d?.residualRisk),
        d?.nextReviewOn ?? null,
      ];
    }),
    empty: tx("tables.empty"),
  };
  return { tables: [main], main: 0 };
}

// ---------------------------------------------------------------------------------------------
// Data breaches (period on the date of discovery)

function buildBreaches(ctx: BuildContext): ReportContent {
  const from = ctx.filters.from ? amsterdamMidnight(ctx.filters.from) : 0;
  const to = ctx.filters.to ? amsterdamMidnight(addDays(ctx.filters.to, 1)) : Number.MAX_SAFE_INTEGER;
  const hours = ctx.settings.breachRegulatorHours;
  const main: ReportTable = {
    title: tx("tables.breaches"),
    sheet: tx("tables.breaches"),
    columns: [
      col.text(c("title"), 40, 3.5),
      col.datetime(c("discoveredAt"), 2),
      col.text(c("discoveredBy"), 24),
      col.text(c("application"), 28, 2.5),
      col.text(c("supplier"), 28, 2.2),
      col.text(c("kind"), 30),
      col.text(c("dataCategories"), 40),
      col.number(c("people"), 12, 1.2),
      col.number(c("records"), 12),
      col.text(c("risk"), 14, 1.5),
      col.text(c("regulatorNotified"), 12, 1.3),
      col.datetime(c("regulatorNotifiedAt")),
      col.text(c("regulatorTerm"), 18, 1.7),
      col.text(c("regulatorReasoning"), 40),
      col.text(c("subjectsNotified"), 12),
      col.text(c("subjectsReasoning"), 40),
      col.datetime(c("supplierReportedAt")),
      col.text(c("measures"), 50),
      col.datetime(c("closedAt"), 2),
    ],
    rows: breachRows(ctx.db, from, to).map((b) => [
      b.title,
      b.discoveredAt,
      b.discoveredBy,
      b.applicationName,
      b.supplierName,
      joined(
        [
          b.affectsConfidentiality ? v("affects.confidentiality") : null,
          b.affectsIntegrity ? v("affects.integrity") : null,
          b.affectsAvailability ? v("affects.availability") : null,
        ],
        ", ",
      ),
      b.categories,
      b.peopleCount,
      b.recordsCount,
      label("reports.labels.breachRisks", b.risk),
      labelOf("yesNoUnknown", b.regulatorNotified),
      b.regulatorNotifiedAt,
      b.regulatorNotifiedAt === null ? null : b.regulatorNotifiedAt - b.discoveredAt <= hours * 3_600_000 ? v("withinTerm", { hours }) : v("lateTerm", { hours }),
      b.regulatorReasoning,
      labelOf("yesNoUnknown", b.subjectsNotified),
      b.subjectsReasoning,
      b.supplierReportedAt,
      b.measures,
      b.closedAt,
    ]),
    empty: tx("tables.empty"),
  };
  return { tables: [main], main: 0 };
}

// ---------------------------------------------------------------------------------------------
// Retention

function buildRetention(ctx: BuildContext): ReportContent {
  const main: ReportTable = {
    title: tx("tables.retention"),
    sheet: tx("tables.retention"),
    columns: [
      col.text(c("recordType"), 36, 3),
      col.text(c("category"), 32, 3),
      col.text(c("term"), 20, 2),
      col.number(c("termMonths"), 12, 1.2),
      col.text(c("trigger"), 32, 3),
      col.text(c("action"), 14, 1.5),
      col.text(c("source"), 36, 2.5),
    ],
    rows: retentionRows(ctx.db).map((r) => [r.recordType, r.category, r.termText, r.termMonths, r.trigger, labelOf("reports.labels.retentionActions", r.action), r.source]),
    empty: tx("tables.empty"),
  };
  return { tables: [main], main: 0 };
}

// ---------------------------------------------------------------------------------------------
// The change history

/**
 * What an entry changed, in the words of the history pages: "Naam: Heutink → Heutink ICT", a list as
 * "+ added, − removed", a creation as the values it set; the entry's stored values stay as they are (and hashed).
 */
function changeText(row: { action: string; entityType: string; before: string | null; after: string | null }, names: RecordNames): string | null {
  const parse = (text: string | null) => {
    if (text === null) return null;
    try {
      const value = JSON.parse(text) as unknown;
      return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
    } catch {
      return { value: text };
    }
  };
  if (row.action === "delete") return null;
  const changes = describeChanges({ entityType: row.entityType, before: parse(row.before), after: parse(row.after) }, names);
  return joined(
    changes.map((ch) => {
      if (ch.list) return `${ch.fieldName}: ${[...ch.added.map((a) => `+ ${a}`), ...ch.removed.map((r) => `− ${r}`)].join(", ")}`;
      return ch.created ? `${ch.fieldName}: ${ch.after}` : `${ch.fieldName}: ${ch.before || "–"} → ${ch.after || "–"}`;
    }),
  );
}

/**
 * The history's rows, read from the database a batch at a time as they are written: it grows without end (every
 * change, every import row), so it is never held whole. Fixed at the newest entry now, so every pass (counting
 * and hashing, then writing) reads the same entries, also when changes are made meanwhile; the names of records
 * are looked up once (RecordNames keeps them), so both passes say the same.
 */
function historyRows(ctx: BuildContext, fromMs: number, toMs: number, names: RecordNames): RowStream {
  const types = nl.audit.recordTypes;
  const actions: Record<string, string> = nl.reports.labels.actions;
  const lastId = newestAuditEntry(ctx.db)?.id ?? 0;
  const cells = (r: AuditRow): Cell[] => [
    r.id,
    r.at,
    r.actor,
    actions[r.action] ?? r.action,
    types[r.entityType] ?? r.entityType,
    r.entityId,
    r.summary,
    changeText(r, names),
    r.hash,
  ];
  return {
    *batches(limit = Number.POSITIVE_INFINITY) {
      let afterId = 0;
      let left = limit;
      while (left > 0) {
        const size = Math.min(BATCH_ROWS, left);
        const batch = auditBatch(ctx.db, { fromMs, toMs, entityType: ctx.filters.type, afterId, lastId, limit: size });
        if (batch.length > 0) yield batch.map(cells);
        if (batch.length < size) return;
        afterId = batch[batch.length - 1]!.id;
        left -= batch.length;
      }
    },
  };
}

function buildHistory(ctx: BuildContext): ReportContent {
  const endOfReference = amsterdamMidnight(addDays(ctx.referenceDate, 1));
  const from = ctx.filters.from ? amsterdamMidnight(ctx.filters.from) : 0;
  const to = Math.min(endOfReference, ctx.filters.to ? amsterdamMidnight(addDays(ctx.filters.to, 1)) : Number.MAX_SAFE_INTEGER);
  const names = new RecordNames(ctx.db);
  const main: ReportTable = {
    title: tx("tables.history"),
    sheet: tx("tables.history"),
    columns: [
      col.number(c("number"), 8, 0.8),
      col.datetime(c("at"), 1.6),
      col.text(c("actor"), 30, 2.4),
      col.text(c("change"), 12, 1.2),
      col.text(c("entityType"), 22, 1.8),
      col.number(c("entityId"), 8, 0.8),
      col.text(c("summary"), 50, 4),
      col.text(c("changes"), 80),
      col.text(c("hash"), 66),
    ],
    rows: historyRows(ctx, from, to, names),
    empty: tx("tables.empty"),
  };
  return { tables: [main], main: 0 };
}

/** The change history's newest entry, for the provenance of the change history report and of snapshots. */
export function chainHead(db: DbOrTx): string {
  const head = newestAuditEntry(db);
  return head ? tx("provenance.chainHead", { count: head.count, id: head.id, hash: head.hash ?? "–" }) : tx("provenance.chainEmpty");
}

// ---------------------------------------------------------------------------------------------

export const REPORTS: Record<ReportKey, ReportDefinition> = {
  applications: { key: "applications", boardWide: false, filters: ["school", "status"], pastReferenceDate: false, build: buildApplications },
  agreements: { key: "agreements", boardWide: false, filters: ["school", "days"], pastReferenceDate: false, build: buildAgreements },
  biv: { key: "biv", boardWide: false, filters: ["school"], pastReferenceDate: false, build: buildBiv },
  register: { key: "register", boardWide: true, filters: [], pastReferenceDate: false, build: buildRegister },
  dpias: { key: "dpias", boardWide: false, filters: ["school"], pastReferenceDate: false, build: buildDpias },
  breaches: { key: "breaches", boardWide: true, filters: ["period"], pastReferenceDate: false, build: buildBreaches },
  retention: { key: "retention", boardWide: false, filters: [], pastReferenceDate: false, build: buildRetention },
  history: { key: "history", boardWide: true, filters: ["period", "type"], pastReferenceDate: true, build: buildHistory },
};

export const isReportKey = (value: string): value is ReportKey => (REPORT_KEYS as readonly string[]).includes(value);
