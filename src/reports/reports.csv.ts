// A report's main table as CSV the way Dutch Excel opens it: UTF-8 with a byte order mark, ";" between
// fields, CRLF between records, decimal comma for amounts. Cells that a spreadsheet would take for a formula
// (starting with =, +, -, @, tab or CR) get a leading apostrophe (csv-stringify's escape_formulas), so a name
// typed into the register cannot run as a formula on an auditor's machine. No comment lines: the file is a
// clean table; the provenance travels in the response headers and the download log.
import { stringify } from "csv-stringify/sync";
import type { Writable } from "node:stream";
import { batchesOf, isoDateTime, writeChunk, type Cell, type ColumnType, type ReportTable } from "./reports.model";

function csvValue(type: ColumnType, value: Cell): string | number | null {
  if (value === null) return null;
  switch (type) {
    case "money":
      // Cents as euros with a decimal comma and no thousands separator: "1234,50".
      return (Number(value) / 100).toFixed(2).replace(".", ",");
    case "datetime":
      return isoDateTime(Number(value));
    case "number":
      return Number(value);
    default:
      return String(value);
  }
}

/**
 * The CSV text of a table in chunks, one per batch of rows (a streamed table is read batch by batch as the chunks
 * are taken). Deterministic: the same rows give the same bytes.
 */
export function* csvChunks(table: ReportTable): Generator<string> {
  const options = { delimiter: ";", escape_formulas: true, record_delimiter: "windows" as const };
  yield stringify([table.columns.map((c) => c.label)], { ...options, bom: true });
  const types = table.columns.map((c) => c.type);
  for (const batch of batchesOf(table)) {
    yield stringify(
      batch.map((row) => row.map((value, i) => csvValue(types[i]!, value))),
      options,
    );
  }
}

/** Writes the CSV of a table to `out` chunk by chunk, waiting whenever `out` asks to (it is not ended). */
export async function writeCsv(table: ReportTable, out: Writable): Promise<void> {
  for (const chunk of csvChunks(table)) await writeChunk(out, chunk);
}
