// The whole data model of the register (see ../shared/domain.md). Enumerations live in src/db/enums.ts
// and are enforced by CHECK constraints here: drizzle's text enums are TypeScript-only.
// Dates without time (signed on, ends on, ...) are ISO text "YYYY-MM-DD", checked with date(x) = x so
// SQLite itself refuses 2025-02-30. Moments are integer milliseconds (timestamp_ms) so order within a
// second is kept. Money is integer euro cents. Editable records carry `version` for optimistic locking.
import { sql, type SQL } from "drizzle-orm";
import {
  blob,
  check,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from "drizzle-orm/sqlite-core";
import {
  AGREEMENT_MODELS,
  AGREEMENT_STATUSES,
  ASPECTS,
  BREACH_RISKS,
  CATEGORY_FLAGS,
  COVENANT_STATUSES,
  DIGEST_FREQUENCIES,
  DPIA_REQUIRED,
  DPIA_STATUSES,
  DPIA_TYPES,
  INTAKE_STATUSES,
  LEVELS,
  LIFECYCLES,
  MEASURE_STATUSES,
  MEASURE_OWNERS,
  RETENTION_ACTIONS,
  ROLES,
  SECTORS,
  TRANSFER_MECHANISMS,
  YES_NO_UNKNOWN,
} from "./enums";

// CHECK constraints name their columns without the table: drizzle would write "table"."column", which
// breaks the copy into "__new_table" that a table rebuild makes.
const c = (column: AnySQLiteColumn): SQL => sql`${sql.identifier(column.name)}`;
const inList = (column: AnySQLiteColumn, values: readonly string[]): SQL =>
  sql`${c(column)} in (${sql.raw(values.map((v) => `'${v}'`).join(", "))})`;
const optionalInList = (column: AnySQLiteColumn, values: readonly string[]): SQL =>
  sql`${c(column)} is null or ${inList(column, values)}`;
const isDate = (column: AnySQLiteColumn): SQL => sql`${c(column)} is null or date(${c(column)}) = ${c(column)}`;
const bool = (name: string) => integer(name, { mode: "boolean" });
const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

const timestamps = {
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
};
const versioned = { version: integer("version").notNull().default(1) };
const archivable = { archivedAt: integer("archived_at", { mode: "timestamp_ms" }) };

// ---------------------------------------------------------------------------------------------
// The board and its settings

/** The board (bestuur, bevoegd gezag) itself: one row, id 1. It is the controller under the AVG. */
export const board = sqliteTable(
  "board",
  {
    id: integer("id").primaryKey(),
    name: text("name").notNull(),
    kvk: text("kvk"),
    address: text("address"),
    email: text("email"),
    dpoName: text("dpo_name"),
    dpoEmail: text("dpo_email"),
    dpoPhone: text("dpo_phone"),
    privacyOfficerName: text("privacy_officer_name"),
    ...versioned,
    ...timestamps,
  },
  (t) => [
    check("board_single_row", sql`${c(t.id)} = 1`),
    check("board_kvk", sql`${c(t.kvk)} is null or (length(${c(t.kvk)}) = 8 and ${c(t.kvk)} not glob '*[^0-9]*')`),
  ],
);

/**
 * One row that counts changes to the register: triggers (installTriggers in src/db/client.ts, made at every start) raise
 * `version` on every insert, update and delete in the register's tables, so caches of derived results (the
 * compliance evaluation) know when they are stale, whoever wrote.
 */
export const registerState = sqliteTable(
  "register_state",
  {
    id: integer("id").primaryKey(),
    version: integer("version").notNull().default(0),
  },
  (t) => [check("register_state_single_row", sql`${c(t.id)} = 1`)],
);

/** Thresholds and other settings an admin can change; keys and defaults are defined in src/settings. */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  ...versioned,
  updatedAt: timestamps.updatedAt,
});

export const schools = sqliteTable(
  "schools",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    brin: text("brin").notNull(),
    /** Vestiging: two digits, or "" for the school as a whole (not null, so the unique index holds). */
    location: text("location").notNull().default(""),
    sector: text("sector", { enum: SECTORS }).notNull(),
    city: text("city"),
    contactName: text("contact_name"),
    contactEmail: text("contact_email"),
    ...archivable,
    ...versioned,
    ...timestamps,
  },
  (t) => [
    check("schools_sector", inList(t.sector, SECTORS)),
    check("schools_brin", sql`length(${c(t.brin)}) = 4 and ${c(t.brin)} glob '[0-9][0-9][A-Z][A-Z]'`),
    check("schools_location", sql`${c(t.location)} = '' or (length(${c(t.location)}) = 2 and ${c(t.location)} glob '[0-9][0-9]')`),
    uniqueIndex("schools_brin_location_unique").on(t.brin, t.location),
  ],
);

