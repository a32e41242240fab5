// Making reports: build the tables once (src/reports/reports.catalogue.ts), state their provenance, write
// them in the asked format, and record every download. Frozen snapshots store every report in every format,
// immutably (the database refuses changes to snapshots: installTriggers in src/db/client.ts).
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transform, Writable, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { recordChange, type Actor } from "../audit/audit.service";
import { findBoard } from "../board/board.repository";
import type { Db, DbOrTx } from "../db/client";
import { statusLabel } from "../compliance/compliance.service";
import { BadRequestError, ForbiddenError, NotFoundError } from "../http/errors";
import { canSeeSchool, type CurrentUser } from "../http/policy";
import { nl, t } from "../i18n";
import { formatDate } from "../lib/format";
import { todayIso } from "../lib/dates";
import { getSettings } from "../settings/settings.service";
import { chainHead, REPORT_KEYS, REPORTS, type ReportFilters, type ReportKey } from "./reports.catalogue";
import { writeCsv } from "./reports.csv";
import { measureContent, sha256, type Provenance, type ReportContent } from "./reports.model";
import { writePdf } from "./reports.pdf";
import { findSnapshot, findSnapshotFile, insertDownload, insertSnapshot, schoolsById, type NewSnapshotFile } from "./reports.repository";
import type { ReportQuery } from "./reports.schemas";
import { writeXlsx } from "./reports.xlsx";

export const FORMATS = ["xlsx", "csv", "pdf"] as const;
export type Format = (typeof FORMATS)[number];

export const MIME_TYPES: Record<Format, string> = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
  pdf: "application/pdf",
};

export type ReportRequest = {
  key: ReportKey;
  referenceDate: string;
  filters: ReportFilters;
  /** The filters as people read them (label: value), for the provenance. */
  filterLabels: { label: string; value: string }[];
  /** The filters as recorded in the download log. */
  filterValues: Record<string, unknown>;
};

/** Whether a user may have this report at all: school users get no reports about the whole board. */
export function mayHave(user: CurrentUser, key: ReportKey): boolean {
  return user.role !== "school" || !REPORTS[key].boardWide;
}

/**
 * The request as it will be built: the reference date (today unless a past one was asked where allowed), and the
 * filters with a school user's limit to its own schools. Another school's report is refused (403).
 */
export function resolveRequest(db: DbOrTx, user: CurrentUser, key: ReportKey, query: ReportQuery, today: string): ReportRequest {
  if (!mayHave(user, key)) throw new ForbiddenError();
  const definition = REPORTS[key];
  const filters: ReportFilters = user.role === "school" ? { forSchoolUser: true } : {};
  const filterLabels: { label: string; value: string }[] = [];
  const filterValues: Record<string, unknown> = {};
  const f = (name: string) => t(`reports.filters.${name}`);

  if (query.school !== undefined) {
    // Another school is unknown to a school user: the same answer as for a school that does not exist.
    const [school] = canSeeSchool(user, query.school) ? schoolsById(db, [query.school]) : [];
    if (!school) throw new BadRequestError(t("reports.errors.unknownSchool"));
    filters.schoolIds = [school.id];
  } else if (user.role === "school" && definition.filters.includes("school")) {
    filters.schoolIds = user.schoolIds;
  }
  if (filters.schoolIds) {
    filterLabels.push({ label: f("school"), value: schoolsById(db, filters.schoolIds).map((s) => s.name).join(", ") || nl.reports.values.none });
    filterValues.school = filters.schoolIds;
  }
  if (query.status) {
    filters.status = query.status;
    filterLabels.push({ label: f("status"), value: statusLabel(query.status) });
    filterValues.status = query.status;
  }
  if (query.days !== undefined) {
    filters.days = query.days;
    filterLabels.push({ label: f("days"), value: t("reports.filters.daysValue", { days: query.days }) });
    filterValues.days = query.days;
  }
  if (query.from !== undefined || query.to !== undefined) {
    filters.from = query.from;
    filters.to = query.to;
    const parts = [query.from && t("reports.filters.periodFrom", { date: formatDate(query.from) }), query.to && t("reports.filters.periodTo", { date: formatDate(query.to) })];
    filterLabels.push({ label: f("period"), value: parts.filter(Boolean).join(" ") });
    if (query.from) filterValues.from = query.from;
    if (query.to) filterValues.to = query.to;
  }
  if (query.type !== undefined) {
    filters.type = query.type;
    filterLabels.push({ label: f("type"), value: nl.audit.recordTypes[query.type] ?? query.type });
    filterValues.type = query.type;
  }
  return { key, referenceDate: query.date ?? today, filters, filterLabels, filterValues };
}

