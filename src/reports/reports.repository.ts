// The lists the reports read, each one query for the whole register (or for the applications of some
// schools), never one per application: a report covers thousands of rows. Raw rows from statements cached
// per connection, as on the other hot paths (src/compliance/compliance.repository.ts).
import { asc, desc, eq, inArray, isNull } from "drizzle-orm";
import { cachedStatement, clientOf, type DbOrTx } from "../db/client";
import { reportDownloads, schools, snapshotFiles, snapshots } from "../db/schema";

const rows = <T>(db: DbOrTx, sql: string, ...params: unknown[]): T[] => cachedStatement(clientOf(db), sql).all(...params) as T[];

// ---------------------------------------------------------------------------------------------
// Schools

export function schoolsById(db: DbOrTx, ids: number[]) {
  if (ids.length === 0) return [];
  return db.select({ id: schools.id, name: schools.name }).from(schools).where(inArray(schools.id, ids)).orderBy(asc(schools.name)).all();
}

export function schoolOptions(db: DbOrTx) {
  return db.select({ id: schools.id, name: schools.name }).from(schools).where(isNull(schools.archivedAt)).orderBy(asc(schools.name)).all();
}

/** The applications (ids) used by any of these schools. */
export function applicationIdsOfSchools(db: DbOrTx, schoolIds: number[]): Set<number> {
  return new Set(
    rows<{ id: number }>(db, "select distinct application_id id from application_schools where school_id in (select value from json_each(?))", JSON.stringify(schoolIds)).map(
      (r) => r.id,
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Applications and what they process

export type ApplicationRow = {
  id: number;
  name: string;
  supplierId: number;
  supplierName: string;
  lifecycle: string;
  processesPersonalData: number;
  archived: number;
  goal: string | null;
  description: string | null;
  dataLocationCountry: string | null;
  dataInEea: number | null;
  transferMechanism: string | null;
  costLicencePerYearCents: number | null;
  schoolCount: number;
};

/** Every application, archived or not, with its supplier and the number of schools that use it. */
export function applicationRows(db: DbOrTx): ApplicationRow[] {
  return rows<ApplicationRow>(
    db,
    `select a.id, a.name, a.supplier_id supplierId, s.name supplierName, a.lifecycle, a.processes_personal_data processesPersonalData,
       a.archived_at is not null archived, a.goal, a.description, a.data_location_country dataLocationCountry, a.data_in_eea dataInEea,
       a.transfer_mechanism transferMechanism, a.cost_licence_per_year_cents costLicencePerYearCents,
       (select count(*) from application_schools x where x.application_id = a.id) schoolCount
     from applications a join suppliers s on s.id = a.supplier_id`,
  );
}

export type DataLine = { applicationId: number; categoryId: number; category: string; flag: string | null; subject: string; purpose: string | null; categoryOrder: number; subjectOrder: number };

/** What data of whom each application processes, and why. */
export function dataLines(db: DbOrTx): DataLine[] {
  return rows<DataLine>(
    db,
    `select d.application_id applicationId, c.id categoryId, c.label category, c.flag, s.label subject, d.purpose,
       c.sort_order categoryOrder, s.sort_order subjectOrder
     from application_data d join data_categories c on c.id = d.data_category_id join data_subjects s on s.id = d.data_subject_id
     order by d.application_id, c.sort_order, c.label, s.sort_order`,
  );
}

// ---------------------------------------------------------------------------------------------
// Agreements

export type AgreementRow = {
  id: number;
  reference: string;
  supplierName: string;
  model: string;
  status: string;
  signedOn: string | null;
  startsOn: string | null;
  endsOn: string | null;
  nextReviewOn: string | null;
  signedViaPortal: number;
  breachNotificationHours: number | null;
  deletionTermDays: number | null;
  categoryCount: number;
};

export function agreementRows(db: DbOrTx): AgreementRow[] {
  return rows<AgreementRow>(
    db,
    `select a.id, a.reference, s.name supplierName, a.model, a.status, a.signed_on signedOn, a.starts_on startsOn, a.ends_on endsOn,
       a.next_review_on nextReviewOn, a.signed_via_portal signedViaPortal, a.breach_notification_hours breachNotificationHours,
       a.deletion_term_days deletionTermDays,
       (select count(*) from agreement_data_categories c where c.agreement_id = a.id) categoryCount
     from agreements a join suppliers s on s.id = a.supplier_id`,
  );
}

/** Which agreement covers which application. */
export function agreementLinks(db: DbOrTx): { agreementId: number; applicationId: number }[] {
  return rows(db, "select agreement_id agreementId, application_id applicationId from agreement_applications");
}

/** Which data categories each agreement covers. */
export function agreementCoverage(db: DbOrTx): { agreementId: number; categoryId: number }[] {
  return rows(db, "select agreement_id agreementId, data_category_id categoryId from agreement_data_categories");
}

export type SubProcessorRow = { agreementId: number; name: string; service: string | null; country: string | null; inEea: number };

export function subProcessorRows(db: DbOrTx): SubProcessorRow[] {
  return rows(db, "select agreement_id agreementId, name, service, country, in_eea inEea from sub_processors order by agreement_id, sort_order, id");
}

// ---------------------------------------------------------------------------------------------
// Classifications and measures

export type ClassificationRow = {
  applicationId: number;
  availability: string;
  integrity: string;
  confidentiality: string;
  assessedOn: string;
  assessorName: string;
  nextReviewOn: string;
};

/** The current (newest) classification of each application. */
export function currentClassifications(db: DbOrTx): ClassificationRow[] {
  return rows(
    db,
    `select c.application_id applicationId, c.availability, c.integrity, c.confidentiality, c.assessed_on assessedOn,
       c.assessor_name assessorName, c.next_review_on nextReviewOn
     from classifications c join (select application_id, max(id) id from classifications group by application_id) newest on newest.id = c.id`,
  );
}

export type MeasureRow = { id: number; code: string; aspect: string; level: string; title: string; owner: string };

/** The catalogue in use (not archived), in its order. */
export function measureCatalogue(db: DbOrTx): MeasureRow[] {
  return rows(db, "select id, code, aspect, level, title, owner from security_measures where archived_at is null order by sort_order, id");
}

export type RecordedMeasure = { applicationId: number; measureId: number; status: string; checkedOn: string | null; note: string | null };

export function recordedMeasures(db: DbOrTx): RecordedMeasure[] {
  return rows(db, "select application_id applicationId, measure_id measureId, status, checked_on checkedOn, note from application_measures");
}

// ---------------------------------------------------------------------------------------------
// DPIAs, breaches, retention

export type DpiaRow = {
  applicationId: number;
  required: string;
  criteria: string;
  notRequiredReasoning: string | null;
  type: string | null;
  status: string;
  performedOn: string | null;
  residualRisk: string | null;
  nextReviewOn: string | null;
};

export function dpiaRows(db: DbOrTx): DpiaRow[] {
  return rows(
    db,
    `select application_id applicationId, required, criteria, not_required_reasoning notRequiredReasoning, type, status,
       performed_on performedOn, residual_risk residualRisk, next_review_on nextReviewOn from dpias`,
  );
}

export type BreachRow = {
  id: number;
  title: string;
  discoveredAt: number;
  discoveredBy: string | null;
  applicationName: string | null;
  supplierName: string | null;
  affectsConfidentiality: number;
  affectsIntegrity: number;
  affectsAvailability: number;
  categories: string | null;
  peopleCount: number | null;
  recordsCount: number | null;
  risk: string | null;
  regulatorNotified: string;
  regulatorNotifiedAt: number | null;
  regulatorReasoning: string | null;
  subjectsNotified: string;
  subjectsReasoning: string | null;
  supplierReportedAt: number | null;
  measures: string | null;
  closedAt: number | null;
};

/** Breaches discovered in [from, to) (epoch ms), oldest first; the supplier is the breach's own or its application's. */
export function breachRows(db: DbOrTx, fromMs: number, toMs: number): BreachRow[] {
  return rows(
    db,
    `select b.id, b.title, b.discovered_at discoveredAt, b.discovered_by discoveredBy, a.name applicationName,
       coalesce(s.name, sa.name) supplierName, b.affects_confidentiality affectsConfidentiality, b.affects_integrity affectsIntegrity,
       b.affects_availability affectsAvailability,
       (select group_concat(label, ', ') from (select c.label from breach_data_categories bc join data_categories c on c.id = bc.data_category_id
          where bc.breach_id = b.id order by c.sort_order, c.label)) categories,
       b.people_count peopleCount, b.records_count recordsCount, b.risk, b.regulator_notified regulatorNotified,
       b.regulator_notified_at regulatorNotifiedAt, b.regulator_reasoning regulatorReasoning, b.subjects_notified subjectsNotified,
       b.subjects_reasoning subjectsReasoning, b.supplier_reported_at supplierReportedAt, b.measures, b.closed_at closedAt
     from breaches b left join applications a on a.id = b.application_id left join suppliers s on s.id = b.supplier_id
       left join suppliers sa on sa.id = a.supplier_id
     where b.discovered_at >= ? and b.discovered_at < ? order by b.discovered_at, b.id`,
    fromMs,
    toMs,
  );
}

export type RetentionRow = {
  recordType: string;
  category: string | null;
  categoryId: number | null;
  termText: string;
  termMonths: number | null;
  trigger: string;
  action: string;
  source: string | null;
};

export function retentionRows(db: DbOrTx): RetentionRow[] {
  return rows(
    db,
    `select r.record_type recordType, c.label category, r.data_category_id categoryId, r.term_text termText, r.term_months termMonths,
       r.trigger, r.action, r.source
     from retention_rules r left join data_categories c on c.id = r.data_category_id
     where r.archived_at is null order by coalesce(c.sort_order, 1000000), r.record_type, r.id`,
  );
}

// ---------------------------------------------------------------------------------------------
// The change history

export type AuditRow = {
  id: number;
  at: number;
  actor: string;
  action: string;
  entityType: string;
  entityId: number | null;
  summary: string;
  before: string | null;
  after: string | null;
  hash: string | null;
};

/**
 * One batch of entries in [fromMs, toMs), optionally of one record type, in order: those after `afterId` up to
 * `lastId` (the newest entry when the report was made), at most `limit`. Walks the primary key (the unary + keeps
 * SQLite off the indexes on at and entity_type, which would sort every match for each batch).
 */
export function auditBatch(db: DbOrTx, range: { fromMs: number; toMs: number; entityType?: string; afterId: number; lastId: number; limit: number }): AuditRow[] {
  return rows(
    db,
    `select id, at, actor, action, entity_type entityType, entity_id entityId, summary, before, after, hash from audit_log
     where id > ? and id <= ? and +at >= ? and +at < ? and (? is null or +entity_type = ?) order by id limit ?`,
    range.afterId,
    range.lastId,
    range.fromMs,
    range.toMs,
    range.entityType ?? null,
    range.entityType ?? null,
    range.limit,
  );
}

/** The newest entry of the change history and the number of entries. */
export function newestAuditEntry(db: DbOrTx): { id: number; hash: string | null; count: number } | undefined {
  const row = cachedStatement(clientOf(db), "select id, hash, (select count(*) from audit_log) count from audit_log order by id desc limit 1").get();
  return row as { id: number; hash: string | null; count: number } | undefined;
}

/** The record types the change history holds, for the filter. */
export function auditEntityTypes(db: DbOrTx): string[] {
  return rows<{ t: string }>(db, "select distinct entity_type t from audit_log order by 1").map((r) => r.t);
}

// ---------------------------------------------------------------------------------------------
// Downloads and snapshots

export type DownloadRecord = typeof reportDownloads.$inferInsert;

export function insertDownload(db: DbOrTx, record: DownloadRecord): void {
  db.insert(reportDownloads).values(record).run();
}

export function listSnapshots(db: DbOrTx) {
  return db
    .select({
      id: snapshots.id,
      title: snapshots.title,
      referenceDate: snapshots.referenceDate,
      createdAt: snapshots.createdAt,
      actor: snapshots.actor,
      sha256: snapshots.sha256,
    })
    .from(snapshots)
    .orderBy(desc(snapshots.id))
    .all();
}

export function findSnapshot(db: DbOrTx, id: number) {
  return db.select().from(snapshots).where(eq(snapshots.id, id)).get();
}

/** A snapshot's files without their content. */
export function filesOfSnapshot(db: DbOrTx, snapshotId: number) {
  return db
    .select({
      id: snapshotFiles.id,
      report: snapshotFiles.report,
      format: snapshotFiles.format,
      fileName: snapshotFiles.fileName,
      mimeType: snapshotFiles.mimeType,
      sha256: snapshotFiles.sha256,
      sizeBytes: snapshotFiles.sizeBytes,
    })
    .from(snapshotFiles)
    .where(eq(snapshotFiles.snapshotId, snapshotId))
    .orderBy(asc(snapshotFiles.id))
    .all();
}

export function findSnapshotFile(db: DbOrTx, snapshotId: number, fileId: number) {
  const file = db.select().from(snapshotFiles).where(eq(snapshotFiles.id, fileId)).get();
  return file && file.snapshotId === snapshotId ? file : undefined;
}

export type NewSnapshot = typeof snapshots.$inferInsert;
export type NewSnapshotFile = Omit<typeof snapshotFiles.$inferInsert, "snapshotId">;

export function insertSnapshot(db: DbOrTx, snapshot: NewSnapshot, files: NewSnapshotFile[]) {
  const row = db.insert(snapshots).values(snapshot).returning().get();
  for (const file of files) db.insert(snapshotFiles).values({ ...file, snapshotId: row.id }).run();
  return row;
}
