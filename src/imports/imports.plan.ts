// The preview of an import: every row read, matched on its natural key (supplier by KvK number or name,
// application by name and supplier, agreement by reference and supplier, school by BRIN and vestiging),
// and judged new, changed (with the differences per field), unchanged or wrong (a Dutch message per cell).
//
// A row becomes the same input the register's own forms produce, checked by the feature's own schema and
// saved by the feature's own service, so an import obeys exactly the rules (and writes exactly the audit
// entries) of the screens. An empty cell leaves the stored value as it is; a new record gets the form's
// default there. The plan is computed again inside the commit's transaction: what is written is what the
// database holds at that moment, and the fingerprint tells whether that still is what the user saw.
import { createHash } from "node:crypto";
import type { z } from "zod";
import { agreementCreate, agreementUpdate } from "../agreements/agreements.schemas";
import { createAgreement, updateAgreement } from "../agreements/agreements.service";
import { applicationInput, type ApplicationDataInput, type ApplicationSchoolsInput } from "../applications/applications.schemas";
import { createApplication, updateApplication, updateApplicationData, updateApplicationSchools } from "../applications/applications.service";
import type { Actor } from "../audit/audit.service";
import type { Db } from "../db/client";
import { labelOf, t } from "../i18n";
import { formatDate, formatEuros } from "../lib/format";
import { supplierInput } from "../suppliers/suppliers.schemas";
import { createSupplier, updateSupplier } from "../suppliers/suppliers.service";
import { eeaSideOf } from "./imports.countries";
import { fieldsOf, fieldSpec, headingOf, normaliseHeading, normaliseName, type ImportKind } from "./imports.fields";
import type { Mapping } from "./imports.mapping";
import { isEmptyCell, type ParsedSheet, type SheetRow } from "./imports.parse";
import {
  appKey,
  loadAgreements,
  loadApplications,
  loadReferenceLists,
  loadSuppliers,
  type Agreement,
  type Application,
  type ApplicationLookup,
  type ReferenceLists,
  type Supplier,
  type SupplierLookup,
} from "./imports.repository";
import { CellError, readCell, type ReadValue } from "./imports.values";

export type RowStatus = "new" | "changed" | "unchanged" | "wrong";
export type RowIssue = { column: number | null; message: string };
export type FieldChange = { field: string; label: string; before: string; after: string };
/** A value a new record gets that the file does not give: the form's default, shown in the preview as such. */
export type DefaultValue = { field: string; label: string; value: string };
export type PlannedRow = {
  number: number;
  status: RowStatus;
  label: string;
  issues: RowIssue[];
  changes: FieldChange[];
  /** New rows: what the import fills in by default. */
  defaults?: DefaultValue[];
  /** What the commit does for this row (new and changed rows only). */
  apply?: (db: Db, actor: Actor) => void;
};
export type ImportCounts = { new: number; changed: number; unchanged: number; wrong: number; skipped: number };
/** A column of the file that feeds no field: its content is not imported, and the preview says so. */
export type IgnoredColumn = { index: number; heading: string };
export type ImportPlan = {
  kind: ImportKind;
  rows: PlannedRow[];
  counts: ImportCounts;
  emptyRows: number[];
  ignoredColumns: IgnoredColumn[];
  fingerprint: string;
};

type Form = Record<string, unknown>;
type Shape = Record<string, z.ZodType>;

const lower = normaliseName;
const sortedIds = (ids: number[]) => [...new Set(ids)].sort((a, b) => a - b);
const sameIds = (a: number[], b: number[]) => sortedIds(a).join() === sortedIds(b).join();

// ---------------------------------------------------------------------------------------------
// Reading a row

/** The values of one row by import field, and the problems found so far, each at its column. */
class RowReader {
  readonly values = new Map<string, ReadValue>();
  readonly issues: RowIssue[] = [];

  constructor(
    readonly kind: ImportKind,
    private readonly mapping: Mapping,
    row: SheetRow,
  ) {
    if (row.tooLong) this.issues.push({ column: null, message: row.tooLong });
    mapping.forEach((key, index) => {
      if (!key) return;
      const spec = fieldSpec(kind, key);
      if (!spec) return;
      try {
        const value = readCell(row.cells[index], spec.type);
        if (value !== undefined && !(Array.isArray(value) && value.length === 0)) this.values.set(key, value);
      } catch (err) {
        if (!(err instanceof CellError)) throw err;
        this.issues.push({ column: index, message: err.message });
      }
    });
    for (const spec of fieldsOf(kind)) {
      const column = this.column(spec.key);
      if (spec.required && !this.values.has(spec.key) && !this.issues.some((i) => i.column === column)) this.issue(spec.key, t("imports.cell.required"));
    }
  }

