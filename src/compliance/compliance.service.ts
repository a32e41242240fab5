// The status of applications, explained in Dutch: evaluation of one, some or all applications with the
// current settings, and the texts of their findings.
import { clientOf, memoByVersion, type DbOrTx } from "../db/client";
import { labelOf, t } from "../i18n";
import { todayIso } from "../lib/dates";
import { formatDate } from "../lib/format";
import { getSettings, type Settings } from "../settings/settings.service";
import { loadFacts } from "./compliance.repository";
import { evaluate, type ApplicationFacts, type Evaluation, type Finding, type Status } from "./rules";

export const STATUSES: Status[] = ["red", "orange", "green", "grey"];

export type Evaluated = { facts: ApplicationFacts; evaluation: Evaluation };

export function ruleSettings(settings: Settings) {
  return {
    agreementWarningDays: settings.agreementWarningDays,
    reviewIntervalMonths: settings.reviewIntervalMonths,
    oldestCurrentModel: settings.oldestCurrentModel,
  };
}

/**
 * Evaluates the given applications (all when `ids` is undefined) on `today`, in a fixed number of queries.
 * Evaluations are kept until the register changes (memoByVersion, src/db/client.ts), per day and settings: a
 * list page evaluates only the applications not yet evaluated in this state, and once all were asked for, every
 * list is served from them. Inside a transaction nothing is kept (its writes may still roll back). Results are
 * shared: callers must not change them.
 */
export function evaluateApplications(db: DbOrTx, options: { ids?: number[]; today?: string; settings?: Settings } = {}): Evaluated[] {
  const settings = ruleSettings(options.settings ?? getSettings(db));
  const today = options.today ?? todayIso();
  if (clientOf(db).inTransaction) return computeEvaluation(db, settings, today, options.ids);
  // The holder is kept (and frozen); what it holds fills as applications are asked for.
  const kept = memoByVersion(db, `evaluations:${today}:${JSON.stringify(settings)}`, () => ({ byId: new Map<number, Evaluated>(), all: [] as Evaluated[] }));
  const complete = kept.all.length > 0;
  if (!options.ids) {
    if (!complete) {
      kept.all.push(...computeEvaluation(db, settings, today));
      for (const e of kept.all) kept.byId.set(e.facts.id, e);
    }
    return kept.all;
  }
  const missing = complete ? [] : options.ids.filter((id) => !kept.byId.has(id));
  if (missing.length > 0) for (const e of computeEvaluation(db, settings, today, missing)) kept.byId.set(e.facts.id, e);
  return options.ids.flatMap((id) => kept.byId.get(id) ?? []);
}

/** The evaluation itself, without the cache: facts from the database, then the rules. */
export function computeEvaluation(db: DbOrTx, settings: ReturnType<typeof ruleSettings>, today: string, ids?: number[]): Evaluated[] {
  return loadFacts(db, ids).map((facts) => ({ facts, evaluation: evaluate(facts, settings, today) }));
}

export function countByStatus(evaluated: Evaluated[]): Record<Status, number> {
  const counts: Record<Status, number> = { red: 0, orange: 0, green: 0, grey: 0 };
  for (const e of evaluated) counts[e.evaluation.status] += 1;
  return counts;
}

/** Params as people read them: dates as dd-mm-jjjj, levels by their Dutch name. */
function readable(params: Finding["params"]): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) out[key] = formatDate(value);
    else if (key === "chosen" || key === "implied") out[key] = labelOf("levels", String(value));
    else out[key] = value;
  }
  return out;
}

/** The finding in plain Dutch, as the privacy officer reads it. */
export function findingText(finding: Finding): string {
  return t(`compliance.findings.${finding.rule}`, readable(finding.params));
}

/** What a school can do about a finding. */
export function schoolAdvice(finding: Finding): string {
  return t(`compliance.advice.${finding.rule}`, readable(finding.params));
}

/** Findings ready for a template. */
export function describeFindings(findings: Finding[]) {
  return findings.map((f) => ({ ...f, text: findingText(f), advice: schoolAdvice(f) }));
}

export function statusLabel(status: Status): string {
  return t(`compliance.status.${status}`);
}

/** Adds each application's status to rows that carry its id (for lists on supplier and agreement pages). */
export function withStatus<R extends { id: number }>(db: DbOrTx, rows: R[], today?: string): (R & { status: Status })[] {
  const statuses = new Map(evaluateApplications(db, { ids: rows.map((r) => r.id), today }).map((e) => [e.facts.id, e.evaluation.status]));
  return rows.map((r) => ({ ...r, status: statuses.get(r.id) ?? "grey" }));
}
