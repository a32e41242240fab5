// Reads an uploaded file into rows of cells, without trusting its name or declared type: the content decides
// whether it is an XLSX workbook (a ZIP with xl/workbook.xml) or CSV text (UTF-8, ";" or ","). Everything a
// file can do wrong at file level throws ImportFileError with a Dutch message; what is wrong in one cell
// (a formula, an error value) is kept on the cell, so the preview can report it at its row and column.
import { parse as parseCsv } from "csv-parse/sync";
import type ExcelJS from "exceljs";
import { exceljs } from "../lib/heavy";
import { inflateRawSync } from "node:zlib";
import { t } from "../i18n";

export type CellValue = string | number | boolean | Date | null;
/** A cell: its value, or the formula it holds, or what is wrong with it (a Dutch message). */
export type Cell = { value: CellValue; formula?: string; error?: string };
/**
 * A row: its number in the file, its cells under the headings, and, when it has more cells than the file has
 * headings, what is wrong (a Dutch message for the whole row: its cells no longer line up with their headings).
 */
export type SheetRow = { number: number; cells: Cell[]; tooLong?: string };
export type ParsedSheet = {
  format: "xlsx" | "csv";
  headers: string[];
  rows: SheetRow[];
  /** Row numbers of empty rows between data rows: skipped, and the preview says so. */
  emptyRows: number[];
};

export class ImportFileError extends Error {}

/** Limits beyond the upload size: a small ZIP can unpack to gigabytes, and a preview of 50.000 rows helps no one. */
export const MAX_ROWS = 5000;
export const MAX_COLUMNS = 100;
/**
 * exceljs holds the whole workbook in memory at about 4.5 times its unpacked size (measured: 17.8 MB unpacked,
 * 5,000 rows of 30 columns, took 80 MB of heap). 20 MB unpacked stays well inside the register's heap limit
 * (--max-old-space-size in the start script) and holds 5,000 rows (MAX_ROWS) of a real register many times over.
 */
const MAX_UNZIPPED_BYTES = 20 * 1024 * 1024;
const MAX_CELL_LENGTH = 10_000;

const EXPLANATION_SHEETS = new Set(["toelichting", "uitleg", "instructie", "instructies"]);

export async function parseSheet(content: Buffer): Promise<ParsedSheet> {
  if (content.length === 0) throw new ImportFileError(t("imports.file.empty"));
  if (isZip(content)) return parseXlsx(content);
  if (isOle(content)) throw new ImportFileError(t("imports.file.oldExcel"));
  return parseCsvText(content);
}

const isZip = (b: Buffer) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
/** The old binary .xls (and .doc) format: an OLE2 compound file. */
const isOle = (b: Buffer) => b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));

/**
 * The entries of a ZIP file from its central directory: name, declared unpacked size, and where the packed data
 * is. Read before exceljs unpacks anything, so a ZIP that is not a workbook (a .docx, a renamed archive) is
 * recognised. The declared sizes are not trusted: unpackedSize inflates every entry to count its real bytes.
 */
export type ZipEntry = { name: string; size: number; method: number; packedSize: number; localOffset: number };

