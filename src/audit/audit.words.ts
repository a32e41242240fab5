// The change history in words: what an entry changed, with Dutch field names, ids resolved to the names records
// have now, enumeration values as their labels, dates as Dutch dates, yes/no as ja/nee, and a list change as
// what was added and what was removed. Presentation only: the entries themselves (and their hashes) stay as stored.
import type { DbOrTx } from "../db/client";
import { labelOf, nl, t } from "../i18n";
import { formatDate, formatDateTime, formatEuros } from "../lib/format";
import { canonicalJson } from "./audit.chain";
import { findRecord, formatOf, RECORD_TYPES, type FieldFormat, type Names } from "./audit.records";

/** Fields that say nothing to a reader of the history: bookkeeping (a used one-time code's step among it). */
const BOOKKEEPING = new Set(["id", "version", "createdAt", "updatedAt", "totpLastStep"]);
/** Secrets, whatever record holds them: password and token hashes, one-time-password secrets, recovery codes. */
const SECRET = /hash$|secret|recoveryCodes/i;

export function isHiddenField(field: string): boolean {
  return BOOKKEEPING.has(field) || SECRET.test(field);
}

export type Change = {
  field: string;
  fieldName: string;
  /** The old and new value in words ("" for none); for a list, every item joined. */
  before: string;
  after: string;
  /** The entry created the record: there is no "before" to show, only what it set. */
  created: boolean;
  /** For a list: the items added and removed, in words. */
  list: boolean;
  added: string[];
  removed: string[];
};

/**
 * Names of records by type and id, looked up once per page. A record that no longer exists is "#id (verwijderd)";
 * a record type without a name stays "#id".
 */
export class RecordNames implements Names {
  private readonly cache = new Map<string, string>();
  private readonly rows = new Map<string, Record<string, unknown> | undefined>();
  constructor(private readonly db: DbOrTx) {}

  of(type: string, id: unknown): string {
    if (id === null || id === undefined || id === "") return "";
    const key = `${type}:${String(id)}`;
    let name = this.cache.get(key);
    if (name === undefined) {
      // Put a placeholder first: a name that refers back to this record cannot loop.
      this.cache.set(key, `#${String(id)}`);
      name = this.lookUp(type, id);
      this.cache.set(key, name);
    }
    return name;
  }

  /** The current row of a record, or undefined when it is gone (or its type has no table). */
  row(type: string, id: unknown): Record<string, unknown> | undefined {
    const number = Number(id);
    if (id === null || id === undefined || !Number.isSafeInteger(number)) return undefined;
    const key = `${type}:${number}`;
    if (!this.rows.has(key)) this.rows.set(key, findRecord(this.db, type, number));
    return this.rows.get(key);
  }

  private lookUp(type: string, id: unknown): string {
    const recordType = RECORD_TYPES[type];
    if (!recordType?.table || !recordType.name) return `#${String(id)}`;
    const row = this.row(type, id);
    return row ? recordType.name(row, this) || `#${String(id)}` : t("audit.deleted", { id: String(id) });
  }
}

/** The Dutch name of a field of a record type: nl.audit.fields[type], then nl[textGroup].fields, then nl.fields. */
export function fieldNameOf(entityType: string, field: string, textGroup?: string): string {
  const group = RECORD_TYPES[entityType]?.textGroup ?? textGroup;
  const own = nl.audit.fields[entityType]?.[field];
  const feature = group ? (nl as unknown as Record<string, { fields?: Record<string, string> }>)[group]?.fields?.[field] : undefined;
  return own ?? feature ?? (nl.fields as Record<string, string>)[field] ?? field;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;
const EMBEDDED_DATE = /\b(\d{4})-(\d{2})-(\d{2})\b/g;

/** A label from a value list; a list the texts do not have (or a value it does not know) shows the value itself. */
function label(group: string, code: string): string {
  try {
    return labelOf(group, code);
  } catch {
    return code;
  }
}

/** A value in words, whatever its field: yes/no, dates, numbers, text; lists and objects item by item. */
function plainWords(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? t("audit.yes") : t("audit.no");
  if (typeof value === "string") {
    if (ISO_DATE.test(value)) return formatDate(value);
    if (ISO_DATE_TIME.test(value)) return formatDateTime(new Date(value));
    return value;
  }
  if (Array.isArray(value)) return value.map(plainWords).join(", ");
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => `${key}: ${plainWords(item)}`)
      .join("; ");
  }
  return String(value);
}

