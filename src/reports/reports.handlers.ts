import type { Request, Response } from "express";
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { actorOf } from "../audit/audit.service";
import { STATUSES, statusLabel } from "../compliance/compliance.service";
import type { Db } from "../db/client";
import { currentUser } from "../http/auth";
import { ForbiddenError, NotFoundError } from "../http/errors";
import { flash } from "../http/flash";
import { submitForm, type FormState } from "../http/forms";
import { can, type CurrentUser } from "../http/policy";
import { parseId } from "../http/validation";
import { nl, t } from "../i18n";
import { todayIso } from "../lib/dates";
import { formatDate } from "../lib/format";
import { getSettings } from "../settings/settings.service";
import { REPORT_KEYS, REPORTS, type ReportKey } from "./reports.catalogue";
import { auditEntityTypes, filesOfSnapshot, findSnapshot, listSnapshots, schoolOptions, schoolsById } from "./reports.repository";
import { parseReportKey, parseReportQuery, snapshotInput } from "./reports.schemas";
import {
  buildReport,
  createSnapshot,
  downloadSnapshotFile,
  fileName,
  FORMATS,
  mayHave,
  MIME_TYPES,
  recordDownload,
  reportFile,
  reportTitle,
  resolveRequest,
  type BuiltReport,
  type Format,
} from "./reports.service";
import { sha256 } from "./reports.model";

/** The table a CSV of a report with several tables holds (its main table). */
const CSV_TABLE: Partial<Record<ReportKey, string>> = {
  applications: "tables.applications",
  agreements: "tables.agreements",
  biv: "tables.biv",
  register: "tables.processing",
};

/** Header values must be ASCII: free text goes percent-encoded (RFC 3986), as in Content-Disposition's filename*. */
const headerText = (value: string) => encodeURIComponent(value);

/** Provenance beside the file: for CSV the only place, for the other formats the same as inside the file. */
function setProvenanceHeaders(res: Response, report: BuiltReport, format: Format, sha: string, size: number): void {
  const p = report.provenance;
  const name = fileName(report.request.key, report.request.referenceDate, format);
  res.set({
    "Content-Type": MIME_TYPES[format],
    "Content-Length": String(size),
    "Content-Disposition": `attachment; filename="${name}"`,
    "Cache-Control": "no-store",
    "X-Content-SHA256": sha,
    "X-Report": report.request.key,
    "X-Report-Title": headerText(p.reportTitle),
    "X-Report-Board": headerText(p.boardName),
    "X-Report-Reference-Date": p.referenceDate,
    "X-Report-Generated-At": p.generatedAt.toISOString(),
    "X-Report-Generated-By": headerText(p.generatedBy),
    "X-Report-Filters": headerText(JSON.stringify(report.request.filterValues)),
    "X-Report-Content-SHA256": p.contentSha256,
  });
}

function reportForms(db: Db, user: CurrentUser) {
  const today = todayIso();
  const isSchool = user.role === "school";
  const ownSchools = isSchool ? schoolsById(db, user.schoolIds) : [];
  const schoolChoices = (isSchool ? ownSchools : schoolOptions(db)).map((s) => ({ value: s.id, label: s.name }));
  const types = auditEntityTypes(db).map((type) => ({ value: type, label: nl.audit.recordTypes[type] ?? type }));
  const days = getSettings(db).agreementWarningDays;
  return REPORT_KEYS.filter((key) => mayHave(user, key)).map((key) => {
    const definition = REPORTS[key];
    const has = (filter: string) => (definition.filters as string[]).includes(filter);
    return {
      key,
      title: reportTitle(key),
      description: t(`reports.catalogue.${key}.description`),
      csvTable: CSV_TABLE[key] ? t("reports.csvHolds", { table: t(`reports.${CSV_TABLE[key]}`) }) : undefined,
      school: has("school")
        ? {
            // A school user with one school: its reports are that school's, no choice to make.
            fixed: isSchool && ownSchools.length === 1 ? ownSchools[0]!.name : undefined,
            blank: isSchool ? t("reports.filters.ownSchools") : t("reports.filters.allSchools"),
            options: schoolChoices,
          }
        : undefined,
      status: has("status") ? STATUSES.map((s) => ({ value: s, label: statusLabel(s) })) : undefined,
      days: has("days") ? { hint: t("reports.filters.daysHint", { days }), placeholder: days } : undefined,
      period: has("period"),
      types: has("type") ? { options: types } : undefined,
      referenceDate: definition.pastReferenceDate ? { max: today } : undefined,
      today: formatDate(today),
      formats: FORMATS.map((format) => ({ value: format, label: t(`reports.formats.${format}`), name: t(`reports.formatNames.${format}`) })),
    };
  });
}

