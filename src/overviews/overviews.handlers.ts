import type { Request, Response } from "express";
import type { Db } from "../db/client";
import { LEVELS, type Aspect, type Level } from "../db/enums";
import { statusLabel } from "../compliance/compliance.service";
import type { Finding, Status } from "../compliance/rules";
import { can } from "../http/policy";
import { labelOf, t } from "../i18n";
import { formatDate, formatEuros } from "../lib/format";
import { schoolChoices } from "./overviews.repository";
import { bivQuery, coverageQuery, rationalisationQuery } from "./overviews.schemas";
import { bivOverview, coverageMatrix, rationalisation, type CellKind, type ServingApplication } from "./overviews.service";



/** The status with its Dutch name (the status-badge partial shows it). */
const statusView = (status: Status) => ({ code: status, label: statusLabel(status) });

/**
 * A matrix cell: a symbol for the eye and a word for a screen reader and for print without colour. The same
 * three objects are shared by every cell, so 2,000 × 16 cells cost no more than their references.
 */
function cellViews(): Record<CellKind, { kind: CellKind; symbol: string; text: string; long: string }> {
  return {
    covered: { kind: "covered", symbol: "✓", text: t("overviews.coverage.covered"), long: t("overviews.coverage.coveredLong") },
    gap: { kind: "gap", symbol: "✗", text: t("overviews.coverage.gap"), long: t("overviews.coverage.gapLong") },
    none: { kind: "none", symbol: "·", text: t("overviews.coverage.notProcessed"), long: t("overviews.coverage.notProcessedLong") },
  };
}

/**
 * A category's label for a narrow column: the part before " / " or " (" ("BSN / persoonsgebonden nummer" →
 * "BSN"), with a break opportunity after a slash ("docenten/medewerkers") for the wrapped print header.
 */
const shortLabel = (label: string) => (label.split(/ [/(]/)[0]!.trim() || label).replace(/\//g, "/\u200b");

const servingView = (app: ServingApplication) => ({
  ...app,
  status: statusView(app.status),
  licence: formatEuros(app.costLicencePerYearCents),
  oneTime: formatEuros(app.costOneTimeCents),
});

export function overviewHandlers(db: Db) {
  return {
    index(_req: Request, res: Response) {
      res.render("overviews/index", {
        title: t("overviews.title"),
        links: [
          { href: "/overviews/coverage", label: t("overviews.links.coverage"), text: t("overviews.links.coverageText") },
          { href: "/overviews/biv", label: t("overviews.links.biv"), text: t("overviews.links.bivText") },
          { href: "/overviews/rationalisation", label: t("overviews.links.rationalisation"), text: t("overviews.links.rationalisationText") },
        ],
      });
    },

    coverage(req: Request, res: Response) {
      const query = coverageQuery.parse(req.query);
      const matrix = coverageMatrix(db, { schoolId: query.school, gapsOnly: query.gaps });
      const cells = cellViews();
      res.render("overviews/coverage", {
        title: t("overviews.coverage.title"),
        query,
        filtered: query.school !== undefined || query.gaps,
        schoolOptions: schoolChoices(db).map((s) => ({ value: s.id, label: s.name })),
        legend: [cells.covered, cells.gap, cells.none],
        categories: matrix.categories.map((c) => ({ ...c, short: shortLabel(c.label) })),
        rows: matrix.rows.map((r) => ({ id: r.id, name: r.name, status: statusView(r.status), cells: r.cells.map((k) => cells[k]), gaps: r.gaps })),
        totals: matrix.gapsPerCategory,
        totalGaps: matrix.totalGaps,
        summary: t("overviews.coverage.summary", { apps: matrix.rows.length, gaps: matrix.totalGaps }),
      });
    },

    biv(req: Request, res: Response) {
      const query = bivQuery.parse(req.query);
      const overview = bivOverview(db, { aspect: query.aspect, level: query.level });
      const canWrite = can(res.locals.user, "register.write");
      const levelName = (level: Level) => labelOf("levels", level).toLowerCase();
      const aspectName = (aspect: Aspect) => labelOf("aspects", aspect);
      const findingRow = (row: { id: number; name: string; status: Status; finding: Finding }) => ({
        id: row.id,
        name: row.name,
        status: statusView(row.status),
        fix: canWrite ? row.finding.fix : undefined,
        params: row.finding.params,
      });
      const selection = overview.selection;
      res.render("overviews/biv", {
        title: t("overviews.biv.title"),
        canWrite,
        total: overview.total,
        levelHeaders: LEVELS.map((level) => labelOf("levels", level)),
        counts: overview.counts.map(({ aspect, levels }) => ({
          aspect: aspectName(aspect),
          levels: levels.map(({ level, count }) => ({
            count,
            href: `/overviews/biv?aspect=${aspect}&level=${level}#selectie`,
            description: t("overviews.biv.countLink", { count, aspect: aspectName(aspect), level: levelName(level) }),
            current: selection?.aspect === aspect && selection.level === level,
          })),
        })),
        unclassified: { count: overview.unclassifiedCount, description: t("overviews.biv.noClassificationLink", { count: overview.unclassifiedCount }) },
        selection: selection && {
          heading: t("overviews.biv.selectionTitle", { aspect: aspectName(selection.aspect), level: levelName(selection.level) }),
          empty: t("overviews.biv.selectionNone", { aspect: aspectName(selection.aspect), level: levelName(selection.level) }),
          rows: selection.rows.map((r) => ({
            id: r.id,
            name: r.name,
            status: statusView(r.status),
            levels: [r.classification.availability, r.classification.integrity, r.classification.confidentiality].map((l) => labelOf("levels", l)).join(" / "),
          })),
        },
        without: overview.without.map(findingRow),
        overdue: overview.overdue.map((r) => ({ ...findingRow(r), dueOn: formatDate(r.finding.params.date) })),
        tooLow: overview.tooLow.map((r) => ({
          ...findingRow(r),
          chosen: labelOf("levels", String(r.finding.params.chosen)),
          implied: labelOf("levels", String(r.finding.params.implied)),
          because: r.finding.params.categories,
        })),
        measuresMissing: overview.measuresMissing.map((r) => ({ ...findingRow(r), count: r.finding.params.count })),
      });
    },

    rationalisation(req: Request, res: Response) {
      const query = rationalisationQuery.parse(req.query);
      const result = rationalisation(db, { duplicatesOnly: query.duplicates });
      const canWrite = can(res.locals.user, "register.write");
      res.render("overviews/rationalisation", {
        title: t("overviews.rationalisation.title"),
        canWrite,
        query,
        domains: result.domains.map((d) => ({
          ...d,
          functions: d.functions.map((f) => ({
            ...f,
            applications: f.applications.map(servingView),
            rowspan: Math.max(1, f.applications.length),
            duplicateSum: f.duplicate
              ? t("overviews.rationalisation.duplicateSum", { count: f.applications.length, amount: formatEuros(f.licenceSumCents) })
              : undefined,
          })),
        })),
        duplicateCount: result.duplicates.length,
        unserved: result.unserved,
        withoutFunction: result.withoutFunction.map((a) => ({ ...servingView(a), fix: canWrite ? `/applications/${a.id}/edit` : undefined })),
      });
    },
  };
}
