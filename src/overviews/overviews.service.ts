// The three overviews of the whole register: which processed data a current agreement covers (the
// coverage matrix), how applications are classified (BIV), and which FORA functions are served twice or not
// at all (applicatierationalisatie). Each is built from a fixed number of queries, whatever the number of
// applications: the compliance facts of all applications at once, and a few reference lists.
import type { DbOrTx } from "../db/client";
import { ASPECTS, LEVELS, type Aspect, type Level } from "../db/enums";
import { evaluateApplications, type Evaluated } from "../compliance/compliance.service";
import { uncoveredCategoryIds, type ApplicationFacts, type Finding, type RuleCode, type Status } from "../compliance/rules";
import { todayIso } from "../lib/dates";
import {
  activeCategories,
  applicationIdsOfSchool,
  applicationSummaries,
  domainList,
  functionLinks,
  functionList,
} from "./overviews.repository";

export type CellKind = "covered" | "gap" | "none";

const collator = new Intl.Collator("nl", { sensitivity: "base", numeric: true });
const byName = (a: { name: string }, b: { name: string }) => collator.compare(a.name, b.name);

/**
 * The applications the overviews are about: in use or on their way in or out (not archived, not retired)
 * and processing personal data. These are exactly the ones the rules give a colour other than grey.
 */
export function isActiveWithPersonalData(facts: ApplicationFacts): boolean {
  return facts.processesPersonalData && !facts.archived && facts.lifecycle !== "uitgefaseerd";
}

const activeEvaluations = (db: DbOrTx, today: string, ids?: number[]): Evaluated[] =>
  evaluateApplications(db, { ids, today })
    .filter((e) => isActiveWithPersonalData(e.facts))
    .sort((a, b) => byName(a.facts, b.facts));

// ---------------------------------------------------------------------------------------------
// Coverage matrix

export type CoverageRow = { id: number; name: string; status: Status; cells: CellKind[]; gaps: number };

export function coverageMatrix(db: DbOrTx, options: { schoolId?: number; gapsOnly?: boolean; today?: string } = {}) {
  const today = options.today ?? todayIso();
  const categories = activeCategories(db);
  const ids = options.schoolId === undefined ? undefined : applicationIdsOfSchool(db, options.schoolId);
  const all = activeEvaluations(db, today, ids).map(({ facts, evaluation }): CoverageRow => {
    const processed = new Set(facts.categories.map((c) => c.id));
    const uncovered = new Set(uncoveredCategoryIds([...processed], facts.agreements, today));
    const cells = categories.map((c): CellKind => (!processed.has(c.id) ? "none" : uncovered.has(c.id) ? "gap" : "covered"));
    return { id: facts.id, name: facts.name, status: evaluation.status, cells, gaps: cells.filter((k) => k === "gap").length };
  });
  const rows = options.gapsOnly ? all.filter((r) => r.gaps > 0) : all;
  const gapsPerCategory = categories.map((_, i) => rows.reduce((n, r) => n + (r.cells[i] === "gap" ? 1 : 0), 0));
  return {
    categories,
    rows,
    gapsPerCategory,
    totalGaps: gapsPerCategory.reduce((a, b) => a + b, 0),
  };
}

// ---------------------------------------------------------------------------------------------
// BIV overview

const LEVEL_FIELD: Record<Aspect, "availability" | "integrity" | "confidentiality"> = {
  beschikbaarheid: "availability",
  integriteit: "integrity",
  vertrouwelijkheid: "confidentiality",
};

type Listed = { id: number; name: string; status: Status };
export type FindingRow = Listed & { finding: Finding };

function withFinding(evaluated: Evaluated[], rule: RuleCode): FindingRow[] {
  return evaluated.flatMap(({ facts, evaluation }) => {
    const finding = evaluation.findings.find((f) => f.rule === rule);
    return finding ? [{ id: facts.id, name: facts.name, status: evaluation.status, finding }] : [];
  });
}

