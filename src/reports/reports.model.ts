// The format-neutral model every report is built as, once: tables of typed columns and rows. The XLSX, CSV
// and PDF writers all work from it, so the three formats of one report always hold the same data, and one
// content hash (over the tables, not the file) identifies that data in all three.
import { createHash } from "node:crypto";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { canonicalJson } from "../audit/audit.chain";

/**
 * date: "YYYY-MM-DD" text; datetime: epoch milliseconds (shown in Amsterdam time); money: integer euro cents;
 * number: a number; text: a string. Every cell may be null (empty).
 */
export type ColumnType = "text" | "date" | "datetime" | "number" | "money";
export type Cell = string | number | null;

export type Column = {
  label: string;
  type: ColumnType;
  /** Width in characters in the spreadsheet. */
  width: number;
  /** Share of the page width in the PDF summary; columns without it are left out of the PDF. */
  pdf?: number;
};

/**
 * Rows read from the database while they are written, never all at once (the change history grows without end).
 * Each batch is read in one go (no statement stays open between batches, when other requests use the
 * connection), and every pass reads the same rows: the first pass counts and hashes them, the second writes them.
 */
export type RowStream = {
  /** The rows in order, in batches of at most BATCH_ROWS; only the first `limit` rows when given (in SQL). */
  batches(limit?: number): Iterable<Cell[][]>;
};

/** How many rows a writer takes at a time, and how many a streamed table reads per query. */
export const BATCH_ROWS = 1000;

export type ReportTable = {
  title: string;
  /** The sheet's name in the workbook: at most 31 characters, none of []:*?/\. */
  sheet: string;
  columns: Column[];
  /** The rows in memory (tables as large as the register), or read in batches (the change history). */
  rows: Cell[][] | RowStream;
  /** Shown (in every format's own way) when the table has no rows. */
  empty: string;
  /** The PDF prints the rows in groups by the values of this column, in order of appearance. */
  pdfGroupBy?: number;
};

export type ReportContent = {
  tables: ReportTable[];
  /** The table a CSV download holds (a CSV file holds one table). */
  main: number;
};

export type Provenance = {
  boardName: string;
  reportTitle: string;
  description: string;
  referenceDate: string;
  generatedAt: Date;
  generatedBy: string;
  /** The filters as people read them: label and value. */
  filters: { label: string; value: string }[];
  /** SHA-256 of the tables' canonical content (measureContent). */
  contentSha256: string;
  /** The number of rows of each table, in order. */
  rowCounts: number[];
  /** Extra lines for the provenance (e.g. the newest hash of the change history). */
  notes: string[];
};

/** Text, date, number... helpers for the report builders. */
export const col = {
  text: (label: string, width = 24, pdf?: number): Column => ({ label, type: "text", width, pdf }),
  date: (label: string, pdf?: number): Column => ({ label, type: "date", width: 12, pdf }),
  datetime: (label: string, pdf?: number): Column => ({ label, type: "datetime", width: 17, pdf }),
  number: (label: string, width = 10, pdf?: number): Column => ({ label, type: "number", width, pdf }),
  money: (label: string, pdf?: number): Column => ({ label, type: "money", width: 14, pdf }),
};

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * A cell as it is hashed: dates as ISO text, moments as ISO 8601 UTC, money as cents. Independent of any file
 * format, so the hash is the same in XLSX, CSV and PDF.
 */
function canonicalCell(type: ColumnType, value: Cell): Cell {
  if (value === null) return null;
  if (type === "datetime") {
    const d = new Date(value as number);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, "0")}Z`;
  }
  return value;
}

/** A table's rows in batches of at most BATCH_ROWS, only the first `limit` when given. */
export function* batchesOf(table: ReportTable, limit = Number.POSITIVE_INFINITY): Generator<Cell[][]> {
  if (!Array.isArray(table.rows)) {
    yield* table.rows.batches(Number.isFinite(limit) ? limit : undefined);
    return;
  }
  const end = Math.min(limit, table.rows.length);
  for (let start = 0; start < end; start += BATCH_ROWS) yield table.rows.slice(start, Math.min(end, start + BATCH_ROWS));
}

/** Lets other requests run between batches of a long pass. */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Waits until `stream` has taken what it was given (when it asked to wait), then lets other requests run. Also
 * for the streams of the readable-stream package (inside archiver, under exceljs), which lack writableNeedDrain.
 */
export async function drained(stream: Writable): Promise<void> {
  const state = (stream as unknown as { _writableState?: { needDrain?: boolean } })._writableState;
  if (stream.writableNeedDrain ?? state?.needDrain) await once(stream, "drain");
  await nextTurn();
}

/** Writes a chunk and waits as drained() does. */
export async function writeChunk(out: Writable, chunk: string | Buffer): Promise<void> {
  out.write(chunk);
  await drained(out);
}

/**
 * SHA-256 over the report's tables: for each table its title, its columns (label and type) and its rows, as
 * canonical JSON in UTF-8. Two downloads of the same data give the same hash, whatever the format or moment.
 * One pass over the rows, batch by batch (other requests run in between), which also counts them.
 */
export async function measureContent(content: ReportContent): Promise<{ sha256: string; rowCounts: number[] }> {
  const hash = createHash("sha256");
  const rowCounts: number[] = [];
  hash.update("[");
  for (const [i, table] of content.tables.entries()) {
    if (i > 0) hash.update(",");
    const columns = table.columns.map((c) => ({ label: c.label, type: c.type }));
    hash.update(`{"columns":${canonicalJson(columns)},"rows":[`);
    let r = 0;
    for (const batch of batchesOf(table)) {
      for (const row of batch) {
        hash.update(`${r > 0 ? "," : ""}${canonicalJson(row.map((cell, k) => canonicalCell(table.columns[k]!.type, cell)))}`);
        r += 1;
      }
      if (!Array.isArray(table.rows)) await nextTurn();
    }
    rowCounts.push(r);
    hash.update(`],"title":${JSON.stringify(table.title)}}`);
  }
  hash.update("]");
  return { sha256: hash.digest("hex"), rowCounts };
}

export const sha256 = (bytes: Buffer | string): string => createHash("sha256").update(bytes).digest("hex");

/** The wall-clock time in Amsterdam of a moment, and "2026-11-21 14:05" as CSV shows a moment: src/lib/amsterdam.ts. */
export { amsterdamParts, amsterdamIsoDateTime as isoDateTime } from "../lib/amsterdam";

/** Yes/no as the reports write it. */
export const yesNo = (value: boolean | null | undefined, yes: string, no: string): string | null => (value === null || value === undefined ? null : value ? yes : no);