// ---------------------------------------------------------------------------------------------
// Users and sessions

export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    digestFrequency: text("digest_frequency", { enum: DIGEST_FREQUENCIES }).notNull().default("wekelijks"),
    lastLoginAt: integer("last_login_at", { mode: "timestamp_ms" }),
    passwordChangedAt: integer("password_changed_at", { mode: "timestamp_ms" }),
    disabledAt: integer("disabled_at", { mode: "timestamp_ms" }),
    /** Two-factor (TOTP, RFC 6238): the shared secret in base32, once set up; confirmed when `totpEnabledAt` is set. */
    totpSecret: text("totp_secret"),
    totpEnabledAt: integer("totp_enabled_at", { mode: "timestamp_ms" }),
    /** The 30-second step of the last code accepted: a code is good once. */
    totpLastStep: integer("totp_last_step"),
    /** The OpenID provider's subject (`sub`) once the person has signed in through it. */
    oidcSubject: text("oidc_subject"),
    ...versioned,
    ...timestamps,
  },
  (t) => [
    uniqueIndex("users_oidc_subject_unique").on(t.oidcSubject),
    check("users_role", inList(t.role, ROLES)),
    check("users_digest_frequency", inList(t.digestFrequency, DIGEST_FREQUENCIES)),
    check("users_email_lower", sql`${c(t.email)} = lower(${c(t.email)})`),
    uniqueIndex("users_email_unique").on(t.email),
  ],
);

/** The schools a user with role `school` represents (a Schoolcontact may serve several). */
export const userSchools = sqliteTable(
  "user_schools",
  {
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    schoolId: integer("school_id").notNull().references(() => schools.id, { onDelete: "restrict" }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.schoolId] }), index("user_schools_school_idx").on(t.schoolId)],
);

/** One-time links to set a password: sent on an invitation or a reset, kept as a hash, good for 72 hours. */
export const userInvites = sqliteTable(
  "user_invites",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** SHA-256 of the token in the link: the link itself is sent once and never stored. */
    tokenHash: text("token_hash").notNull(),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("user_invites_token_unique").on(t.tokenHash), index("user_invites_user_idx").on(t.userId)],
);

/** Two-factor recovery codes: ten per set-up, each good once, kept as a hash. */
export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("recovery_codes_user_idx").on(t.userId)],
);

/** express-session's store (src/http/session-store.ts). */
export const sessions = sqliteTable(
  "sessions",
  {
    sid: text("sid").primaryKey(),
    data: text("data").notNull(),
    userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_expires_idx").on(t.expiresAt), index("sessions_user_idx").on(t.userId)],
);

// ---------------------------------------------------------------------------------------------
// Suppliers and applications

export const suppliers = sqliteTable(
  "suppliers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    kvk: text("kvk"),
    website: text("website"),
    privacyContactName: text("privacy_contact_name"),
    privacyContactEmail: text("privacy_contact_email"),
    covenantStatus: text("covenant_status", { enum: COVENANT_STATUSES }).notNull().default("geen"),
    certIso27001: bool("cert_iso27001").notNull().default(false),
    certNen7510: bool("cert_nen7510").notNull().default(false),
    certRosa: bool("cert_rosa").notNull().default(false),
    notes: text("notes"),
    ...archivable,
    ...versioned,
    ...timestamps,
  },
  (t) => [
    check("suppliers_covenant_status", inList(t.covenantStatus, COVENANT_STATUSES)),
    check("suppliers_kvk", sql`${c(t.kvk)} is null or (length(${c(t.kvk)}) = 8 and ${c(t.kvk)} not glob '*[^0-9]*')`),
    uniqueIndex("suppliers_kvk_unique").on(t.kvk),
    uniqueIndex("suppliers_name_unique").on(sql`lower(${t.name})`),
  ],
);