export type BuiltReport = { request: ReportRequest; content: ReportContent; provenance: Provenance };
/** A report whose tables are built but not yet counted and hashed (measureReport does that, in a pass over them). */
export type PreparedReport = { request: ReportRequest; content: ReportContent; provenance: Omit<Provenance, "contentSha256" | "rowCounts"> };

export function reportTitle(key: ReportKey): string {
  return t(`reports.catalogue.${key}.title`);
}

/**
 * Builds the report's tables and its provenance. Reads only; synchronous, so it sees one state of the register:
 * tables as large as the register are built here, the change history is fixed at its newest entry and read later.
 */
export function prepareReport(db: DbOrTx, request: ReportRequest, actor: Actor, now: Date, notes: string[] = []): PreparedReport {
  const definition = REPORTS[request.key];
  const content = definition.build({ db, referenceDate: request.referenceDate, filters: request.filters, settings: getSettings(db) });
  const provenance = {
    boardName: findBoard(db)?.name ?? "",
    reportTitle: reportTitle(request.key),
    description: t(`reports.catalogue.${request.key}.description`),
    referenceDate: request.referenceDate,
    generatedAt: now,
    generatedBy: actor.label,
    filters: request.filterLabels,
    notes: request.key === "history" ? [...notes, chainHead(db)] : notes,
  };
  return { request, content, provenance };
}

/** Counts and hashes the tables (the provenance states both before the rows), batch by batch. */
export async function measureReport(prepared: PreparedReport): Promise<BuiltReport> {
  const measured = await measureContent(prepared.content);
  return { ...prepared, provenance: { ...prepared.provenance, contentSha256: measured.sha256, rowCounts: measured.rowCounts } };
}

export async function buildReport(db: DbOrTx, request: ReportRequest, actor: Actor, now: Date, notes: string[] = []): Promise<BuiltReport> {
  return measureReport(prepareReport(db, request, actor, now, notes));
}

/** The file's name: ibp-applicaties-2026-11-21.xlsx (only [a-z0-9-.]). */
export function fileName(key: ReportKey, referenceDate: string, format: Format): string {
  return `ibp-${t(`reports.catalogue.${key}.file`)}-${referenceDate}.${format}`.replace(/[^a-z0-9.-]/g, "-");
}

/** Writes the report's file to `out`, rows as they are read (out is not ended). */
export async function writeReport(report: BuiltReport, format: Format, out: Writable): Promise<void> {
  switch (format) {
    case "xlsx":
      return writeXlsx(report.content, report.provenance, out);
    case "pdf":
      return writePdf(report.content, report.provenance, out);
    case "csv":
      return writeCsv(mainTable(report), out);
  }
}

/** The report's file in memory: for snapshots, which store it. */
export async function renderReport(report: BuiltReport, format: Format): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  await writeReport(report, format, out);
  return Buffer.concat(chunks);
}

export const mainTable = (report: BuiltReport) => report.content.tables[report.content.main]!;

/** Passes bytes on unchanged, hashing and counting them. */
class Hashing extends Transform {
  private readonly hash = createHash("sha256");
  size = 0;
  sha256 = "";
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    callback(null, chunk);
  }
  override _flush(callback: TransformCallback): void {
    this.sha256 = this.hash.digest("hex");
    callback();
  }
}

export type ReportFile = { path: string; sha256: string; size: number; remove: () => Promise<void> };

