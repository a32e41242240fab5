// A report as an Excel workbook: first the sheet "Verantwoording" (provenance), then one sheet per table with
// its header row frozen and filtered, real dates and numbers, and column widths. Written with exceljs's
// streaming writer, which commits each row as it goes: the change history can hold tens of thousands of rows.
import type ExcelJS from "exceljs";
import { exceljs } from "../lib/heavy";
import { once } from "node:events";
import { PassThrough, type Writable } from "node:stream";
import { t } from "../i18n";
import { amsterdamParts, batchesOf, drained, type Cell, type ColumnType, type Provenance, type ReportContent } from "./reports.model";

/** Excel refuses cells longer than this. */
const MAX_TEXT = 32_767;

const FORMATS: Partial<Record<ColumnType, string>> = {
  date: "dd-mm-yyyy",
  datetime: "dd-mm-yyyy hh:mm",
  money: '"€" #,##0.00',
};

/** A date as Excel shows it: the calendar date at midnight (Excel has no time zones). */
const excelDate = (iso: string): Date => new Date(`${iso}T00:00:00Z`);
/** A moment as Excel shows it: the wall-clock time in Amsterdam, written as if it were UTC. */
function excelDateTime(ms: number): Date {
  const p = amsterdamParts(ms);
  return new Date(Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s));
}

function excelValue(type: ColumnType, value: Cell): ExcelJS.CellValue {
  if (value === null) return null;
  switch (type) {
    case "date":
      return excelDate(String(value));
    case "datetime":
      return excelDateTime(Number(value));
    case "money":
      return Number(value) / 100;
    case "number":
      return Number(value);
    default:
      return String(value).slice(0, MAX_TEXT);
  }
}

const BOLD = { bold: true };
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE7ECF2" } };

/**
 * Writes the workbook to `out` (not ended), a batch of rows at a time: after each batch it waits until the zip
 * has taken the sheet's XML and `out` has taken the zip's output, so neither holds more than a batch or so.
 */
export async function writeXlsx(content: ReportContent, provenance: Provenance, out: Writable): Promise<void> {
  const zipped = new PassThrough();
  zipped.pipe(out, { end: false });
  const finished = once(zipped, "end");
  const workbook = new (exceljs().stream.xlsx.WorkbookWriter)({ stream: zipped, useStyles: true, useSharedStrings: false });
  workbook.creator = provenance.generatedBy;
  workbook.lastModifiedBy = provenance.generatedBy;
  workbook.created = provenance.generatedAt;
  workbook.modified = provenance.generatedAt;

  writeProvenance(workbook, content, provenance);

  for (const [index, table] of content.tables.entries()) {
    const count = provenance.rowCounts[index]!;
    const sheet = workbook.addWorksheet(table.sheet, { views: [{ state: "frozen", ySplit: 1, xSplit: 0, topLeftCell: "A2", activeCell: "A2" }] });
    sheet.columns = table.columns.map((column) => ({ header: column.label, width: column.width }));
    const header = sheet.getRow(1);
    header.font = BOLD;
    header.eachCell((cell) => {
      cell.fill = HEADER_FILL;
      cell.alignment = { vertical: "top", wrapText: true };
    });
    header.commit();
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, count + 1), column: table.columns.length } };
    const types = table.columns.map((column) => column.type);
    for (const batch of batchesOf(table)) {
      for (const values of batch) {
        const row = sheet.addRow(values.map((value, i) => excelValue(types[i]!, value)));
        types.forEach((type, i) => {
          const format = FORMATS[type];
          if (format && values[i] !== null) row.getCell(i + 1).numFmt = format;
        });
        row.commit();
      }
      await sheetTaken(sheet, out);
    }
    if (count === 0) sheet.addRow([table.empty]).commit();
    sheet.commit();
  }
  await workbook.commit();
  await finished;
}

/**
 * Waits until the zip has read what the sheet wrote: exceljs writes a sheet's XML into a buffer that archiver
 * reads through a PassThrough (the sheet stream's pipe), without backpressure of its own.
 */
async function sheetTaken(sheet: ExcelJS.Worksheet, out: Writable): Promise<void> {
  const pipes = (sheet as unknown as { stream?: { pipes?: Writable[] } }).stream?.pipes ?? [];
  for (const pipe of pipes) await drained(pipe);
  await drained(out);
}

function writeProvenance(workbook: ExcelJS.stream.xlsx.WorkbookWriter, content: ReportContent, p: Provenance): void {
  const tx = (key: string, params?: Record<string, string | number>) => t(`reports.provenance.${key}`, params);
  const sheet = workbook.addWorksheet(tx("sheet"));
  sheet.columns = [{ width: 34 }, { width: 110 }];
  const add = (label: string, value: ExcelJS.CellValue, format?: string) => {
    const row = sheet.addRow([label, value]);
    row.getCell(1).font = BOLD;
    row.getCell(1).alignment = { vertical: "top" };
    row.getCell(2).alignment = { vertical: "top", wrapText: true };
    if (format) row.getCell(2).numFmt = format;
    row.commit();
  };
  const title = sheet.addRow([p.reportTitle]);
  title.font = { bold: true, size: 14 };
  title.commit();
  sheet.addRow([p.description]).commit();
  sheet.addRow([]).commit();
  add(tx("report"), p.reportTitle);
  add(tx("board"), p.boardName);
  add(tx("referenceDate"), excelDate(p.referenceDate), FORMATS.date);
  add(tx("generatedAt"), excelDateTime(p.generatedAt.getTime()), FORMATS.datetime);
  add(tx("generatedBy"), p.generatedBy);
  if (p.filters.length === 0) add(tx("filters"), t("reports.filters.none"));
  p.filters.forEach((f, i) => add(i === 0 ? tx("filters") : "", `${f.label}: ${f.value}`));
  add(tx("contentHash"), p.contentSha256);
  add("", tx("contentHashExplained"));
  add("", tx("fileHashExplained"));
  for (const note of p.notes) add("", note);
  content.tables.forEach((table, i) => add(i === 0 ? tx("tables") : "", tx("tableRows", { title: table.title, rows: p.rowCounts[i]! })));
  sheet.commit();
}