export const applications = sqliteTable(
  "applications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    supplierId: integer("supplier_id")
      .notNull()
      .references(() => suppliers.id, { onDelete: "restrict" }),
    description: text("description"),
    goal: text("goal"),
    lifecycle: text("lifecycle", { enum: LIFECYCLES }).notNull().default("in_gebruik"),
    functionalOwner: text("functional_owner"),
    usedByPupils: bool("used_by_pupils").notNull().default(false),
    usedByStaff: bool("used_by_staff").notNull().default(false),
    usedByParents: bool("used_by_parents").notNull().default(false),
    processesPersonalData: bool("processes_personal_data").notNull().default(true),
    dataLocationCountry: text("data_location_country"),
    dataInEea: bool("data_in_eea"),
    transferMechanism: text("transfer_mechanism", { enum: TRANSFER_MECHANISMS }),
    costOneTimeCents: integer("cost_one_time_cents"),
    costLicencePerYearCents: integer("cost_licence_per_year_cents"),
    costImplementationCents: integer("cost_implementation_cents"),
    ...archivable,
    ...versioned,
    ...timestamps,
  },
  (t) => [
    check("applications_lifecycle", inList(t.lifecycle, LIFECYCLES)),
    check("applications_transfer_mechanism", optionalInList(t.transferMechanism, TRANSFER_MECHANISMS)),
    check(
      "applications_costs_non_negative",
      sql`coalesce(${c(t.costOneTimeCents)}, 0) >= 0 and coalesce(${c(t.costLicencePerYearCents)}, 0) >= 0 and coalesce(${c(t.costImplementationCents)}, 0) >= 0`,
    ),
    uniqueIndex("applications_supplier_name_unique").on(t.supplierId, sql`lower(${t.name})`),
    index("applications_lifecycle_idx").on(t.lifecycle),
    // The list's default order (by name, then id) walks this index instead of sorting every row.
    index("applications_sort_name_idx").on(sql`lower(${t.name})`, t.id),
  ],
);

/** Which school uses which application, since and until when, with the local contact. */
export const applicationSchools = sqliteTable(
  "application_schools",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    applicationId: integer("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id, { onDelete: "restrict" }),
    since: text("since"),
    until: text("until"),
    localContact: text("local_contact"),
    ...versioned,
  },
  (t) => [
    check("application_schools_since", isDate(t.since)),
    check("application_schools_until", isDate(t.until)),
    check("application_schools_period", sql`${c(t.since)} is null or ${c(t.until)} is null or ${c(t.until)} >= ${c(t.since)}`),
    uniqueIndex("application_schools_unique").on(t.applicationId, t.schoolId),
    index("application_schools_school_idx").on(t.schoolId, t.applicationId),
  ],
);

// ---------------------------------------------------------------------------------------------
// Data categories, data subjects and what each application processes

export const dataCategories = sqliteTable(
  "data_categories",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    code: text("code").notNull(),
    label: text("label").notNull(),
    description: text("description"),
    flag: text("flag", { enum: CATEGORY_FLAGS }),
    /** The lowest confidentiality (V) a classification may have while this category is processed. */
    minConfidentiality: text("min_confidentiality", { enum: LEVELS }).notNull().default("laag"),
    isCustom: bool("is_custom").notNull().default(false),
    sortOrder: integer("sort_order").notNull().default(0),
    ...archivable,
    ...versioned,
    ...timestamps,
  },
  (t) => [
    check("data_categories_flag", optionalInList(t.flag, CATEGORY_FLAGS)),
    check("data_categories_min_confidentiality", inList(t.minConfidentiality, LEVELS)),
    uniqueIndex("data_categories_code_unique").on(t.code),
  ],
);

export const dataSubjects = sqliteTable(
  "data_subjects",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    code: text("code").notNull(),
    label: text("label").notNull(),
    vulnerable: bool("vulnerable").notNull().default(false),
    sortOrder: integer("sort_order").notNull().default(0),
    ...archivable,
    ...versioned,
  },
  (t) => [uniqueIndex("data_subjects_code_unique").on(t.code)],
);

/** What data of whom an application processes, and why (the purpose, per line). */
export const applicationData = sqliteTable(
  "application_data",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    applicationId: integer("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    dataCategoryId: integer("data_category_id")
      .notNull()
      .references(() => dataCategories.id, { onDelete: "restrict" }),
    dataSubjectId: integer("data_subject_id")
      .notNull()
      .references(() => dataSubjects.id, { onDelete: "restrict" }),
    purpose: text("purpose"),
    detail: text("detail"),
  },
  (t) => [
    uniqueIndex("application_data_unique").on(t.applicationId, t.dataCategoryId, t.dataSubjectId),
    index("application_data_category_idx").on(t.dataCategoryId),
  ],
);

// ---------------------------------------------------------------------------------------------
// Documents (signed agreements, DPIA reports): stored on disk under their SHA-256, outside the web root.