export function reportHandlers(db: Db) {
  const renderSnapshots = (res: Response, status: number, state: FormState) =>
    res.status(status).render("reports/snapshots", {
      title: t("reports.snapshots.title"),
      snapshots: listSnapshots(db),
      canWrite: can(res.locals.user, "register.write"),
      ...state,
    });

  return {
    index(_req: Request, res: Response) {
      const user = currentUser(res);
      res.render("reports/index", {
        title: t("reports.title"),
        isSchool: user.role === "school",
        reports: reportForms(db, user),
        canReadRegister: can(user, "register.read"),
        canVerify: can(user, "audit.read"),
      });
    },

    async download(req: Request, res: Response) {
      const user = currentUser(res);
      const key = parseReportKey(req.params.report);
      // A report a user may not have is refused before its filters are looked at.
      if (!mayHave(user, key)) throw new ForbiddenError();
      const today = todayIso();
      const query = parseReportQuery(req.query as Record<string, unknown>, REPORTS[key], today);
      const request = resolveRequest(db, user, key, query, today);
      const actor = actorOf(user);
      const now = new Date();
      const report = await buildReport(db, request, actor, now);
      // Written to a temporary file as the rows are read, hashed on the way: the hash and size go before the body.
      const file = await reportFile(report, query.format);
      try {
        recordDownload(db, { actor, at: now, report: key, format: query.format, referenceDate: request.referenceDate, filters: request.filterValues, sha256: file.sha256, size: file.size });
        setProvenanceHeaders(res, report, query.format, file.sha256, file.size);
        await pipeline(createReadStream(file.path), res);
      } finally {
        await file.remove();
      }
    },

    snapshots(_req: Request, res: Response) {
      renderSnapshots(res, 200, { values: {} });
    },

    createSnapshot(req: Request, res: Response) {
      return submitForm(req, res, {
        schema: snapshotInput,
        render: (status, state) => renderSnapshots(res, status, state),
        save: (data) => createSnapshot(db, actorOf(currentUser(res)), data.title),
        onSuccess: (snapshot) => {
          flash(req, "success", t("reports.snapshots.created", { title: snapshot.title }));
          res.redirect(303, `/reports/snapshots/${snapshot.id}`);
        },
      });
    },

    showSnapshot(req: Request, res: Response) {
      const snapshot = findSnapshot(db, parseId(req.params.id));
      if (!snapshot) throw new NotFoundError();
      res.render("reports/snapshot", {
        title: t("reports.snapshots.showTitle", { title: snapshot.title }),
        snapshot,
        files: filesOfSnapshot(db, snapshot.id).map((f) => ({
          ...f,
          reportTitle: REPORT_KEYS.includes(f.report as ReportKey) ? reportTitle(f.report as ReportKey) : f.report,
          formatLabel: FORMATS.includes(f.format as Format) ? t(`reports.formats.${f.format}`) : f.format,
          size: t("reports.snapshots.bytes", { size: f.sizeBytes.toLocaleString("nl-NL") }),
        })),
      });
    },

    snapshotFile(req: Request, res: Response) {
      const { snapshot, file } = downloadSnapshotFile(db, actorOf(currentUser(res)), parseId(req.params.id), parseId(req.params.fileId));
      res.set({
        "Content-Type": file.mimeType,
        "Content-Length": String(file.content.length),
        "Content-Disposition": `attachment; filename="${file.fileName.replace(/[^a-z0-9.-]/gi, "-")}"`,
        "Cache-Control": "no-store",
        "X-Content-SHA256": sha256(file.content),
        "X-Snapshot": String(snapshot.id),
        "X-Snapshot-SHA256": snapshot.sha256,
        "X-Report-Reference-Date": snapshot.referenceDate,
      });
      res.end(file.content);
    },
  };
}