/**
 * The report's file in a temporary file (readable by this process's user only), with its SHA-256 and size
 * computed while it was written: the hash goes in a header and the download log before the body is sent, and
 * neither the table nor the file is ever held in memory. The caller removes it.
 */
export async function reportFile(report: BuiltReport, format: Format): Promise<ReportFile> {
  const dir = await mkdtemp(join(tmpdir(), "ibp-report-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const path = join(dir, `report.${format}`);
    const hashing = new Hashing();
    const written = pipeline(hashing, createWriteStream(path, { mode: 0o600 }));
    await writeReport(report, format, hashing);
    hashing.end();
    await written;
    return { path, sha256: hashing.sha256, size: hashing.size, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

export function recordDownload(
  db: DbOrTx,
  download: { actor: Actor; at: Date; report: string; format: Format; referenceDate: string; filters: Record<string, unknown>; sha256: string; size: number; snapshotId?: number },
): void {
  insertDownload(db, {
    at: download.at,
    userId: download.actor.id,
    actor: download.actor.label,
    report: download.report,
    format: download.format,
    referenceDate: download.referenceDate,
    filters: download.filters,
    sha256: download.sha256,
    sizeBytes: download.size,
    snapshotId: download.snapshotId ?? null,
  });
}

// ---------------------------------------------------------------------------------------------
// Frozen snapshots

/** The snapshot's hash: SHA-256 over its files' SHA-256s in order, one per line. */
export function snapshotHash(fileHashes: string[]): string {
  return sha256(fileHashes.map((h) => `${h}\n`).join(""));
}

/**
 * Freezes the register as of now: every report for the whole board, without filters, with today as reference
 * date, in XLSX, CSV and PDF. The tables are read first, in one synchronous pass (one state of the register);
 * then the files are written; then the snapshot, its files and its audit entry are stored in one transaction.
 */
export async function createSnapshot(db: Db, actor: Actor, title: string, now = new Date()) {
  const referenceDate = todayIso(now);
  const note = `${t("reports.provenance.snapshot")}: ${title}`;
  const prepared = db.transaction((tx) =>
    REPORT_KEYS.map((key) => prepareReport(tx, { key, referenceDate, filters: {}, filterLabels: [], filterValues: {} }, actor, now, [note])),
  );
  const files: NewSnapshotFile[] = [];
  for (const unmeasured of prepared) {
    const report = await measureReport(unmeasured);
    for (const format of FORMATS) {
      const content = await renderReport(report, format);
      files.push({
        report: report.request.key,
        format,
        fileName: fileName(report.request.key, referenceDate, format),
        mimeType: MIME_TYPES[format],
        sha256: sha256(content),
        sizeBytes: content.length,
        content,
      });
    }
  }
  return db.transaction((tx) => {
    const snapshot = insertSnapshot(tx, { title, referenceDate, createdAt: now, createdBy: actor.id, actor: actor.label, sha256: snapshotHash(files.map((f) => f.sha256)) }, files);
    recordChange(tx, {
      actor,
      action: "create",
      entityType: "snapshot",
      entityId: snapshot.id,
      summary: t("reports.snapshots.audit", { title, files: files.length }),
      after: { title, referenceDate, sha256: snapshot.sha256, files: files.map((f) => ({ fileName: f.fileName, sha256: f.sha256 })) },
      at: now,
    });
    return snapshot;
  });
}

/** A stored snapshot file, exactly as frozen; the download is recorded with the snapshot. */
export function downloadSnapshotFile(db: Db, actor: Actor, snapshotId: number, fileId: number, now = new Date()) {
  const snapshot = findSnapshot(db, snapshotId);
  const file = snapshot ? findSnapshotFile(db, snapshotId, fileId) : undefined;
  if (!snapshot || !file) throw new NotFoundError();
  recordDownload(db, {
    actor,
    at: now,
    report: file.report,
    format: file.format as Format,
    referenceDate: snapshot.referenceDate,
    filters: {},
    sha256: sha256(file.content),
    size: file.content.length,
    snapshotId,
  });
  return { snapshot, file };
}