export const documents = sqliteTable(
  "documents",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    sha256: text("sha256").notNull(),
    originalName: text("original_name").notNull(),
    mimeType: text("mime_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    uploadedBy: integer("uploaded_by").references(() => users.id, { onDelete: "set null" }),
    uploadedAt: integer("uploaded_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    check("documents_sha256", sql`length(${c(t.sha256)}) = 64 and ${c(t.sha256)} not glob '*[^0-9a-f]*'`),
    check("documents_size", sql`${c(t.sizeBytes)} > 0`),
    index("documents_sha256_idx").on(t.sha256),
  ],
);

// ---------------------------------------------------------------------------------------------
// Processor agreements (verwerkersovereenkomsten)

export const agreements = sqliteTable(
  "agreements",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    supplierId: integer("supplier_id")
      .notNull()
      .references(() => suppliers.id, { onDelete: "restrict" }),
    reference: text("reference").notNull(),
    model: text("model", { enum: AGREEMENT_MODELS }).notNull(),
    status: text("status", { enum: AGREEMENT_STATUSES }).notNull().default("concept"),
    signedOn: text("signed_on"),
    startsOn: text("starts_on"),
    endsOn: text("ends_on"),
    nextReviewOn: text("next_review_on"),
    signatoryName: text("signatory_name"),
    signatoryRole: text("signatory_role"),
    signedViaPortal: bool("signed_via_portal").notNull().default(false),
    deviations: text("deviations"),
    deviationsMotivation: text("deviations_motivation"),
    annexVersion: text("annex_version"),
    annexDate: text("annex_date"),
    breachNotificationHours: integer("breach_notification_hours"),
    deletionTermDays: integer("deletion_term_days"),
    sivonReviewUrl: text("sivon_review_url"),
    sivonRiskLevel: text("sivon_risk_level", { enum: LEVELS }),
    documentId: integer("document_id").references(() => documents.id, { onDelete: "restrict" }),
    /** A new version of an agreement points to the one it replaces; the old one stays as history. */
    supersedesId: integer("supersedes_id").references((): AnySQLiteColumn => agreements.id, { onDelete: "restrict" }),
    notes: text("notes"),
    ...versioned,
    ...timestamps,
  },
  (t) => [
    check("agreements_model", inList(t.model, AGREEMENT_MODELS)),
    check("agreements_status", inList(t.status, AGREEMENT_STATUSES)),
    check("agreements_sivon_risk_level", optionalInList(t.sivonRiskLevel, LEVELS)),
    check("agreements_signed_on", isDate(t.signedOn)),
    check("agreements_starts_on", isDate(t.startsOn)),
    check("agreements_ends_on", isDate(t.endsOn)),
    check("agreements_next_review_on", isDate(t.nextReviewOn)),
    check("agreements_annex_date", isDate(t.annexDate)),
    check("agreements_period", sql`${c(t.startsOn)} is null or ${c(t.endsOn)} is null or ${c(t.endsOn)} >= ${c(t.startsOn)}`),
    check("agreements_breach_hours", sql`${c(t.breachNotificationHours)} is null or ${c(t.breachNotificationHours)} >= 0`),
    check("agreements_deletion_days", sql`${c(t.deletionTermDays)} is null or ${c(t.deletionTermDays)} >= 0`),
    index("agreements_supplier_idx").on(t.supplierId),
    index("agreements_status_ends_idx").on(t.status, t.endsOn),
    index("agreements_supersedes_idx").on(t.supersedesId),
  ],
);