/** One item of a list (or a single value with a format) in words. */
function itemWords(item: unknown, format: FieldFormat | undefined, names: RecordNames): string {
  if (item === null || item === undefined) return "";
  switch (format?.kind) {
    case "enum":
    case "codes":
      return label(format.group, String(item));
    case "ref":
      return names.of(format.type, item);
    case "euros":
      return formatEuros(item);
    case "dataLines": {
      // "12:3 (purpose)": category 12 for data subject 3, with the purpose typed (if any).
      const match = /^(\d+):(\d+)(?: \((.*)\))?$/s.exec(String(item));
      if (!match) return String(item);
      const line = `${names.of("data_category", match[1])} – ${names.of("data_subject", match[2])}`;
      return match[3] ? `${line} (${match[3]})` : line;
    }
    case "measureLines": {
      const match = /^(.*): (\w+)$/.exec(String(item));
      return match ? `${match[1]}: ${label("measureStatuses", match[2]!)}` : String(item);
    }
    case "subProcessors": {
      if (typeof item !== "object") return String(item);
      const s = item as { name?: string; service?: string | null; country?: string | null; inEea?: boolean };
      const where = [s.country, s.inEea === false ? t("audit.subProcessorOutsideEea") : undefined].filter(Boolean).join(", ");
      return `${s.name ?? ""}${s.service ? ` – ${s.service}` : ""}${where ? ` (${where})` : ""}`;
    }
    case "fileNames":
      return typeof item === "object" ? String((item as { fileName?: unknown }).fileName ?? "") : String(item);
    default:
      // Lines stored as text may carry ISO dates ("Basisschool De Es vanaf 2024-08-01").
      return typeof item === "string" && !ISO_DATE.test(item) && !ISO_DATE_TIME.test(item) ? item.replace(EMBEDDED_DATE, "$3-$2-$1") : plainWords(item);
  }
}

/** A whole value in words. */
function valueWords(value: unknown, format: FieldFormat | undefined, names: RecordNames): string {
  if (value === null || value === undefined || value === "") return "";
  if (Array.isArray(value)) return value.map((item) => itemWords(item, format, names)).join(", ");
  switch (format?.kind) {
    case "answers": {
      if (typeof value !== "object") return String(value);
      const questions = nl.classifications.questions as unknown as Record<string, Record<string, string> | undefined>;
      return Object.entries(value as Record<string, unknown>)
        .map(([question, answer]) => `${questions[question]?.legend ?? `${question}:`} ${questions[question]?.[String(answer)] ?? String(answer)}`)
        .join(" ");
    }
    case "importCounts": {
      if (typeof value !== "object") return String(value);
      const counts = value as Record<string, unknown>;
      const n = (key: string) => (typeof counts[key] === "number" ? (counts[key] as number) : 0);
      return t("audit.importCounts", { new: n("new"), changed: n("changed"), unchanged: n("unchanged") });
    }
    case undefined:
      return plainWords(value);
    default:
      return itemWords(value, format, names);
  }
}

/** Nothing worth showing for a field a creation sets: empty, false, an empty list. */
const blank = (value: unknown) => value === null || value === undefined || value === "" || value === false || (Array.isArray(value) && value.length === 0);

/**
 * What one entry changed, field by field, in words. For an entry without "before" (a creation) the fields it set;
 * for one without "after" (a deletion) nothing. A list (ids, lines) shows the items added and removed rather than
 * the whole list twice. `textGroup` names fields of record types the registry does not know.
 */
export function describeChanges(
  entry: { entityType: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null },
  names: RecordNames,
  textGroup?: string,
): Change[] {
  if (!entry.after || typeof entry.after !== "object") return [];
  const creation = !entry.before || typeof entry.before !== "object";
  const before = creation ? {} : entry.before!;
  const after = entry.after;
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((field) => !isHiddenField(field));
  const changes: Change[] = [];
  for (const field of fields) {
    const old = before[field] ?? null;
    const now = after[field] ?? null;
    if (canonicalJson(old) === canonicalJson(now)) continue;
    if (creation && blank(now)) continue;
    const format = formatOf(entry.entityType, field);
    const fieldName = fieldNameOf(entry.entityType, field, textGroup);
    const base = { field, fieldName, created: creation, before: valueWords(old, format, names), after: valueWords(now, format, names) };
    if (Array.isArray(old) || Array.isArray(now)) {
      const oldItems = Array.isArray(old) ? old : [];
      const newItems = Array.isArray(now) ? now : [];
      const oldKeys = new Set(oldItems.map((item) => canonicalJson(item)));
      const newKeys = new Set(newItems.map((item) => canonicalJson(item)));
      const added = newItems.filter((item) => !oldKeys.has(canonicalJson(item))).map((item) => itemWords(item, format, names));
      const removed = oldItems.filter((item) => !newKeys.has(canonicalJson(item))).map((item) => itemWords(item, format, names));
      // The same items in another order: nothing a reader needs to see.
      if (added.length === 0 && removed.length === 0) continue;
      changes.push({ ...base, list: true, added, removed });
    } else {
      changes.push({ ...base, list: false, added: [], removed: [] });
    }
  }
  return changes;
}