export function zipEntries(b: Buffer): ZipEntry[] {
  const minEnd = Math.max(0, b.length - 22 - 0xffff);
  let end = -1;
  for (let i = b.length - 22; i >= minEnd; i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ImportFileError(t("imports.file.notSpreadsheet"));
  const count = b.readUInt16LE(end + 10);
  let offset = b.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (offset + 46 > b.length || b.readUInt32LE(offset) !== 0x02014b50) throw new ImportFileError(t("imports.file.notSpreadsheet"));
    const method = b.readUInt16LE(offset + 10);
    const packedSize = b.readUInt32LE(offset + 20);
    const size = b.readUInt32LE(offset + 24);
    const nameLength = b.readUInt16LE(offset + 28);
    const extraLength = b.readUInt16LE(offset + 30);
    const commentLength = b.readUInt16LE(offset + 32);
    const localOffset = b.readUInt32LE(offset + 42);
    const name = b.subarray(offset + 46, offset + 46 + nameLength).toString("utf8");
    // 0xffffffff means the real size is in a ZIP64 record: far beyond any spreadsheet we accept.
    entries.push({ name, size: size === 0xffffffff ? Number.MAX_SAFE_INTEGER : size, method, packedSize, localOffset });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * The real unpacked size of all entries together, inflating each with a cap on its output: a ZIP whose headers
 * understate its sizes (a "zip bomb") is stopped at the limit instead of being unpacked by exceljs into the heap.
 * Returns a number above `limit` as soon as the limit is passed.
 */
export function unpackedSize(b: Buffer, entries: ZipEntry[], limit: number): number {
  let total = 0;
  for (const entry of entries) {
    const local = entry.localOffset;
    if (local + 30 > b.length || b.readUInt32LE(local) !== 0x04034b50) throw new ImportFileError(t("imports.file.notSpreadsheet"));
    const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    const packed = b.subarray(start, Math.min(b.length, start + entry.packedSize));
    if (entry.method === 0) total += packed.length;
    else if (entry.method === 8) {
      try {
        total += inflateRawSync(packed, { maxOutputLength: limit - total + 1 }).length;
      } catch (err) {
        if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") return limit + 1;
        throw new ImportFileError(t("imports.file.unreadable"));
      }
    } else throw new ImportFileError(t("imports.file.unreadable"));
    if (total > limit) return total;
  }
  return total;
}

async function parseXlsx(content: Buffer): Promise<ParsedSheet> {
  const entries = zipEntries(content);
  if (!entries.some((e) => e.name === "xl/workbook.xml")) throw new ImportFileError(t("imports.file.notSpreadsheet"));
  // The declared sizes first (cheap), then the real ones: headers can lie.
  if (entries.reduce((sum, e) => sum + e.size, 0) > MAX_UNZIPPED_BYTES || unpackedSize(content, entries, MAX_UNZIPPED_BYTES) > MAX_UNZIPPED_BYTES) {
    throw new ImportFileError(t("imports.file.tooBigUnpacked"));
  }
  const workbook = new (exceljs().Workbook)();
  try {
    // exceljs's typings want its own Buffer type; a Node Buffer is what it reads.
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw new ImportFileError(t("imports.file.unreadable"));
  }
  const sheet = workbook.worksheets.find((ws) => !EXPLANATION_SHEETS.has(ws.name.trim().toLowerCase()) && ws.actualRowCount > 0);
  if (!sheet) throw new ImportFileError(t("imports.file.noRows"));
  if (sheet.actualRowCount > MAX_ROWS + 1) throw new ImportFileError(t("imports.file.tooManyRows", { max: MAX_ROWS }));
  if (sheet.actualColumnCount > MAX_COLUMNS) throw new ImportFileError(t("imports.file.tooManyColumns", { max: MAX_COLUMNS }));
  const columns = Math.min(sheet.columnCount, MAX_COLUMNS);
  // Only rows that exist in the file: a formatted cell far down must not make us walk a million empty rows.
  const lines: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    const cells: Cell[] = [];
    for (let col = 1; col <= columns; col++) cells.push(readXlsxCell(row.getCell(col)));
    lines.push({ number, cells });
  });
  return fromLines("xlsx", lines);
}

function readXlsxCell(cell: ExcelJS.Cell): Cell {
  const value = cell.value;
  if (cell.type === exceljs().ValueType.Formula || (value !== null && typeof value === "object" && ("formula" in value || "sharedFormula" in value))) {
    return { value: null, formula: `=${cell.formula ?? ""}` };
  }
  if (value === null || value === undefined) return { value: null };
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value instanceof Date) return { value };
  if ("richText" in value) return { value: value.richText.map((part) => part.text).join("") };
  if ("text" in value && typeof value.text === "string") return { value: value.text };
  if ("error" in value) return { value: null, error: t("imports.cell.errorValue", { value: String(value.error) }) };
  return { value: null, error: t("imports.cell.errorValue", { value: "?" }) };
}

function decodeUtf8(content: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    throw new ImportFileError(t("imports.file.notUtf8"));
  }
}

/** ";" when the first line has more of them than commas (Dutch Excel writes ";"), else ",". Quotes are skipped. */
export function guessDelimiter(text: string): ";" | "," {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  const unquoted = firstLine.replace(/"[^"]*"/g, "");
  const count = (ch: string) => unquoted.split(ch).length - 1;
  return count(";") >= count(",") && count(";") > 0 ? ";" : ",";
}

/**
 * A CSV cell that a spreadsheet program would run as a formula ("formula injection"): it starts with =, or
 * with +, -, @ and is not simply a number, amount, date or phone number.
 */
export function looksLikeFormula(value: string): boolean {
  const v = value.trimStart();
  if (v.startsWith("=")) return true;
  if (!/^[+\-@]/.test(v)) return false;
  return !/^[+-]?[\d\s.,€()/-]*$/.test(v);
}