export const agreementApplications = sqliteTable(
  "agreement_applications",
  {
    agreementId: integer("agreement_id")
      .notNull()
      .references(() => agreements.id, { onDelete: "cascade" }),
    applicationId: integer("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    /**
     * Why an agreement with one supplier covers an application of another (a reseller, "wederverkoper");
     * null when the application is the agreement's supplier's own.
     */
    resellerReason: text("reseller_reason"),
  },
  (t) => [
    primaryKey({ columns: [t.agreementId, t.applicationId] }),
    index("agreement_applications_application_idx").on(t.applicationId),
  ],
);

export const agreementDataCategories = sqliteTable(
  "agreement_data_categories",
  {
    agreementId: integer("agreement_id")
      .notNull()
      .references(() => agreements.id, { onDelete: "cascade" }),
    dataCategoryId: integer("data_category_id")
      .notNull()
      .references(() => dataCategories.id, { onDelete: "restrict" }),
  },
  (t) => [
    primaryKey({ columns: [t.agreementId, t.dataCategoryId] }),
    index("agreement_data_categories_category_idx").on(t.dataCategoryId),
  ],
);

export const agreementDataSubjects = sqliteTable(
  "agreement_data_subjects",
  {
    agreementId: integer("agreement_id")
      .notNull()
      .references(() => agreements.id, { onDelete: "cascade" }),
    dataSubjectId: integer("data_subject_id")
      .notNull()
      .references(() => dataSubjects.id, { onDelete: "restrict" }),
  },
  (t) => [primaryKey({ columns: [t.agreementId, t.dataSubjectId] })],
);

export const subProcessors = sqliteTable(
  "sub_processors",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    agreementId: integer("agreement_id")
      .notNull()
      .references(() => agreements.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    service: text("service"),
    country: text("country"),
    inEea: bool("in_eea").notNull().default(true),
    sortOrder: integer("sort_order").notNull().default(0),
  },
  (t) => [index("sub_processors_agreement_idx").on(t.agreementId)],
);

// ---------------------------------------------------------------------------------------------
// BIV classification and security measures

/** Every classification is kept: the current one of an application is its newest row. */
export const classifications = sqliteTable(
  "classifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    applicationId: integer("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    availability: text("availability", { enum: LEVELS }).notNull(),
    integrity: text("integrity", { enum: LEVELS }).notNull(),
    confidentiality: text("confidentiality", { enum: LEVELS }).notNull(),
    proposedAvailability: text("proposed_availability", { enum: LEVELS }),
    proposedIntegrity: text("proposed_integrity", { enum: LEVELS }),
    proposedConfidentiality: text("proposed_confidentiality", { enum: LEVELS }),
    /** The answers to the guiding questions, as JSON (keys in src/classifications). */
    answers: text("answers", { mode: "json" }).$type<Record<string, string>>(),
    rationale: text("rationale").notNull(),
    reason: text("reason"),
    assessedBy: integer("assessed_by").references(() => users.id, { onDelete: "set null" }),
    assessorName: text("assessor_name").notNull(),
    assessedOn: text("assessed_on").notNull(),
    nextReviewOn: text("next_review_on").notNull(),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    check("classifications_availability", inList(t.availability, LEVELS)),
    check("classifications_integrity", inList(t.integrity, LEVELS)),
    check("classifications_confidentiality", inList(t.confidentiality, LEVELS)),
    check("classifications_proposed_availability", optionalInList(t.proposedAvailability, LEVELS)),
    check("classifications_proposed_integrity", optionalInList(t.proposedIntegrity, LEVELS)),
    check("classifications_proposed_confidentiality", optionalInList(t.proposedConfidentiality, LEVELS)),
    check("classifications_assessed_on", sql`date(${c(t.assessedOn)}) = ${c(t.assessedOn)}`),
    check("classifications_next_review_on", sql`date(${c(t.nextReviewOn)}) = ${c(t.nextReviewOn)}`),
    index("classifications_application_idx").on(t.applicationId, t.id),
  ],
);

/** The catalogue: a measure is required from `level` upward on its aspect. */
export const securityMeasures = sqliteTable(
  "security_measures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    code: text("code").notNull(),
    aspect: text("aspect", { enum: ASPECTS }).notNull(),
    level: text("level", { enum: LEVELS }).notNull(),
    title: text("title").notNull(),
    description: text("description"),
    owner: text("owner", { enum: MEASURE_OWNERS }).notNull().default("beide"),
    sortOrder: integer("sort_order").notNull().default(0),
    ...archivable,
    ...versioned,
    ...timestamps,
  },
  (t) => [
    check("security_measures_aspect", inList(t.aspect, ASPECTS)),
    check("security_measures_level", inList(t.level, LEVELS)),
    check("security_measures_owner", inList(t.owner, MEASURE_OWNERS)),
    uniqueIndex("security_measures_code_unique").on(t.code),
    index("security_measures_aspect_level_idx").on(t.aspect, t.level),
  ],
);

export const applicationMeasures = sqliteTable(
  "application_measures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    applicationId: integer("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    measureId: integer("measure_id")
      .notNull()
      .references(() => securityMeasures.id, { onDelete: "restrict" }),
    status: text("status", { enum: MEASURE_STATUSES }).notNull(),
    note: text("note"),
    checkedOn: text("checked_on"),
    checkedBy: integer("checked_by").references(() => users.id, { onDelete: "set null" }),
    ...versioned,
  },
  (t) => [
    check("application_measures_status", inList(t.status, MEASURE_STATUSES)),
    check("application_measures_checked_on", isDate(t.checkedOn)),
    uniqueIndex("application_measures_unique").on(t.applicationId, t.measureId),
  ],
);

// ---------------------------------------------------------------------------------------------
// FORA (Funderend Onderwijs Referentie Architectuur)

