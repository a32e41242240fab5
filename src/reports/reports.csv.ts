// A report's main table as CSV the way Dutch Excel opens it: UTF-8 with a byte order mark, ";" between
// fields, CRLF between records, decimal comma for amounts. Cells that a spreadsheet would take for a formula
// (starting with =, +, -, @, tab or CR) get a leading apostrophe (csv-stringify's escape_formulas), so a name
// typed into the register cannot run as a formula on an auditor's machine. No comment lines: the file is a
// clean table; the provenance travels in the response headers and the download log.
import { stringify } from "csv-stringify/sync";
import { isoDateTime, type Cell, type ColumnType, type ReportTable } from "./reports.model";

const ROWS_PER_CHUNK = 1000;

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
 * The CSV text of a table in chunks of rows. Deterministic: the same table gives the same bytes, so a download
 * can hash the chunks first (for the X-Content-SHA256 header) and then stream them.
 */
export function* csvChunks(table: ReportTable): Generator<string> {
  const options = { delimiter: ";", escape_formulas: true, record_delimiter: "windows" as const };
  yield stringify([table.columns.map((c) => c.label)], { ...options, bom: true });
  const types = table.columns.map((c) => c.type);
  for (let start = 0; start < table.rows.length; start += ROWS_PER_CHUNK) {
    const records = table.rows.slice(start, start + ROWS_PER_CHUNK).map((row) => row.map((value, i) => csvValue(types[i]!, value)));
    yield stringify(records, options);
  }
}

export function writeCsv(table: ReportTable): Buffer {
  return Buffer.from([...csvChunks(table)].join(""), "utf8");
}
