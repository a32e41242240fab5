// The overview of one school: the applications it uses with their status, worst first, and for each that
// is not green what is wrong and what the school can do.
import { statusBar } from "../compliance/charts";
import { countByStatus, describeFindings, evaluateApplications } from "../compliance/compliance.service";
import type { Status } from "../compliance/rules";
import type { DbOrTx } from "../db/client";
import { applicationsOfSchool } from "./schools.repository";
import { dutchOrder } from "../lib/format";

const ORDER: Record<Status, number> = { red: 0, orange: 1, green: 2, grey: 3 };

export function schoolOverview(db: DbOrTx, schoolId: number, today?: string) {
  const applications = applicationsOfSchool(db, schoolId);
  const evaluated = new Map(evaluateApplications(db, { ids: applications.map((a) => a.id), today }).map((e) => [e.facts.id, e]));
  const rows = applications
    .map((app) => {
      const evaluation = evaluated.get(app.id)?.evaluation ?? { status: "grey" as const, findings: [] };
      return { ...app, status: evaluation.status, findings: describeFindings(evaluation.findings) };
    })
    .sort((a, b) => ORDER[a.status] - ORDER[b.status] || dutchOrder(a.name, b.name));
  const counts = countByStatus([...evaluated.values()]);
  return { applications: rows, counts, chart: statusBar(counts) };
}