export const foraDomains = sqliteTable(
  "fora_domains",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    code: text("code").notNull(),
    name: text("name").notNull(),
    sortOrder: integer("sort_order").notNull().default(0),
  },
  (t) => [uniqueIndex("fora_domains_code_unique").on(t.code)],
);

export const foraFunctions = sqliteTable(
  "fora_functions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    domainId: integer("domain_id")
      .notNull()
      .references(() => foraDomains.id, { onDelete: "restrict" }),
    code: text("code").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    sortOrder: integer("sort_order").notNull().default(0),
    ...archivable,
    ...versioned,
  },
  (t) => [uniqueIndex("fora_functions_code_unique").on(t.code), index("fora_functions_domain_idx").on(t.domainId)],
);

export const applicationFunctions = sqliteTable(
  "application_functions",
  {
    applicationId: integer("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    functionId: integer("function_id")
      .notNull()
      .references(() => foraFunctions.id, { onDelete: "restrict" }),
  },
  (t) => [
    primaryKey({ columns: [t.applicationId, t.functionId] }),
    index("application_functions_function_idx").on(t.functionId),
  ],
);

// ---------------------------------------------------------------------------------------------
// DPIA, data breaches, retention

/** The DPIA decision of an application (one per application; its changes are in the audit log). */
export const dpias = sqliteTable(
  "dpias",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    applicationId: integer("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    required: text("required", { enum: DPIA_REQUIRED }).notNull().default("onbekend"),
    /** Codes of the EDPB criteria and the Dutch regulator's list that apply (src/dpias). */
    criteria: text("criteria", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    notRequiredReasoning: text("not_required_reasoning"),
    type: text("type", { enum: DPIA_TYPES }),
    status: text("status", { enum: DPIA_STATUSES }).notNull().default("niet_gestart"),
    performedOn: text("performed_on"),
    residualRisk: text("residual_risk", { enum: LEVELS }),
    nextReviewOn: text("next_review_on"),
    documentId: integer("document_id").references(() => documents.id, { onDelete: "restrict" }),
    ...versioned,
    ...timestamps,
  },
  (t) => [
    check("dpias_required", inList(t.required, DPIA_REQUIRED)),
    check("dpias_type", optionalInList(t.type, DPIA_TYPES)),
    check("dpias_status", inList(t.status, DPIA_STATUSES)),
    check("dpias_residual_risk", optionalInList(t.residualRisk, LEVELS)),
    check("dpias_performed_on", isDate(t.performedOn)),
    check("dpias_next_review_on", isDate(t.nextReviewOn)),
    uniqueIndex("dpias_application_unique").on(t.applicationId),
  ],
);

export const breaches = sqliteTable(
  "breaches",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    title: text("title").notNull(),
    description: text("description"),
    applicationId: integer("application_id").references(() => applications.id, { onDelete: "restrict" }),
    supplierId: integer("supplier_id").references(() => suppliers.id, { onDelete: "restrict" }),
    discoveredAt: integer("discovered_at", { mode: "timestamp_ms" }).notNull(),
    discoveredBy: text("discovered_by"),
    supplierReportedAt: integer("supplier_reported_at", { mode: "timestamp_ms" }),
    affectsConfidentiality: bool("affects_confidentiality").notNull().default(false),
    affectsIntegrity: bool("affects_integrity").notNull().default(false),
    affectsAvailability: bool("affects_availability").notNull().default(false),
    peopleCount: integer("people_count"),
    recordsCount: integer("records_count"),
    risk: text("risk", { enum: BREACH_RISKS }),
    regulatorNotified: text("regulator_notified", { enum: YES_NO_UNKNOWN }).notNull().default("onbekend"),
    regulatorNotifiedAt: integer("regulator_notified_at", { mode: "timestamp_ms" }),
    regulatorReasoning: text("regulator_reasoning"),
    subjectsNotified: text("subjects_notified", { enum: YES_NO_UNKNOWN }).notNull().default("onbekend"),
    subjectsNotifiedAt: integer("subjects_notified_at", { mode: "timestamp_ms" }),
    subjectsReasoning: text("subjects_reasoning"),
    measures: text("measures"),
    closedAt: integer("closed_at", { mode: "timestamp_ms" }),
    ...versioned,
    ...timestamps,
  },
  (t) => [
    check("breaches_risk", optionalInList(t.risk, BREACH_RISKS)),
    check("breaches_regulator_notified", inList(t.regulatorNotified, YES_NO_UNKNOWN)),
    check("breaches_subjects_notified", inList(t.subjectsNotified, YES_NO_UNKNOWN)),
    check("breaches_counts", sql`coalesce(${c(t.peopleCount)}, 0) >= 0 and coalesce(${c(t.recordsCount)}, 0) >= 0`),
    check(
      "breaches_order",
      sql`(${c(t.regulatorNotifiedAt)} is null or ${c(t.regulatorNotifiedAt)} >= ${c(t.discoveredAt)}) and (${c(t.closedAt)} is null or ${c(t.closedAt)} >= ${c(t.discoveredAt)})`,
    ),
    index("breaches_application_idx").on(t.applicationId),
    index("breaches_open_idx").on(t.closedAt),
  ],
);

export const breachDataCategories = sqliteTable(
  "breach_data_categories",
  {
    breachId: integer("breach_id")
      .notNull()
      .references(() => breaches.id, { onDelete: "cascade" }),
    dataCategoryId: integer("data_category_id")
      .notNull()
      .references(() => dataCategories.id, { onDelete: "restrict" }),
  },
  (t) => [primaryKey({ columns: [t.breachId, t.dataCategoryId] })],
);

export const retentionRules = sqliteTable(
  "retention_rules",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    dataCategoryId: integer("data_category_id").references(() => dataCategories.id, { onDelete: "restrict" }),
    recordType: text("record_type").notNull(),
    termMonths: integer("term_months"),
    termText: text("term_text").notNull(),
    trigger: text("trigger").notNull(),
    action: text("action", { enum: RETENTION_ACTIONS }).notNull(),
    source: text("source"),
    ...archivable,
    ...versioned,
    ...timestamps,
  },
  (t) => [
    check("retention_rules_action", inList(t.action, RETENTION_ACTIONS)),
    check("retention_rules_term", sql`${c(t.termMonths)} is null or ${c(t.termMonths)} >= 0`),
    index("retention_rules_category_idx").on(t.dataCategoryId),
  ],
);

