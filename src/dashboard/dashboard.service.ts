// The board dashboard: every application evaluated once, then counted and sorted in memory.
import { and, asc, count, eq, gte, isNull, lte } from "drizzle-orm";
import { shareInOrder, statusBar } from "../compliance/charts";
import { countByStatus, describeFindings, evaluateApplications, findingText, type Evaluated } from "../compliance/compliance.service";
import type { Finding, RuleCode, Status } from "../compliance/rules";
import { cachedStatement, clientOf, type DbOrTx } from "../db/client";
import { agreementApplications, agreements, schools, suppliers } from "../db/schema";
import { addDays, todayIso } from "../lib/dates";
import { getSettings } from "../settings/settings.service";
import { dutchOrder } from "../lib/format";

/** Urgency within a colour: first what makes processing unlawful, then what is merely late. */
const RULE_ORDER: RuleCode[] = [
  "no_agreement",
  "agreement_expired",
  "categories_not_covered",
  "no_data_recorded",
  "special_data_without_dpia",
  "outside_eea_without_mechanism",
  "no_classification",
  "agreement_expiring",
  "open_breach",
  "dpia_not_done",
  "classification_too_low",
  "measures_missing",
  "classification_overdue",
  "agreement_review_overdue",
  "old_agreement_model",
];

export const TASK_LIMIT = 50;
export const RED_LIMIT = 25;

function expiringAgreements(db: DbOrTx, today: string, days: number) {
  const appCount = db
    .select({ agreementId: agreementApplications.agreementId, n: count().as("n") })
    .from(agreementApplications)
    .groupBy(agreementApplications.agreementId)
    .as("app_count");
  return db
    .select({
      id: agreements.id,
      reference: agreements.reference,
      endsOn: agreements.endsOn,
      supplierName: suppliers.name,
      applicationCount: appCount.n,
    })
    .from(agreements)
    .innerJoin(suppliers, eq(suppliers.id, agreements.supplierId))
    .leftJoin(appCount, eq(appCount.agreementId, agreements.id))
    .where(and(eq(agreements.status, "ondertekend"), gte(agreements.endsOn, today), lte(agreements.endsOn, addDays(today, days))))
    .orderBy(asc(agreements.endsOn))
    .all()
    .map((a) => ({ ...a, daysLeft: Math.round((Date.parse(`${a.endsOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000) }));
}

function schoolsByStatus(db: DbOrTx, evaluated: Evaluated[]) {
  const statusOf = new Map(evaluated.map((e) => [e.facts.id, e.evaluation.status]));
  // Tens of thousands of school-application links on a large board: one row per school, ids concatenated.
  const uses = cachedStatement(clientOf(db), "select school_id, group_concat(application_id) from application_schools group by school_id").raw(true).all() as [number, string][];
  const rows = db.select({ id: schools.id, name: schools.name, brin: schools.brin, location: schools.location }).from(schools).where(isNull(schools.archivedAt)).orderBy(asc(schools.name)).all();
  const counts = new Map(rows.map((s) => [s.id, { red: 0, orange: 0, green: 0, grey: 0 } as Record<Status, number>]));
  for (const [schoolId, applicationIds] of uses) {
    const c = counts.get(schoolId);
    if (!c) continue;
    for (const id of applicationIds.split(",")) {
      const status = statusOf.get(Number(id));
      if (status) c[status] += 1;
    }
  }
  return rows.map((s) => ({ ...s, counts: counts.get(s.id)! })).sort((a, b) => b.counts.red - a.counts.red || b.counts.orange - a.counts.orange || dutchOrder(a.name, b.name));
}

type Task = Finding & { applicationId: number; applicationName: string };

/**
 * Every finding as a task, most urgent first: red before orange, then by rule, then by date, then by
 * application. The key is computed once per task: a large board has thousands of findings, and a collator
 * per comparison made this the slowest part of the dashboard.
 */
function taskList(evaluated: Evaluated[]): Task[] {
  const keyed = evaluated.flatMap((e) => {
    const name = e.facts.name.toLocaleLowerCase("nl");
    return e.evaluation.findings.map((f) => ({
      task: { ...f, applicationId: e.facts.id, applicationName: e.facts.name },
      key: `${f.severity === "red" ? 0 : 1}${String(RULE_ORDER.indexOf(f.rule)).padStart(2, "0")}${typeof f.params.date === "string" ? f.params.date : "9999-99-99"}${name}`,
    }));
  });
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.task);
}

const withText = (tasks: Task[]) => tasks.map((task) => ({ ...task, text: findingText(task) }));

export function buildDashboard(db: DbOrTx, today = todayIso()) {
  const settings = getSettings(db);
  const evaluated = evaluateApplications(db, { today, settings });
  const counts = countByStatus(evaluated);
  const tasks = taskList(evaluated);
  // Texts are written only for what is shown: on a large board there are thousands of findings.
  const overdue = tasks.filter((f) => f.rule === "classification_overdue" || f.rule === "agreement_review_overdue");
  const red = evaluated
    .filter((e) => e.evaluation.status === "red")
    .sort((a, b) => dutchOrder(a.facts.name, b.facts.name));
  return {
    today,
    warningDays: settings.agreementWarningDays,
    counts,
    total: evaluated.length,
    share: shareInOrder(counts),
    chart: statusBar(counts),
    schools: schoolsByStatus(db, evaluated),
    expiring: expiringAgreements(db, today, settings.agreementWarningDays),
    overdue: withText(overdue.slice(0, TASK_LIMIT)),
    overdueTotal: overdue.length,
    red: red.slice(0, RED_LIMIT).map((e) => ({ id: e.facts.id, name: e.facts.name, findings: describeFindings(e.evaluation.findings.filter((f) => f.severity === "red")) })),
    redTotal: red.length,
    tasks: withText(tasks.slice(0, TASK_LIMIT)),
    taskTotal: tasks.length,
  };
}
