// What an import compares its rows with, loaded in a fixed number of queries (no query per row), and the
// record of finished imports.
import { asc, desc, sql } from "drizzle-orm";
import { sealEntry } from "../audit/audit.chain";
import { clientOf, type DbOrTx } from "../db/client";
import {
  agreementApplications,
  agreementDataCategories,
  agreementDataSubjects,
  agreements,
  applicationData,
  applicationFunctions,
  applications,
  applicationSchools,
  auditLog,
  dataCategories,
  dataSubjects,
  foraFunctions,
  imports,
  schools,
  subProcessors,
  suppliers,
} from "../db/schema";
import type { AgreementLists } from "../agreements/agreements.repository";
import { normaliseHeading, normaliseName } from "./imports.fields";

export type Supplier = typeof suppliers.$inferSelect;
export type Application = typeof applications.$inferSelect;
export type Agreement = typeof agreements.$inferSelect;
export type School = typeof schools.$inferSelect;
type Named = { id: number; code: string; label: string };

const lower = normaliseName;

function group<T, K>(rows: T[], keyOf: (row: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = out.get(key);
    if (list) list.push(row);
    else out.set(key, [row]);
  }
  return out;
}

/** Lookups by code and by Dutch label (compared like headings: case and accents do not matter). */
function byCodeOrLabel(rows: Named[]): Map<string, Named> {
  const out = new Map<string, Named>();
  for (const row of rows) out.set(normaliseHeading(row.label), row);
  for (const row of rows) out.set(normaliseHeading(row.code), row);
  return out;
}

export function loadSuppliers(db: DbOrTx) {
  const all = db.select().from(suppliers).all();
  return {
    all,
    byId: new Map(all.map((s) => [s.id, s])),
    byKvk: new Map(all.filter((s) => s.kvk).map((s) => [s.kvk!, s])),
    byName: new Map(all.map((s) => [lower(s.name), s])),
  };
}
export type SupplierLookup = ReturnType<typeof loadSuppliers>;

export function loadReferenceLists(db: DbOrTx) {
  const schoolRows = db.select().from(schools).all();
  const categories = db.select({ id: dataCategories.id, code: dataCategories.code, label: dataCategories.label }).from(dataCategories).orderBy(asc(dataCategories.sortOrder)).all();
  const subjects = db.select({ id: dataSubjects.id, code: dataSubjects.code, label: dataSubjects.label }).from(dataSubjects).orderBy(asc(dataSubjects.sortOrder)).all();
  const functions = db.select({ id: foraFunctions.id, code: foraFunctions.code, label: foraFunctions.name }).from(foraFunctions).orderBy(asc(foraFunctions.sortOrder)).all();
  return {
    schools: schoolRows,
    schoolById: new Map(schoolRows.map((s) => [s.id, s])),
    schoolsByBrin: group(schoolRows, (s) => s.brin),
    schoolByName: new Map(schoolRows.map((s) => [normaliseHeading(s.name), s])),
    categories: byCodeOrLabel(categories),
    categoryById: new Map(categories.map((c) => [c.id, c])),
    subjects: byCodeOrLabel(subjects),
    subjectById: new Map(subjects.map((s) => [s.id, s])),
    pupilsId: (subjects.find((s) => s.code === "pupils") ?? subjects[0])?.id,
    functions: byCodeOrLabel(functions),
    functionById: new Map(functions.map((f) => [f.id, f])),
  };
}
export type ReferenceLists = ReturnType<typeof loadReferenceLists>;

/** Every application with its functions, schools and processed data, keyed for matching on supplier and name. */
export function loadApplications(db: DbOrTx) {
  const all = db.select().from(applications).all();
  const functionRows = db.select().from(applicationFunctions).all();
  const schoolRows = db.select().from(applicationSchools).all();
  const dataRows = db.select().from(applicationData).all();
  return {
    all,
    byKey: new Map(all.map((a) => [`${a.supplierId}|${lower(a.name)}`, a])),
    bySupplier: group(all, (a) => a.supplierId),
    byId: new Map(all.map((a) => [a.id, a])),
    functions: group(functionRows, (r) => r.applicationId),
    schools: group(schoolRows, (r) => r.applicationId),
    data: group(dataRows, (r) => r.applicationId),
  };
}
export type ApplicationLookup = ReturnType<typeof loadApplications>;

/** Every agreement with its lists (as the agreement form has them), keyed for matching on supplier and reference. */
export function loadAgreements(db: DbOrTx) {
  const all = db.select().from(agreements).all();
  const ids = <T extends { agreementId: number; id: number }>(rows: T[]) => group(rows, (r) => r.agreementId);
  const apps = ids(
    db
      .select({ agreementId: agreementApplications.agreementId, id: agreementApplications.applicationId, resellerReason: agreementApplications.resellerReason })
      .from(agreementApplications)
      .all(),
  );
  const cats = ids(db.select({ agreementId: agreementDataCategories.agreementId, id: agreementDataCategories.dataCategoryId }).from(agreementDataCategories).all());
  const subs = ids(db.select({ agreementId: agreementDataSubjects.agreementId, id: agreementDataSubjects.dataSubjectId }).from(agreementDataSubjects).all());
  const processors = group(db.select().from(subProcessors).orderBy(asc(subProcessors.sortOrder), asc(subProcessors.id)).all(), (r) => r.agreementId);
  const sorted = (rows: { id: number }[] | undefined) => (rows ?? []).map((r) => r.id).sort((a, b) => a - b);
  const listsOf = (id: number): AgreementLists => ({
    applicationIds: sorted(apps.get(id)),
    dataCategoryIds: sorted(cats.get(id)),
    dataSubjectIds: sorted(subs.get(id)),
    subProcessors: (processors.get(id) ?? []).map((p) => ({ name: p.name, service: p.service, country: p.country, inEea: p.inEea })),
    resellerReasons: Object.fromEntries((apps.get(id) ?? []).flatMap((r) => (r.resellerReason === null ? [] : [[String(r.id), r.resellerReason]]))),
  });
  return { all, byKey: group(all, (a) => `${a.supplierId}|${lower(a.reference)}`), listsOf };
}

export function appKey(supplierId: number, name: string): string {
  return `${supplierId}|${lower(name)}`;
}

/** The newest audit entry's id: entries after it were written by this import. */
export function lastAuditId(db: DbOrTx): number {
  return db.select({ id: sql<number>`coalesce(max(${auditLog.id}), 0)` }).from(auditLog).get()?.id ?? 0;
}

/**
 * Puts "Import #12: " before the summaries of the entries this import wrote (after `afterId`): "Applicatie X
 * aangemaakt" → "Import #12: applicatie X aangemaakt". Called inside the import's transaction, before it commits;
 * each entry's seal covers its summary, so the entries are sealed again, in order, as if written so.
 */
export function nameImportInAudit(db: DbOrTx, importId: number, afterId: number): void {
  const client = clientOf(db);
  client.prepare("update audit_log set summary = ? || lower(substr(summary, 1, 1)) || substr(summary, 2) where id > ?").run(`Import #${importId}: `, afterId);
  const ids = client.prepare("select id from audit_log where id > ? order by id").pluck().all(afterId) as number[];
  for (const id of ids) sealEntry(db, id);
}

export function insertImport(db: DbOrTx, values: typeof imports.$inferInsert) {
  return db.insert(imports).values(values).returning().get();
}

export function recentImports(db: DbOrTx, limit = 20) {
  return db.select().from(imports).orderBy(desc(imports.id)).limit(limit).all();
}