// ---------------------------------------------------------------------------------------------
// Intake of new applications

export const intakeRequests = sqliteTable(
  "intake_requests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id, { onDelete: "restrict" }),
    requestedBy: integer("requested_by").references(() => users.id, { onDelete: "set null" }),
    applicationName: text("application_name").notNull(),
    supplierId: integer("supplier_id").references(() => suppliers.id, { onDelete: "restrict" }),
    supplierName: text("supplier_name"),
    supplierCovenantStatus: text("supplier_covenant_status", { enum: COVENANT_STATUSES }),
    goal: text("goal").notNull(),
    foraFunctionId: integer("fora_function_id").references(() => foraFunctions.id, { onDelete: "restrict" }),
    existingAlternatives: text("existing_alternatives"),
    landscapeFit: text("landscape_fit"),
    costOneTimeCents: integer("cost_one_time_cents"),
    costLicencePerYearCents: integer("cost_licence_per_year_cents"),
    costImplementationCents: integer("cost_implementation_cents"),
    status: text("status", { enum: INTAKE_STATUSES }).notNull().default("ingediend"),
    decisionReason: text("decision_reason"),
    decidedBy: integer("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }),
    applicationId: integer("application_id").references(() => applications.id, { onDelete: "set null" }),
    ...versioned,
    ...timestamps,
  },
  (t) => [
    check("intake_requests_status", inList(t.status, INTAKE_STATUSES)),
    check("intake_requests_covenant", optionalInList(t.supplierCovenantStatus, COVENANT_STATUSES)),
    check(
      "intake_requests_costs_non_negative",
      sql`coalesce(${c(t.costOneTimeCents)}, 0) >= 0 and coalesce(${c(t.costLicencePerYearCents)}, 0) >= 0 and coalesce(${c(t.costImplementationCents)}, 0) >= 0`,
    ),
    index("intake_requests_school_idx").on(t.schoolId, t.status),
  ],
);

export const intakeRequestData = sqliteTable(
  "intake_request_data",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestId: integer("request_id")
      .notNull()
      .references(() => intakeRequests.id, { onDelete: "cascade" }),
    dataCategoryId: integer("data_category_id")
      .notNull()
      .references(() => dataCategories.id, { onDelete: "restrict" }),
    dataSubjectId: integer("data_subject_id")
      .notNull()
      .references(() => dataSubjects.id, { onDelete: "restrict" }),
    purpose: text("purpose"),
  },
  (t) => [uniqueIndex("intake_request_data_unique").on(t.requestId, t.dataCategoryId, t.dataSubjectId)],
);

