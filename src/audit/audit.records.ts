// The kinds of record the change history holds: for each, its table (to name a record and to tell whether it
// still exists), the texts group whose `fields` name its fields, the page that shows it and who may read that
// page, and how its values are worded (enumerations, lists of ids, lines stored as text).
import { eq, getTableColumns, getTableName, is } from "drizzle-orm";
import { getTableConfig, SQLiteTable, type SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { DbOrTx } from "../db/client";
import * as schema from "../db/schema";
import type { Permission } from "../http/policy";

type AnyTable = SQLiteTable & { id: SQLiteColumn };
type Row = Record<string, unknown>;
/** Names other records, for a record whose name includes another's (a DPIA is named after its application). */
export type Names = { of(type: string, id: unknown): string };

/** How one field's value is worded; fields not listed are worded by their value (see audit.words.ts). */
export type FieldFormat =
  /** A value of an enumeration, labelled from nl[group]. */
  | { kind: "enum"; group: string }
  /** A list of codes labelled from nl[group] (a DPIA's criteria). */
  | { kind: "codes"; group: string }
  /** An id, or a list of ids, of records of `type`. */
  | { kind: "ref"; type: string }
  /** An application's data lines as stored: "categoryId:subjectId (purpose)". */
  | { kind: "dataLines" }
  /** An application's measures as stored: "code: status". */
  | { kind: "measureLines" }
  /** A classification's answers: question → answer code. */
  | { kind: "answers" }
  /** An agreement's sub-processors. */
  | { kind: "subProcessors" }
  /** An import's counts of new, changed and unchanged rows. */
  | { kind: "importCounts" }
  /** Snapshot files: their names. */
  | { kind: "fileNames" }
  /** Amounts in cents. */
  | { kind: "euros" };

export type RecordType = {
  /** The table its records live in; none for the settings (key and value rows) and backups (files). */
  table?: AnyTable;
  /** A record's name in lists of changes and where another record refers to it. */
  name?: (row: Row, names: Names) => string;
  /** nl[textGroup].fields names its fields. */
  textGroup?: string;
  /** The page that shows a record, and the permission its route asks; none where no page shows one record. */
  page?: (row: Row) => { href: string; permission: Permission };
  formats?: Record<string, FieldFormat>;
};

const text = (value: unknown) => (value === null || value === undefined ? "" : String(value));
const levels = { kind: "enum", group: "audit.values.levels" } as const;
const yesNoUnknown = { kind: "enum", group: "audit.values.yesNoUnknown" } as const;

export const RECORD_TYPES: Record<string, RecordType> = {
  application: {
    table: schema.applications,
    name: (r) => text(r.name),
    textGroup: "applications",
    page: (r) => ({ href: `/applications/${text(r.id)}`, permission: "school.read" }),
    formats: {
      lifecycle: { kind: "enum", group: "lifecycles" },
      transferMechanism: { kind: "enum", group: "transferMechanisms" },
      data: { kind: "dataLines" },
      measures: { kind: "measureLines" },
    },
  },
  agreement: {
    table: schema.agreements,
    name: (r) => text(r.reference),
    textGroup: "agreements",
    page: (r) => ({ href: `/agreements/${text(r.id)}`, permission: "school.read" }),
    formats: {
      model: { kind: "enum", group: "agreementModels" },
      status: { kind: "enum", group: "agreementStatuses" },
      sivonRiskLevel: levels,
      subProcessors: { kind: "subProcessors" },
    },
  },
  api_token: { table: schema.apiTokens, name: (r) => text(r.name) },
  backup: {},
  board: {
    table: schema.board,
    name: (r) => text(r.name),
    page: () => ({ href: "/admin/board", permission: "admin.manage" }),
  },
  breach: {
    table: schema.breaches,
    name: (r) => text(r.title),
    textGroup: "breaches",
    page: (r) => ({ href: `/breaches/${text(r.id)}`, permission: "register.read" }),
    formats: {
      risk: { kind: "enum", group: "breaches.risks" },
      regulatorNotified: yesNoUnknown,
      subjectsNotified: yesNoUnknown,
    },
  },
  classification: {
    table: schema.classifications,
    name: (r, names) => `${names.of("application", r.applicationId)}: B ${text(r.availability)}, I ${text(r.integrity)}, V ${text(r.confidentiality)}`,
    textGroup: "classifications",
    page: (r) => ({ href: `/applications/${text(r.applicationId)}`, permission: "school.read" }),
    formats: {
      availability: levels,
      integrity: levels,
      confidentiality: levels,
      proposedAvailability: levels,
      proposedIntegrity: levels,
      proposedConfidentiality: levels,
      reason: { kind: "enum", group: "classifications.reasons" },
      answers: { kind: "answers" },
    },
  },
  data_category: {
    table: schema.dataCategories,
    name: (r) => text(r.label),
    textGroup: "categories",
    page: (r) => ({ href: `/categories/${text(r.id)}`, permission: "register.read" }),
    formats: { flag: { kind: "enum", group: "categoryFlags" }, minConfidentiality: levels },
  },
  data_subject: { table: schema.dataSubjects, name: (r) => text(r.label) },
  document: { table: schema.documents, name: (r) => text(r.originalName) },
  dpia: {
    table: schema.dpias,
    name: (r, names) => `DPIA ${names.of("application", r.applicationId)}`,
    textGroup: "dpias",
    page: (r) => ({ href: `/applications/${text(r.applicationId)}/dpia`, permission: "register.read" }),
    formats: {
      required: yesNoUnknown,
      type: { kind: "enum", group: "applications.dpia.types" },
      status: { kind: "enum", group: "applications.dpia.statuses" },
      residualRisk: levels,
      criteria: { kind: "codes", group: "dpias.criteria" },
    },
  },
  fora_domain: { table: schema.foraDomains, name: (r) => text(r.name) },
  fora_function: {
    table: schema.foraFunctions,
    name: (r) => `${text(r.code)} ${text(r.name)}`,
    textGroup: "fora",
    page: (r) => ({ href: `/fora/functions/${text(r.id)}`, permission: "register.read" }),
  },
  import: {
    table: schema.imports,
    name: (r) => text(r.fileName),
    formats: { kind: { kind: "enum", group: "imports.kinds" }, counts: { kind: "importCounts" } },
  },
  intake_request: {
    table: schema.intakeRequests,
    name: (r) => text(r.applicationName),
    textGroup: "intake",
    page: (r) => ({ href: `/intake/${text(r.id)}`, permission: "school.read" }),
    formats: {
      status: { kind: "enum", group: "intake.statuses" },
      supplierCovenantStatus: { kind: "enum", group: "intake.covenantAnswers" },
    },
  },
  retention_rule: {
    table: schema.retentionRules,
    name: (r) => text(r.recordType),
    textGroup: "retention",
    page: (r) => ({ href: `/retention/${text(r.id)}`, permission: "register.read" }),
    formats: { action: { kind: "enum", group: "retention.actions" } },
  },
  school: {
    table: schema.schools,
    name: (r) => text(r.name),
    textGroup: "schools",
    page: (r) => ({ href: `/schools/${text(r.id)}`, permission: "school.read" }),
    formats: { sector: { kind: "enum", group: "sectors" } },
  },
  security_measure: {
    table: schema.securityMeasures,
    name: (r) => `${text(r.code)} ${text(r.title)}`,
    textGroup: "measures",
    page: (r) => ({ href: `/measures/${text(r.id)}`, permission: "register.read" }),
    formats: {
      aspect: { kind: "enum", group: "aspects" },
      level: levels,
      owner: { kind: "enum", group: "measureOwners" },
    },
  },
  settings: {
    page: () => ({ href: "/admin/settings", permission: "admin.manage" }),
    formats: {
      oldestCurrentModel: { kind: "enum", group: "agreementModels" },
      twoFactorRoles: { kind: "enum", group: "roles" },
      passwordRoles: { kind: "enum", group: "roles" },
    },
  },
  snapshot: {
    table: schema.snapshots,
    name: (r) => text(r.title),
    page: (r) => ({ href: `/reports/snapshots/${text(r.id)}`, permission: "register.read" }),
    formats: { files: { kind: "fileNames" } },
  },
  supplier: {
    table: schema.suppliers,
    name: (r) => text(r.name),
    textGroup: "suppliers",
    page: (r) => ({ href: `/suppliers/${text(r.id)}`, permission: "register.read" }),
    formats: { covenantStatus: { kind: "enum", group: "covenant" } },
  },
  user: {
    table: schema.users,
    name: (r) => text(r.name),
    page: (r) => ({ href: `/admin/users/${text(r.id)}`, permission: "admin.manage" }),
    formats: {
      role: { kind: "enum", group: "roles" },
      digestFrequency: { kind: "enum", group: "reminders.frequencies" },
    },
  },
};

/** The record type whose table is `table`. */
function typeOfTable(table: SQLiteTable): string | undefined {
  return Object.entries(RECORD_TYPES).find(([, type]) => type.table && getTableName(type.table) === getTableName(table))?.[0];
}

/**
 * Which record type an id field points to, from the schema's foreign keys: "supplierId" → supplier, and its
 * list form "dataCategoryIds" → data_category (from "dataCategoryId"). A name that points to two different
 * tables in the schema is left out rather than guessed.
 */
const REFERENCES: Map<string, string> = (() => {
  const found = new Map<string, string | null>();
  for (const table of Object.values(schema)) {
    if (!is(table, SQLiteTable)) continue;
    const columns = Object.entries(getTableColumns(table));
    for (const fk of getTableConfig(table).foreignKeys) {
      const reference = fk.reference();
      if (reference.columns.length !== 1) continue;
      const key = columns.find(([, column]) => column === reference.columns[0])?.[0];
      const type = typeOfTable(reference.foreignTable);
      if (!key || !type) continue;
      found.set(key, found.has(key) && found.get(key) !== type ? null : type);
    }
  }
  // A few id fields are named after what they mean rather than what they point to.
  found.set("functionId", "fora_function");
  return new Map([...found].filter((entry): entry is [string, string] => entry[1] !== null));
})();

/** How `field` of a record of `entityType` is worded. */
export function formatOf(entityType: string, field: string): FieldFormat | undefined {
  const own = RECORD_TYPES[entityType]?.formats?.[field];
  if (own) return own;
  const referenced = REFERENCES.get(field) ?? (field.endsWith("Ids") ? REFERENCES.get(field.slice(0, -1)) : undefined);
  if (referenced) return { kind: "ref", type: referenced };
  if (field.endsWith("Cents")) return { kind: "euros" };
  return undefined;
}

/** The current row of a record, or undefined when it no longer exists (or its type has no table). */
export function findRecord(db: DbOrTx, entityType: string, id: number): Row | undefined {
  const table = RECORD_TYPES[entityType]?.table;
  if (!table) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a select over "any table with an id"
  return (db as any).select().from(table).where(eq(table.id, id)).get() as Row | undefined;
}
