// How one cell is read for one kind of field: Dutch and ISO dates, Excel's own dates and serial numbers,
// ja/nee, amounts as people type them, choices by code or by their Dutch label, and lists. A reader returns
// the value in the form the feature's own schema takes (so the register's rules run on it unchanged), or
// undefined for an empty cell, or throws CellError with a Dutch message for the cell.
import { labels, t } from "../i18n";
import { normaliseHeading, type FieldType } from "./imports.fields";
import { cellText, type Cell } from "./imports.parse";

export class CellError extends Error {}

export type ReadValue = string | boolean | string[] | undefined;

const YES = new Set(["ja", "j", "yes", "y", "true", "waar", "x", "1", "v", "✓", "✔"]);
const NO = new Set(["nee", "n", "no", "false", "onwaar", "0", "-"]);

/** Extra spellings of choices that are neither the code nor the label. */
const EXTRA_CHOICES: Record<string, Record<string, string>> = {
  agreementModels: { "1": "1.0", "2": "2.0", "3": "3.0", "4": "4.0", "vo 1": "1.0", "vo 2": "2.0", "vo 3": "3.0", "vo 4": "4.0", "model vo 1": "1.0", "model vo 2": "2.0", "model vo 3": "3.0", "model vo 4": "4.0", "algemeen model": "algemeen", eigen: "eigen", "eigen model": "eigen" },
  covenant: { deelnemer: "deelnemer", medestander: "medestander", geen: "geen", nee: "geen", "geen deelnemer": "geen" },
  transferMechanisms: { adequaatheid: "adequaatheidsbesluit", "standard contractual clauses": "scc", "data privacy framework": "dpf", "eu us dpf": "dpf" },
  agreementStatuses: { getekend: "ondertekend", "in behandeling": "in_beoordeling" },
  lifecycles: { actief: "in_gebruik", "in gebruik": "in_gebruik", uitfaseren: "uitfaseren", "wordt uitgefaseerd": "uitfaseren", "niet meer in gebruik": "uitgefaseerd" },
  levels: {},
};

/** The code of a choice written as its code, its Dutch label or a common other spelling; undefined if unknown. */
export function choiceCode(group: keyof typeof EXTRA_CHOICES, text: string): string | undefined {
  const wanted = normaliseHeading(text);
  const options = labels(group as "covenant") as Record<string, string>;
  for (const [code, label] of Object.entries(options)) {
    if (normaliseHeading(code) === wanted || normaliseHeading(label) === wanted) return code;
  }
  return EXTRA_CHOICES[group]?.[wanted];
}

/** "31-12-2025", "31/12/2025", "31.12.2025", "2025-12-31" → "2025-12-31"; impossible dates are refused. */
export function parseDutchDate(text: string): string | undefined {
  const s = text.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  let year: number, month: number, day: number;
  if (m) [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else {
    m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(s);
    if (!m) return undefined;
    [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

/** Excel's day numbers (1 = 1900-01-01, with its famous 29 February 1900): 45657 → 2024-12-31. */
function excelSerialDate(serial: number): string | undefined {
  if (!Number.isInteger(serial) || serial < 1 || serial > 2958465) return undefined;
  return new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);
}

/** Items of a list cell: separated by ; or line breaks (or |); when there is none of those, by commas. */
export function splitList(text: string): string[] {
  const separator = /[;\n|]/.test(text) ? /[;\n|]/ : /,/;
  return [...new Set(text.split(separator).map((item) => item.trim()).filter(Boolean))];
}

/** Reads a cell for a field; see the file header. */
export function readCell(cell: Cell | undefined, type: FieldType): ReadValue {
  if (!cell) return undefined;
  if (cell.formula !== undefined) throw new CellError(t("imports.cell.formula", { formula: cell.formula.slice(0, 40) }));
  if (cell.error !== undefined) throw new CellError(cell.error);
  const value = cell.value;
  if (value === null || (typeof value === "string" && value.trim() === "")) return undefined;
  const text = cellText(value).trim();

  if (typeof type === "object") {
    const code = choiceCode(type.enum, text);
    if (!code) {
      const options = Object.values(labels(type.enum as "covenant") as Record<string, string>).join(", ");
      throw new CellError(t("imports.cell.choice", { value: text, options }));
    }
    return code;
  }
  switch (type) {
    case "text":
      return text;
    case "bool": {
      if (typeof value === "boolean") return value;
      const word = text.toLowerCase();
      if (YES.has(word)) return true;
      if (NO.has(word)) return false;
      throw new CellError(t("imports.cell.bool", { value: text }));
    }
    case "eea": {
      const word = text.toLowerCase();
      if (typeof value === "boolean") return value ? "ja" : "nee";
      if (YES.has(word) || word === "binnen" || word === "binnen eer") return "ja";
      if (NO.has(word) || word === "buiten" || word === "buiten eer") return "nee";
      if (word === "onbekend" || word === "?") return "onbekend";
      throw new CellError(t("imports.cell.eea", { value: text }));
    }
    case "date": {
      // exceljs gives a date cell as a Date at midnight UTC of that day.
      const iso = value instanceof Date ? value.toISOString().slice(0, 10) : typeof value === "number" ? excelSerialDate(value) : parseDutchDate(text);
      if (!iso) throw new CellError(t("imports.cell.date", { value: text }));
      return iso;
    }
    case "euros":
      // A number cell is euros as Excel keeps them; two decimals so the feature's own parser reads it as such.
      if (typeof value === "number") return Math.abs(value * 100 - Math.round(value * 100)) < 1e-6 ? value.toFixed(2) : String(value);
      return text;
    case "count":
      return typeof value === "number" ? String(value) : text;
    case "kvk":
      // A KvK number typed into a number cell loses its leading zero: 1234567 was 01234567.
      if (typeof value === "number" && Number.isInteger(value) && value > 0 && value < 1e8) return String(value).padStart(8, "0");
      return text.replace(/[\s.]/g, "");
    case "list":
      return splitList(text);
  }
}