// ---------------------------------------------------------------------------------------------
// Audit log: who changed what, when, from what to what. Written in the same transaction as the change.

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    /** The actor as shown then (name and e-mail), kept even when the user is removed later. */
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: integer("entity_id"),
    summary: text("summary").notNull(),
    before: text("before", { mode: "json" }).$type<Record<string, unknown> | null>(),
    after: text("after", { mode: "json" }).$type<Record<string, unknown> | null>(),
    /** SHA-256 over this entry's content and the previous entry's hash: the chain that shows tampering. */
    hash: text("hash"),
    prevHash: text("prev_hash"),
  },
  (t) => [
    index("audit_log_entity_idx").on(t.entityType, t.entityId, t.id),
    index("audit_log_at_idx").on(t.at),
    // /audit lists entries newest first, filtered on record type or user (and a period): each in time order.
    index("audit_log_type_at_idx").on(t.entityType, t.at),
    index("audit_log_user_at_idx").on(t.userId, t.at),
  ],
);

// ---------------------------------------------------------------------------------------------
// Reports: every download is recorded; frozen snapshots are immutable (triggers refuse changes).

export const reportDownloads = sqliteTable(
  "report_downloads",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    actor: text("actor").notNull(),
    report: text("report").notNull(),
    format: text("format").notNull(),
    referenceDate: text("reference_date").notNull(),
    filters: text("filters", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    sha256: text("sha256").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    snapshotId: integer("snapshot_id").references((): AnySQLiteColumn => snapshots.id, { onDelete: "restrict" }),
  },
  (t) => [index("report_downloads_at_idx").on(t.at)],
);

export const snapshots = sqliteTable(
  "snapshots",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    title: text("title").notNull(),
    referenceDate: text("reference_date").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    actor: text("actor").notNull(),
    /** SHA-256 over the hashes of its files, in order. */
    sha256: text("sha256").notNull(),
  },
  (t) => [check("snapshots_reference_date", sql`date(${c(t.referenceDate)}) = ${c(t.referenceDate)}`)],
);

export const snapshotFiles = sqliteTable(
  "snapshot_files",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    snapshotId: integer("snapshot_id")
      .notNull()
      .references(() => snapshots.id, { onDelete: "restrict" }),
    report: text("report").notNull(),
    format: text("format").notNull(),
    fileName: text("file_name").notNull(),
    mimeType: text("mime_type").notNull(),
    sha256: text("sha256").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    content: blob("content", { mode: "buffer" }).notNull(),
  },
  (t) => [uniqueIndex("snapshot_files_unique").on(t.snapshotId, t.report, t.format)],
);

// ---------------------------------------------------------------------------------------------
// Getting data in and out: imports and personal API tokens.

export const imports = sqliteTable("imports", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  at: integer("at", { mode: "timestamp_ms" }).notNull(),
  userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
  actor: text("actor").notNull(),
  kind: text("kind").notNull(),
  fileName: text("file_name").notNull(),
  sha256: text("sha256").notNull(),
  /** Rows new, changed, unchanged, as JSON. */
  counts: text("counts", { mode: "json" }).$type<Record<string, number>>().notNull(),
});

export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** SHA-256 of the token: the token itself is shown once and never stored. */
    tokenHash: text("token_hash").notNull(),
    /** The first characters, so a user can tell tokens apart. */
    prefix: text("prefix").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("api_tokens_hash_unique").on(t.tokenHash), index("api_tokens_user_idx").on(t.userId)],
);

// ---------------------------------------------------------------------------------------------
// Workflows: the intake conversation, reminders sent once per occasion, and mail that is retried.

export const intakeMessages = sqliteTable(
  "intake_messages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestId: integer("request_id")
      .notNull()
      .references(() => intakeRequests.id, { onDelete: "cascade" }),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    actor: text("actor").notNull(),
    body: text("body").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("intake_messages_request_idx").on(t.requestId, t.id)],
);

export const remindersSent = sqliteTable(
  "reminders_sent",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** What the reminder is about, e.g. "agreement_expiring:12:2026-12-31": one reminder per user and occasion. */
    occasion: text("occasion").notNull(),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }).notNull(),
    mailId: integer("mail_id").references((): AnySQLiteColumn => mailOutbox.id, { onDelete: "set null" }),
  },
  (t) => [uniqueIndex("reminders_sent_unique").on(t.userId, t.occasion)],
);

export const mailOutbox = sqliteTable(
  "mail_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }).notNull(),
    lastError: text("last_error"),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("mail_outbox_pending_idx").on(t.sentAt, t.nextAttemptAt)],
);