function parseCsvText(content: Buffer): ParsedSheet {
  // A NUL byte means binary content (an image, a PDF), not text.
  if (content.subarray(0, 8192).includes(0)) throw new ImportFileError(t("imports.file.notSpreadsheet"));
  const text = decodeUtf8(content).replace(/^\uFEFF/, "");
  if (text.trim() === "") throw new ImportFileError(t("imports.file.empty"));
  let records: string[][];
  try {
    records = parseCsv(text, { delimiter: guessDelimiter(text), relax_column_count: true, skip_empty_lines: false, max_record_size: 1_000_000 }) as string[][];
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new ImportFileError(line ? t("imports.file.csvBrokenAt", { line }) : t("imports.file.csvBroken"));
  }
  if (records.length > MAX_ROWS + 1) throw new ImportFileError(t("imports.file.tooManyRows", { max: MAX_ROWS }));
  if (records.some((record) => record.length > MAX_COLUMNS && record.slice(MAX_COLUMNS).some((v) => v.trim() !== ""))) {
    throw new ImportFileError(t("imports.file.tooManyColumns", { max: MAX_COLUMNS }));
  }
  const lines = records.map((record, index) => ({
    number: index + 1,
    cells: record.slice(0, MAX_COLUMNS).map((raw): Cell => (looksLikeFormula(raw) ? { value: null, formula: raw.trim() } : { value: raw })),
  }));
  return fromLines("csv", lines);
}

export const isEmptyCell = (cell: Cell | undefined) =>
  !cell || (cell.formula === undefined && cell.error === undefined && (cell.value === null || (typeof cell.value === "string" && cell.value.trim() === "")));
const isEmptyRow = (row: SheetRow) => row.cells.every(isEmptyCell);

/**
 * Why a row does not fit under the headings, or undefined. A CSV row with more cells than the heading row (most
 * often a ";" typed in a value without quotes) has every cell after that point under the wrong heading: cutting
 * it to size would import the wrong values silently. In either format, a value under no heading is refused too.
 */
function tooLong(row: SheetRow, header: SheetRow, headings: number): string | undefined {
  if (row.cells.length > header.cells.length) return t("imports.row.tooManyCells", { cells: row.cells.length, headings });
  const beyond = row.cells.findIndex((cell, index) => index >= headings && !isEmptyCell(cell));
  return beyond < 0 ? undefined : t("imports.row.cellWithoutHeading", { column: columnLetter(beyond) });
}

/**
 * The first non-empty row is the header; empty rows are skipped, and those between data rows are reported (a
 * row number missing from an XLSX file is an empty row too). Lines are in row order.
 */
function fromLines(format: ParsedSheet["format"], lines: SheetRow[]): ParsedSheet {
  const headerIndex = lines.findIndex((row) => !isEmptyRow(row));
  if (headerIndex < 0) throw new ImportFileError(t("imports.file.noRows"));
  const header = lines[headerIndex]!;
  const headers = header.cells.map((cell) => (cell.value === null ? "" : cellText(cell.value)).trim());
  while (headers.length && headers[headers.length - 1] === "") headers.pop();
  if (headers.length === 0) throw new ImportFileError(t("imports.file.noRows"));
  const rows: SheetRow[] = [];
  const emptyRows: number[] = [];
  let previous = header.number;
  for (const row of lines.slice(headerIndex + 1)) {
    if (isEmptyRow(row)) continue;
    for (let n = previous + 1; n < row.number; n++) emptyRows.push(n);
    previous = row.number;
    rows.push({ number: row.number, cells: row.cells.slice(0, headers.length), tooLong: tooLong(row, header, headers.length) });
  }
  if (rows.length === 0) throw new ImportFileError(t("imports.file.noRows"));
  if (rows.length > MAX_ROWS || emptyRows.length > MAX_ROWS) throw new ImportFileError(t("imports.file.tooManyRows", { max: MAX_ROWS }));
  for (const row of rows) {
    for (const cell of row.cells) {
      if (typeof cell.value === "string" && cell.value.length > MAX_CELL_LENGTH) cell.error = t("imports.cell.tooLong", { max: MAX_CELL_LENGTH });
    }
  }
  return { format, headers, rows, emptyRows };
}

/** A cell's value as text, for headings and for showing it back. */
export function cellText(value: CellValue): string {
  if (value === null) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

/** Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = "";
  while (n > 0) {
    const rest = (n - 1) % 26;
    out = String.fromCharCode(65 + rest) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}