export function bivOverview(db: DbOrTx, options: { aspect?: Aspect; level?: Level; today?: string } = {}) {
  const today = options.today ?? todayIso();
  const evaluated = activeEvaluations(db, today);
  const classified = evaluated.filter((e) => e.facts.classification !== null);
  const counts = ASPECTS.map((aspect) => ({
    aspect,
    levels: LEVELS.map((level) => ({
      level,
      count: classified.filter((e) => e.facts.classification![LEVEL_FIELD[aspect]] === level).length,
    })),
  }));
  const { aspect, level } = options;
  const selection =
    aspect && level
      ? classified
          .filter((e) => e.facts.classification![LEVEL_FIELD[aspect]] === level)
          .map(({ facts, evaluation }) => ({ id: facts.id, name: facts.name, status: evaluation.status, classification: facts.classification! }))
      : undefined;
  return {
    total: evaluated.length,
    counts,
    unclassifiedCount: evaluated.length - classified.length,
    selection: selection && aspect && level ? { aspect, level, rows: selection } : undefined,
    without: withFinding(evaluated, "no_classification"),
    overdue: withFinding(evaluated, "classification_overdue"),
    tooLow: withFinding(evaluated, "classification_too_low"),
    measuresMissing: withFinding(evaluated, "measures_missing"),
  };
}

// ---------------------------------------------------------------------------------------------
// Applicatierationalisatie

export type ServingApplication = {
  id: number;
  name: string;
  supplierName: string;
  lifecycle: string;
  status: Status;
  costLicencePerYearCents: number | null;
  costOneTimeCents: number | null;
};

/**
 * FORA functions against the active applications (not archived, not retired; personal data or not: a
 * duplicate costs money either way). A function served by more than one is a possible duplicate.
 */
export function rationalisation(db: DbOrTx, options: { duplicatesOnly?: boolean; today?: string } = {}) {
  const today = options.today ?? todayIso();
  const status = new Map(evaluateApplications(db, { today }).map((e) => [e.facts.id, e.evaluation.status]));
  const active = applicationSummaries(db)
    .filter((a) => a.lifecycle !== "uitgefaseerd")
    .map((a): ServingApplication => ({ ...a, status: status.get(a.id) ?? "grey" }));
  const activeById = new Map(active.map((a) => [a.id, a]));
  const functions = functionList(db);
  const functionIds = new Set(functions.map((f) => f.id));

  const servedBy = new Map<number, ServingApplication[]>();
  const withFunction = new Set<number>();
  for (const link of functionLinks(db)) {
    const app = activeById.get(link.applicationId);
    if (!app || !functionIds.has(link.functionId)) continue;
    withFunction.add(app.id);
    servedBy.set(link.functionId, [...(servedBy.get(link.functionId) ?? []), app]);
  }

  const domains = domainList(db).map((domain) => {
    const rows = functions
      .filter((f) => f.domainId === domain.id)
      .map((f) => {
        const apps = (servedBy.get(f.id) ?? []).sort(byName);
        return {
          ...f,
          applications: apps,
          duplicate: apps.length > 1,
          licenceSumCents: apps.reduce((sum, a) => sum + (a.costLicencePerYearCents ?? 0), 0),
          costsIncomplete: apps.some((a) => a.costLicencePerYearCents === null),
        };
      });
    return { ...domain, functions: options.duplicatesOnly ? rows.filter((f) => f.duplicate) : rows, all: rows };
  });

  const allFunctions = domains.flatMap((d) => d.all.map((f) => ({ ...f, domainName: d.name })));
  return {
    domains: domains.map(({ all: _all, ...d }) => d),
    duplicates: allFunctions.filter((f) => f.duplicate),
    unserved: allFunctions.filter((f) => f.applications.length === 0),
    withoutFunction: active.filter((a) => !withFunction.has(a.id)),
  };
}