  column(key: string): number | null {
    const index = this.mapping.indexOf(key);
    return index < 0 ? null : index;
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  text(key: string): string | undefined {
    const value = this.values.get(key);
    return typeof value === "string" ? value : undefined;
  }

  list(key: string): string[] | undefined {
    const value = this.values.get(key);
    return Array.isArray(value) ? value : undefined;
  }

  /** A problem at the field's column; when the file has no such column, the message names the field. */
  issue(key: string, message: string): void {
    const column = this.column(key);
    const label = fieldSpec(this.kind, key) ? headingOf(this.kind, key) : undefined;
    this.issues.push({ column, message: column === null && label ? `${label}: ${message}` : message });
  }

  /** The file's values for these fields, as form values under the schema's keys (only cells that are filled). */
  overlay(pairs: [field: string, schemaKey: string][]): Form {
    const out: Form = {};
    for (const [field, schemaKey] of pairs) if (this.values.has(field)) out[schemaKey] = this.values.get(field);
    return out;
  }

  /** The schema's messages, each at the column of the field it belongs to. */
  schemaIssues(error: z.ZodError, fieldOf: Record<string, string>): void {
    for (const issue of error.issues) {
      const schemaKey = String(issue.path[0] ?? "");
      const field = fieldOf[schemaKey] ?? schemaKey;
      if (fieldSpec(this.kind, field)) this.issue(field, issue.message);
      else this.issues.push({ column: null, message: issue.message });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Comparing

type Compared = { key: string; field: string; show: (value: unknown) => string };

const showText = (v: unknown) => (v === undefined || v === null ? "" : String(v));
const showBool = (v: unknown) => (v ? t("common.yes") : t("common.no"));
const showChoice = (group: string) => (v: unknown) => (v === undefined || v === null || v === "" ? "" : labelOf(group, String(v)));
const showDate = (v: unknown) => formatDate(v);
const showEuros = (v: unknown) => formatEuros(v);
const showNames = (nameOf: (id: number) => string) => (v: unknown) =>
  (Array.isArray(v) ? (v as number[]) : []).map(nameOf).sort((a, b) => a.localeCompare(b, "nl")).join("; ");

const normalised = (value: unknown) => JSON.stringify(Array.isArray(value) ? [...value].sort() : (value ?? null));

/** The fields whose value differs, each read by the feature's own schema so "1.250,00" equals 125000 cents. */
function differences(kind: ImportKind, shape: Shape, compared: Compared[], current: Form, desired: Form): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const { key, field, show } of compared) {
    const before = shape[key]!.safeParse(current[key]);
    const after = shape[key]!.safeParse(desired[key]);
    const a = before.success ? normalised(before.data) : normalised(current[key]);
    const b = after.success ? normalised(after.data) : normalised(desired[key]);
    if (a === b) continue;
    changes.push({
      field,
      label: headingOf(kind, field),
      before: before.success ? show(before.data) : showText(current[key]),
      after: after.success ? show(after.data) : showText(desired[key]),
    });
  }
  return changes;
}

/**
 * What a new record gets that its row does not say: each default of the form for a field whose cell is empty or
 * whose column is missing (an empty list is no value and not listed). Shown in the preview, so "verwerkt
 * persoonsgegevens: ja" or "betrokkenen: leerlingen" is never filled in unseen.
 */
function defaultsOf(kind: ImportKind, r: RowReader, defaults: Form, compared: Compared[]): DefaultValue[] {
  return compared.flatMap(({ key, field, show }) => {
    const value = defaults[key];
    if (value === undefined || (Array.isArray(value) && value.length === 0) || r.has(field)) return [];
    return [{ field, label: headingOf(kind, field), value: show(value) }];
  });
}

// ---------------------------------------------------------------------------------------------
// Resolving names to records

function resolveSupplier(r: RowReader, suppliers: SupplierLookup): Supplier | undefined {
  const name = r.text("supplier");
  const kvkText = r.text("supplierKvk");
  let kvk: string | undefined;
  if (kvkText !== undefined) {
    if (/^\d{8}$/.test(kvkText)) kvk = kvkText;
    else r.issue("supplierKvk", t("validation.kvk"));
  }
  const byKvk = kvk ? suppliers.byKvk.get(kvk) : undefined;
  const byName = name ? suppliers.byName.get(lower(name)) : undefined;
  if (byKvk && byName && byKvk.id !== byName.id) r.issue("supplierKvk", t("imports.cell.kvkOfOther", { kvk: kvk!, name: byKvk.name }));
  else if (kvk && !byKvk && byName?.kvk) r.issue("supplierKvk", t("imports.cell.kvkDiffers", { name: byName.name, kvk: byName.kvk }));
  const found = byKvk ?? byName;
  if (!found && name) r.issue("supplier", t("imports.cell.unknownSupplier", { name }));
  else if (!found && kvk) r.issue("supplierKvk", t("imports.cell.unknownSupplier", { name: kvk }));
  return found;
}

/** Items of a list cell looked up by code or label; the unknown ones are reported together at the cell. */
function resolveNamed(r: RowReader, field: string, lookup: Map<string, { id: number }>, unknownKey: string): number[] | undefined {
  const items = r.list(field);
  if (!items) return undefined;
  const unknown: string[] = [];
  const ids = items.flatMap((item) => {
    const found = lookup.get(normaliseHeading(item));
    if (!found) unknown.push(item);
    return found ? [found.id] : [];
  });
  if (unknown.length) r.issue(field, t(unknownKey, { items: unknown.join(", ") }));
  return sortedIds(ids);
}

/** Schools by BRIN ("12AB"), BRIN with vestiging ("12AB00", "12AB 00") or, failing that, exact name. */
function resolveSchools(r: RowReader, refs: ReferenceLists): number[] | undefined {
  const items = r.list("schools");
  if (!items) return undefined;
  const unknown: string[] = [];
  const ambiguous: string[] = [];
  const ids = items.flatMap((item) => {
    const code = item.toUpperCase().replace(/\s/g, "");
    const match = /^(\d{2}[A-Z]{2})(\d{2})?$/.exec(code);
    if (match) {
      const candidates = refs.schoolsByBrin.get(match[1]!) ?? [];
      const found = match[2] !== undefined ? candidates.find((s) => s.location === match[2]) : (candidates.find((s) => s.location === "") ?? (candidates.length === 1 ? candidates[0] : undefined));
      if (!found && match[2] === undefined && candidates.length > 1) ambiguous.push(item);
      else if (!found) unknown.push(item);
      return found ? [found.id] : [];
    }
    const byName = refs.schoolByName.get(normaliseHeading(item));
    if (!byName) unknown.push(item);
    return byName ? [byName.id] : [];
  });
  if (unknown.length) r.issue("schools", t("imports.cell.unknownSchool", { items: unknown.join(", ") }));
  if (ambiguous.length) r.issue("schools", t("imports.cell.ambiguousSchool", { items: ambiguous.join(", ") }));
  return sortedIds(ids);
}

const schoolName = (refs: ReferenceLists) => (id: number) => {
  const s = refs.schoolById.get(id);
  return s ? `${s.name} (${s.brin}${s.location})` : String(id);
};

/** Duplicate rows: the same record twice in one file. Returns the earlier row's number, or undefined (and remembers this one). */
function firstSeen(seen: Map<string, number>, keys: (string | undefined)[], rowNumber: number): number | undefined {
  for (const key of keys) if (key !== undefined && seen.has(key)) return seen.get(key);
  for (const key of keys) if (key !== undefined) seen.set(key, rowNumber);
  return undefined;
}

const wrong = (number: number, label: string, issues: RowIssue[]): PlannedRow => ({
  number,
  status: "wrong",
  label,
  issues: [...issues].sort((a, b) => (a.column ?? -1) - (b.column ?? -1)),
  changes: [],
});

// ---------------------------------------------------------------------------------------------
// Suppliers

const SUPPLIER_FIELDS: [string, string][] = [
  ["name", "name"],
  ["kvk", "kvk"],
  ["website", "website"],
  ["privacyContactName", "privacyContactName"],
  ["privacyContactEmail", "privacyContactEmail"],
  ["covenantStatus", "covenantStatus"],
  ["certIso27001", "certIso27001"],
  ["certNen7510", "certNen7510"],
  ["certRosa", "certRosa"],
  ["notes", "notes"],
];

const SUPPLIER_COMPARED: Compared[] = [
  { key: "name", field: "name", show: showText },
  { key: "kvk", field: "kvk", show: showText },
  { key: "website", field: "website", show: showText },
  { key: "privacyContactName", field: "privacyContactName", show: showText },
  { key: "privacyContactEmail", field: "privacyContactEmail", show: showText },
  { key: "covenantStatus", field: "covenantStatus", show: showChoice("covenant") },
  { key: "certIso27001", field: "certIso27001", show: showBool },
  { key: "certNen7510", field: "certNen7510", show: showBool },
  { key: "certRosa", field: "certRosa", show: showBool },
  { key: "notes", field: "notes", show: showText },
];

const supplierForm = (s: Supplier): Form => ({
  name: s.name,
  kvk: s.kvk ?? "",
  website: s.website ?? "",
  privacyContactName: s.privacyContactName ?? "",
  privacyContactEmail: s.privacyContactEmail ?? "",
  covenantStatus: s.covenantStatus,
  certIso27001: s.certIso27001,
  certNen7510: s.certNen7510,
  certRosa: s.certRosa,
  notes: s.notes ?? "",
});

const SUPPLIER_DEFAULTS: Form = { covenantStatus: "geen", certIso27001: false, certNen7510: false, certRosa: false };

function planSuppliers(db: Db, sheet: ParsedSheet, mapping: Mapping): PlannedRow[] {
  const suppliers = loadSuppliers(db);
  const seen = new Map<string, number>();
  return sheet.rows.map((row) => {
    const r = new RowReader("suppliers", mapping, row);
    const name = r.text("name");
    const kvkText = r.text("kvk");
    const kvk = kvkText && /^\d{8}$/.test(kvkText) ? kvkText : undefined;
    const byKvk = kvk ? suppliers.byKvk.get(kvk) : undefined;
    const byName = name ? suppliers.byName.get(lower(name)) : undefined;
    if (byKvk && byName && byKvk.id !== byName.id) r.issue("kvk", t("imports.cell.kvkOfOther", { kvk: kvk!, name: byKvk.name }));
    const existing = byKvk ?? byName;
    const earlier = firstSeen(seen, [existing ? `id:${existing.id}` : undefined, name ? `name:${lower(name)}` : undefined, kvk ? `kvk:${kvk}` : undefined], row.number);
    if (earlier !== undefined) r.issue("name", t("imports.cell.duplicate", { row: earlier }));
    const label = name ?? "";
    if (r.issues.length) return wrong(row.number, label, r.issues);

    const current = existing ? supplierForm(existing) : undefined;
    const desired = { ...(current ?? SUPPLIER_DEFAULTS), ...r.overlay(SUPPLIER_FIELDS) };
    const changes = current ? differences("suppliers", supplierInput.shape, SUPPLIER_COMPARED, current, desired) : [];
    if (existing && changes.length === 0) return { number: row.number, status: "unchanged", label, issues: [], changes };
    const parsed = supplierInput.safeParse(desired);
    if (!parsed.success) {
      r.schemaIssues(parsed.error, {});
      return wrong(row.number, label, r.issues);
    }
    if (!existing) {
      const defaults = defaultsOf("suppliers", r, SUPPLIER_DEFAULTS, SUPPLIER_COMPARED);
      return { number: row.number, status: "new", label, issues: [], changes, defaults, apply: (tx, actor) => void createSupplier(tx, actor, parsed.data) };
    }
    return {
      number: row.number,
      status: "changed",
      label,
      issues: [],
      changes,
      apply: (tx, actor) => void updateSupplier(tx, actor, existing.id, { ...parsed.data, version: existing.version }),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Applications

const APPLICATION_FIELDS: [string, string][] = [
  ["name", "name"],
  ["description", "description"],
  ["goal", "goal"],
  ["lifecycle", "lifecycle"],
  ["functionalOwner", "functionalOwner"],
  ["usedByPupils", "usedByPupils"],
  ["usedByStaff", "usedByStaff"],
  ["usedByParents", "usedByParents"],
  ["processesPersonalData", "processesPersonalData"],
  ["dataLocationCountry", "dataLocationCountry"],
  ["dataInEea", "dataInEea"],
  ["transferMechanism", "transferMechanism"],
  ["costOneTimeCents", "costOneTimeCents"],
  ["costLicencePerYearCents", "costLicencePerYearCents"],
  ["costImplementationCents", "costImplementationCents"],
];
const APPLICATION_FIELD_OF: Record<string, string> = { supplierId: "supplier", functionIds: "functions", schoolIds: "schools" };

const applicationCompared = (refs: ReferenceLists): Compared[] => [
  { key: "name", field: "name", show: showText },
  { key: "description", field: "description", show: showText },
  { key: "goal", field: "goal", show: showText },
  { key: "lifecycle", field: "lifecycle", show: showChoice("lifecycles") },
  { key: "functionalOwner", field: "functionalOwner", show: showText },
  { key: "usedByPupils", field: "usedByPupils", show: showBool },
  { key: "usedByStaff", field: "usedByStaff", show: showBool },
  { key: "usedByParents", field: "usedByParents", show: showBool },
  { key: "processesPersonalData", field: "processesPersonalData", show: showBool },
  { key: "dataLocationCountry", field: "dataLocationCountry", show: showText },
  { key: "dataInEea", field: "dataInEea", show: showChoice("yesNoUnknown") },
  { key: "transferMechanism", field: "transferMechanism", show: showChoice("transferMechanisms") },
  { key: "costOneTimeCents", field: "costOneTimeCents", show: showEuros },
  { key: "costLicencePerYearCents", field: "costLicencePerYearCents", show: showEuros },
  { key: "costImplementationCents", field: "costImplementationCents", show: showEuros },
  { key: "functionIds", field: "functions", show: showNames((id) => refs.functionById.get(id)?.label ?? String(id)) },
];

/** Cents as the form's euro field reads them ("1250.00"). */
const euroInput = (cents: number | null) => (cents === null ? "" : (cents / 100).toFixed(2));

const applicationForm = (a: Application, functionIds: number[]): Form => ({
  name: a.name,
  supplierId: String(a.supplierId),
  description: a.description ?? "",
  goal: a.goal ?? "",
  lifecycle: a.lifecycle,
  functionalOwner: a.functionalOwner ?? "",
  usedByPupils: a.usedByPupils,
  usedByStaff: a.usedByStaff,
  usedByParents: a.usedByParents,
  processesPersonalData: a.processesPersonalData,
  dataLocationCountry: a.dataLocationCountry ?? "",
  dataInEea: a.dataInEea === null ? "onbekend" : a.dataInEea ? "ja" : "nee",
  transferMechanism: a.transferMechanism ?? "",
  costOneTimeCents: euroInput(a.costOneTimeCents),
  costLicencePerYearCents: euroInput(a.costLicencePerYearCents),
  costImplementationCents: euroInput(a.costImplementationCents),
  functionIds: functionIds.map(String),
  schoolIds: [],
});

const APPLICATION_DEFAULTS: Form = {
  lifecycle: "in_gebruik",
  usedByPupils: false,
  usedByStaff: false,
  usedByParents: false,
  processesPersonalData: true,
  dataInEea: "onbekend",
  functionIds: [],
  schoolIds: [],
};

type DataRow = { dataCategoryId: number; dataSubjectId: number; purpose: string | null; detail: string | null };

/**
 * What data the row asks for. Categories × subjects; without a subjects cell a category keeps the subjects it
 * has, and a new one gets pupils (leerlingen): the usual case in a school. Purposes already written per
 * category are kept.
 */
function planData(existing: DataRow[], categoryIds: number[] | undefined, subjectIds: number[] | undefined, refs: ReferenceLists) {
  if (!categoryIds && !subjectIds) return undefined;
  const categories = categoryIds ?? sortedIds(existing.map((d) => d.dataCategoryId));
  const rows: ApplicationDataInput["rows"] = {};
  for (const categoryId of categories) {
    const own = existing.filter((d) => d.dataCategoryId === categoryId);
    const subjects = subjectIds ?? (own.length ? sortedIds(own.map((d) => d.dataSubjectId)) : refs.pupilsId !== undefined ? [refs.pupilsId] : []);
    rows[String(categoryId)] = {
      subjects,
      purpose: own.find((d) => d.purpose)?.purpose ?? undefined,
      detail: own.find((d) => d.detail)?.detail ?? undefined,
    };
  }
  const pairs = (list: { c: number; s: number }[]) => list.map(({ c, s }) => `${c}:${s}`).sort();
  const before = pairs(existing.map((d) => ({ c: d.dataCategoryId, s: d.dataSubjectId })));
  const after = pairs(Object.entries(rows).flatMap(([c, row]) => row.subjects.map((s) => ({ c: Number(c), s }))));
  const describe = (list: string[]) => {
    const byCategory = new Map<number, string[]>();
    for (const pair of list) {
      const [c, s] = pair.split(":").map(Number) as [number, number];
      byCategory.set(c, [...(byCategory.get(c) ?? []), refs.subjectById.get(s)?.label ?? String(s)]);
    }
    return [...byCategory.entries()].map(([c, subjects]) => `${refs.categoryById.get(c)?.label ?? c}: ${subjects.join(", ")}`).join("; ");
  };
  return { rows, changed: before.join() !== after.join(), before: describe(before), after: describe(after) };
}

/**
 * A data location outside the EEA with "binnen de EER" ja, onbekend or left blank is an error at that cell: the
 * import would otherwise record a US-hosted application as inside the EEA (or as unknown), and no transfer
 * mechanism would be asked for (AVG chapter V). Only when the row fills the country or the EEA cell: a stored
 * value the row leaves alone is not the import's to judge.
 */
function checkEea(r: RowReader, desired: Form): void {
  if (!r.has("dataLocationCountry") && !r.has("dataInEea")) return;
  const country = typeof desired.dataLocationCountry === "string" ? desired.dataLocationCountry : "";
  if (!country || desired.dataInEea === "nee" || eeaSideOf(country) !== "outside") return;
  r.issue(
    "dataInEea",
    r.has("dataInEea")
      ? t("imports.cell.outsideEeaNotInside", { country, value: labelOf("yesNoUnknown", String(desired.dataInEea)).toLowerCase() })
      : t("imports.cell.outsideEeaBlank", { country }),
  );
}

function planApplications(db: Db, sheet: ParsedSheet, mapping: Mapping): PlannedRow[] {
  const suppliers = loadSuppliers(db);
  const refs = loadReferenceLists(db);
  const apps = loadApplications(db);
  const compared = applicationCompared(refs);
  const seen = new Map<string, number>();
  return sheet.rows.map((row) => {
    const r = new RowReader("applications", mapping, row);
    const name = r.text("name");
    const supplier = resolveSupplier(r, suppliers);
    const label = `${name ?? ""}${supplier ? ` (${supplier.name})` : r.text("supplier") ? ` (${r.text("supplier")})` : ""}`;
    const key = supplier && name ? appKey(supplier.id, name) : undefined;
    const earlier = firstSeen(seen, [key], row.number);
    if (earlier !== undefined) r.issue("name", t("imports.cell.duplicate", { row: earlier }));
    const schoolIds = resolveSchools(r, refs);
    const categoryIds = resolveNamed(r, "categories", refs.categories, "imports.cell.unknownCategory");
    const subjectIds = resolveNamed(r, "subjects", refs.subjects, "imports.cell.unknownSubject");
    const functionIds = resolveNamed(r, "functions", refs.functions, "imports.cell.unknownFunction");
    if (r.issues.length || !supplier || !key) return wrong(row.number, label, r.issues);

    const existing = apps.byKey.get(key);
    const currentFunctions = existing ? (apps.functions.get(existing.id) ?? []).map((f) => f.functionId) : [];
    const current = existing ? applicationForm(existing, currentFunctions) : undefined;
    const desired: Form = {
      ...(current ?? APPLICATION_DEFAULTS),
      ...r.overlay(APPLICATION_FIELDS),
      supplierId: String(supplier.id),
      ...(functionIds ? { functionIds: functionIds.map(String) } : {}),
      schoolIds: existing ? [] : (schoolIds ?? []).map(String),
    };
    checkEea(r, desired);
    if (r.issues.length) return wrong(row.number, label, r.issues);
    const mainChanges = current ? differences("applications", applicationInput.shape, compared, current, desired) : [];
    const changes = [...mainChanges];
    const schoolUses = existing ? (apps.schools.get(existing.id) ?? []) : [];
    const schoolsChanged = existing !== undefined && schoolIds !== undefined && !sameIds(schoolUses.map((s) => s.schoolId), schoolIds);
    if (schoolsChanged) {
      const show = showNames(schoolName(refs));
      changes.push({ field: "schools", label: headingOf("applications", "schools"), before: show(schoolUses.map((s) => s.schoolId)), after: show(schoolIds) });
    }
    const data = planData(existing ? (apps.data.get(existing.id) ?? []) : [], categoryIds, subjectIds, refs);
    if (existing && data?.changed) {
      changes.push({ field: r.has("categories") ? "categories" : "subjects", label: t("imports.dataChange"), before: data.before, after: data.after });
    }
    if (existing && changes.length === 0) return { number: row.number, status: "unchanged", label, issues: [], changes };

    const parsed = applicationInput.safeParse(desired);
    if (!parsed.success) {
      r.schemaIssues(parsed.error, APPLICATION_FIELD_OF);
      return wrong(row.number, label, r.issues);
    }
    if (!existing) {
      const defaults = defaultsOf("applications", r, APPLICATION_DEFAULTS, compared);
      // Categories without a subjects cell: each is recorded for pupils (see planData).
      if (categoryIds?.length && !subjectIds && refs.pupilsId !== undefined) {
        defaults.push({ field: "subjects", label: headingOf("applications", "subjects"), value: refs.subjectById.get(refs.pupilsId)?.label ?? "" });
      }
      return {
        number: row.number,
        status: "new",
        label,
        issues: [],
        changes: [],
        defaults,
        apply: (tx, actor) => {
          const app = createApplication(tx, actor, parsed.data);
          if (data?.changed) updateApplicationData(tx, actor, app.id, { version: app.version, rows: data.rows });
        },
      };
    }
    const schoolRows: ApplicationSchoolsInput["rows"] = {};
    if (schoolsChanged) {
      for (const id of new Set([...schoolUses.map((s) => s.schoolId), ...schoolIds!])) {
        const use = schoolUses.find((s) => s.schoolId === id);
        schoolRows[String(id)] = { used: schoolIds!.includes(id), since: use?.since ?? undefined, until: use?.until ?? undefined, localContact: use?.localContact ?? undefined };
      }
    }
    return {
      number: row.number,
      status: "changed",
      label,
      issues: [],
      changes,
      // Each step is the feature's own service with its own audit entry; the version carries from one to the next.
      apply: (tx, actor) => {
        let version = existing.version;
        if (mainChanges.length) version = updateApplication(tx, actor, existing.id, { ...parsed.data, version }).version;
        if (schoolsChanged) version = updateApplicationSchools(tx, actor, existing.id, { version, rows: schoolRows }).version;
        if (data?.changed) updateApplicationData(tx, actor, existing.id, { version, rows: data.rows });
      },
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Processor agreements

const AGREEMENT_FIELDS: [string, string][] = [
  ["reference", "reference"],
  ["model", "model"],
  ["status", "status"],
  ["signedOn", "signedOn"],
  ["startsOn", "startsOn"],
  ["endsOn", "endsOn"],
  ["nextReviewOn", "nextReviewOn"],
  ["signatoryName", "signatoryName"],
  ["signatoryRole", "signatoryRole"],
  ["signedViaPortal", "signedViaPortal"],
  ["breachNotificationHours", "breachNotificationHours"],
  ["deletionTermDays", "deletionTermDays"],
  ["annexVersion", "annexVersion"],
  ["annexDate", "annexDate"],
  ["deviations", "deviations"],
  ["deviationsMotivation", "deviationsMotivation"],
  ["sivonReviewUrl", "sivonReviewUrl"],
  ["sivonRiskLevel", "sivonRiskLevel"],
  ["notes", "notes"],
];
const AGREEMENT_FIELD_OF: Record<string, string> = {
  supplierId: "supplier",
  applicationIds: "applications",
  dataCategoryIds: "categories",
  dataSubjectIds: "subjects",
};

const agreementCompared = (refs: ReferenceLists, apps: ApplicationLookup): Compared[] => [
  { key: "reference", field: "reference", show: showText },
  { key: "model", field: "model", show: showChoice("agreementModels") },
  { key: "status", field: "status", show: showChoice("agreementStatuses") },
  { key: "signedOn", field: "signedOn", show: showDate },
  { key: "startsOn", field: "startsOn", show: showDate },
  { key: "endsOn", field: "endsOn", show: showDate },
  { key: "nextReviewOn", field: "nextReviewOn", show: showDate },
  { key: "signatoryName", field: "signatoryName", show: showText },
  { key: "signatoryRole", field: "signatoryRole", show: showText },
  { key: "signedViaPortal", field: "signedViaPortal", show: showBool },
  { key: "applicationIds", field: "applications", show: showNames((id) => apps.byId.get(id)?.name ?? String(id)) },
  { key: "dataCategoryIds", field: "categories", show: showNames((id) => refs.categoryById.get(id)?.label ?? String(id)) },
  { key: "dataSubjectIds", field: "subjects", show: showNames((id) => refs.subjectById.get(id)?.label ?? String(id)) },
  { key: "breachNotificationHours", field: "breachNotificationHours", show: showText },
  { key: "deletionTermDays", field: "deletionTermDays", show: showText },
  { key: "annexVersion", field: "annexVersion", show: showText },
  { key: "annexDate", field: "annexDate", show: showDate },
  { key: "deviations", field: "deviations", show: showText },
  { key: "deviationsMotivation", field: "deviationsMotivation", show: showText },
  { key: "sivonReviewUrl", field: "sivonReviewUrl", show: showText },
  { key: "sivonRiskLevel", field: "sivonRiskLevel", show: showChoice("levels") },
  { key: "notes", field: "notes", show: showText },
];

const count = (n: number | null) => (n === null ? "" : String(n));

const agreementForm = (a: Agreement, lists: ReturnType<ReturnType<typeof loadAgreements>["listsOf"]>): Form => ({
  reference: a.reference,
  supplierId: String(a.supplierId),
  model: a.model,
  status: a.status,
  signedOn: a.signedOn ?? "",
  startsOn: a.startsOn ?? "",
  endsOn: a.endsOn ?? "",
  nextReviewOn: a.nextReviewOn ?? "",
  signatoryName: a.signatoryName ?? "",
  signatoryRole: a.signatoryRole ?? "",
  signedViaPortal: a.signedViaPortal,
  deviations: a.deviations ?? "",
  deviationsMotivation: a.deviationsMotivation ?? "",
  annexVersion: a.annexVersion ?? "",
  annexDate: a.annexDate ?? "",
  breachNotificationHours: count(a.breachNotificationHours),
  deletionTermDays: count(a.deletionTermDays),
  sivonReviewUrl: a.sivonReviewUrl ?? "",
  sivonRiskLevel: a.sivonRiskLevel ?? "",
  notes: a.notes ?? "",
  applicationIds: lists.applicationIds.map(String),
  dataCategoryIds: lists.dataCategoryIds.map(String),
  dataSubjectIds: lists.dataSubjectIds.map(String),
  subProcessors: lists.subProcessors.map((p) => ({ name: p.name, service: p.service ?? "", country: p.country ?? "", inEea: p.inEea, remove: false })),
  resellerReasons: lists.resellerReasons,
});

const AGREEMENT_DEFAULTS: Form = { status: "concept", signedViaPortal: false, applicationIds: [], dataCategoryIds: [], dataSubjectIds: [], subProcessors: [] };

/**
 * Applications by name, only among those of the agreement's supplier: an agreement of one supplier never covers
 * another's application by a matching name (that would turn the other application green). A name that belongs
 * to another supplier is an error at the cell that says whose it is, unless the agreement already covers that
 * application with a reseller's reason recorded on the form (`kept`): the file then only confirms what the
 * register holds, and the reason stays. A file has no column for a reason, so it cannot add such a cover.
 */
function resolveApplications(r: RowReader, supplier: Supplier, apps: ApplicationLookup, suppliers: SupplierLookup, kept: Record<string, string>): number[] | undefined {
  const items = r.list("applications");
  if (!items) return undefined;
  const unknown: string[] = [];
  const elsewhere: string[] = [];
  const ids = items.flatMap((item) => {
    const own = (apps.bySupplier.get(supplier.id) ?? []).filter((a) => lower(a.name) === lower(item));
    if (own.length === 1) return [own[0]!.id];
    const viaReseller = own.length ? [] : apps.all.filter((a) => kept[String(a.id)] !== undefined && lower(a.name) === lower(item));
    if (viaReseller.length === 1) return [viaReseller[0]!.id];
    const others = own.length ? [] : apps.all.filter((a) => lower(a.name) === lower(item));
    if (others.length) elsewhere.push(t("imports.cell.applicationOfOther", { item, owners: others.map((a) => suppliers.byId.get(a.supplierId)?.name ?? String(a.supplierId)).join(", ") }));
    else unknown.push(item);
    return [];
  });
  if (unknown.length) r.issue("applications", t("imports.cell.unknownApplication", { items: unknown.join(", "), supplier: supplier.name }));
  if (elsewhere.length) r.issue("applications", t("imports.cell.applicationsOfOtherSupplier", { items: elsewhere.join("; "), supplier: supplier.name }));
  return sortedIds(ids);
}

function planAgreements(db: Db, sheet: ParsedSheet, mapping: Mapping): PlannedRow[] {
  const suppliers = loadSuppliers(db);
  const refs = loadReferenceLists(db);
  const apps = loadApplications(db);
  const agreements = loadAgreements(db);
  const compared = agreementCompared(refs, apps);
  const seen = new Map<string, number>();
  return sheet.rows.map((row) => {
    const r = new RowReader("agreements", mapping, row);
    const reference = r.text("reference");
    const supplier = resolveSupplier(r, suppliers);
    const label = `${reference ?? ""}${supplier ? ` (${supplier.name})` : ""}`;
    const key = supplier && reference ? `${supplier.id}|${lower(reference)}` : undefined;
    const matches = key ? (agreements.byKey.get(key) ?? []) : [];
    if (matches.length > 1) r.issue("reference", t("imports.cell.ambiguousAgreement", { count: matches.length }));
    const earlier = firstSeen(seen, [key], row.number);
    if (earlier !== undefined) r.issue("reference", t("imports.cell.duplicate", { row: earlier }));
    const kept = matches.length === 1 ? agreements.listsOf(matches[0]!.id).resellerReasons : {};
    const applicationIds = supplier ? resolveApplications(r, supplier, apps, suppliers, kept) : undefined;
    const categoryIds = resolveNamed(r, "categories", refs.categories, "imports.cell.unknownCategory");
    const subjectIds = resolveNamed(r, "subjects", refs.subjects, "imports.cell.unknownSubject");
    if (r.issues.length || !supplier) return wrong(row.number, label, r.issues);

    const existing = matches[0];
    const current = existing ? agreementForm(existing, agreements.listsOf(existing.id)) : undefined;
    const desired: Form = {
      ...(current ?? AGREEMENT_DEFAULTS),
      ...r.overlay(AGREEMENT_FIELDS),
      supplierId: String(supplier.id),
      ...(applicationIds ? { applicationIds: applicationIds.map(String) } : {}),
      ...(categoryIds ? { dataCategoryIds: categoryIds.map(String) } : {}),
      ...(subjectIds ? { dataSubjectIds: subjectIds.map(String) } : {}),
    };
    const changes = current ? differences("agreements", agreementCreate.shape, compared, current, desired) : [];
    if (existing && changes.length === 0) return { number: row.number, status: "unchanged", label, issues: [], changes };
    if (!existing) {
      const parsed = agreementCreate.safeParse(desired);
      if (!parsed.success) {
        r.schemaIssues(parsed.error, AGREEMENT_FIELD_OF);
        return wrong(row.number, label, r.issues);
      }
      const defaults = defaultsOf("agreements", r, AGREEMENT_DEFAULTS, compared);
      return { number: row.number, status: "new", label, issues: [], changes, defaults, apply: (tx, actor) => void createAgreement(tx, actor, parsed.data) };
    }
    const parsed = agreementUpdate.safeParse({ ...desired, version: existing.version });
    if (!parsed.success) {
      r.schemaIssues(parsed.error, AGREEMENT_FIELD_OF);
      return wrong(row.number, label, r.issues);
    }
    return { number: row.number, status: "changed", label, issues: [], changes, apply: (tx, actor) => void updateAgreement(tx, actor, existing.id, parsed.data) };
  });
}

// ---------------------------------------------------------------------------------------------

const PLANNERS: Record<ImportKind, (db: Db, sheet: ParsedSheet, mapping: Mapping) => PlannedRow[]> = {
  suppliers: planSuppliers,
  applications: planApplications,
  agreements: planAgreements,
};

/**
 * The columns whose content the import leaves out: a heading that maps to no field (not recognised, or skipped
 * in the mapping step), and a column without a heading that holds data. Without this list a column such as
 * "Einde VO" would vanish without a word, and the agreement it ends would import as current.
 */
function ignoredColumnsOf(sheet: ParsedSheet, mapping: Mapping): IgnoredColumn[] {
  return sheet.headers.flatMap((heading, index) =>
    mapping[index] ? [] : heading !== "" || sheet.rows.some((row) => !isEmptyCell(row.cells[index])) ? [{ index, heading }] : [],
  );
}

export function planImport(db: Db, kind: ImportKind, sheet: ParsedSheet, mapping: Mapping): ImportPlan {
  const rows = PLANNERS[kind](db, sheet, mapping);
  const counts: ImportCounts = { new: 0, changed: 0, unchanged: 0, wrong: 0, skipped: sheet.emptyRows.length };
  for (const row of rows) counts[row.status] += 1;
  const ignoredColumns = ignoredColumnsOf(sheet, mapping);
  // What the user saw: which column feeds which field, the row statuses, the differences and the messages. Any
  // change to one changes the fingerprint.
  const fingerprint = createHash("sha256")
    .update(JSON.stringify([mapping, rows.map((row) => [row.number, row.status, row.label, row.changes, row.issues, row.defaults ?? []])]))
    .digest("hex");
  return { kind, rows, counts, emptyRows: sheet.emptyRows, ignoredColumns, fingerprint };
}
