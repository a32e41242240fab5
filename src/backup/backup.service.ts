// A backup is one SQLite file that holds everything: a consistent copy of the live database, made with
// SQLite's online backup API while the server runs (never a file copy, which can catch a half-written page
// or miss what is still in the WAL), plus every stored document and a manifest to check it by.
//
//   backup_documents(sha256, content)   the files the documents table refers to, by content hash
//   backup_manifest(...)                 format, moment, schema version, app version, row counts per table,
//                                        and the SHA-256 and size of every document
//
// Documents are stored under their content hash and never changed, so copying them after the database
// snapshot is consistent: every document the snapshot refers to exists and cannot have been altered.
import { amsterdamParts } from "../lib/amsterdam";
import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { recordChange, type Actor } from "../audit/audit.service";
import type { Db } from "../db/client";
import { documentPath, sha256Of } from "../documents/documents.service";
import { t } from "../i18n";
import { PACKAGE_JSON } from "../paths";

export const BACKUP_FORMAT = "ibp-register-backup/1";

export type Manifest = {
  format: string;
  createdAt: string;
  schemaVersion: string | null;
  appVersion: string;
  counts: Record<string, number>;
  documents: { sha256: string; sizeBytes: number }[];
  /** Documents the database refers to whose file was missing or no longer matched its hash. */
  missingDocuments: string[];
};

export type BackupResult = { path: string; fileName: string; sha256: string; sizeBytes: number; manifest: Manifest };

export function appVersion(): string {
  try {
    return String((JSON.parse(readFileSync(PACKAGE_JSON, "utf8")) as { version?: string }).version ?? "onbekend");
  } catch {
    return "onbekend";
  }
}

/** "20260301-142501" in Amsterdam time, whatever the server's time zone: a human at the board reads it as it is. */
export function timestamp(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  const p = amsterdamParts(now);
  return `${p.y}${pad(p.m)}${pad(p.d)}-${pad(p.h)}${pad(p.min)}${pad(p.s)}`;
}

/** The newest migration applied, as src/db/client.ts schemaVersion() gives it (its created_at). */
export function newestMigration(db: Database.Database): string | null {
  try {
    const row = db.prepare("select created_at from __drizzle_migrations order by created_at desc limit 1").get() as { created_at: number } | undefined;
    return row ? String(row.created_at) : null;
  } catch {
    return null;
  }
}

/** The register's own tables (not SQLite's, not the backup's). */
export function userTables(db: Database.Database): string[] {
  return db
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'backup_%' order by name")
    .pluck()
    .all() as string[];
}

export function fileSha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

export async function createBackup(source: Database.Database, options: { dir: string; documentsDir: string; now?: Date }): Promise<BackupResult> {
  const now = options.now ?? new Date();
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  let fileName = `ibp-backup-${timestamp(now)}.sqlite`;
  for (let n = 2; existsSync(join(options.dir, fileName)); n++) fileName = `ibp-backup-${timestamp(now)}-${n}.sqlite`;
  const path = join(options.dir, fileName);
  const part = `${path}.part`;
  rmSync(part, { force: true });

  // All pages in one step: the copy is read in one read transaction, so it is one consistent moment even
  // while other connections write (with the default of 100 pages a step, a write in between restarts it).
  await source.backup(part, { progress: () => 0x7fffffff });

  const copy = new Database(part);
  let manifest: Manifest;
  try {
    // A backup is one self-contained file: no WAL beside it.
    copy.pragma("journal_mode = DELETE");
    copy.exec(`
      create table backup_documents (sha256 text primary key, content blob not null);
      create table backup_manifest (format text not null, created_at text not null, schema_version text, app_version text not null,
        counts text not null, documents text not null, missing_documents text not null);
    `);
    const hashes = copy.prepare("select distinct sha256 from documents order by sha256").pluck().all() as string[];
    const insert = copy.prepare("insert into backup_documents (sha256, content) values (?, ?)");
    const documents: Manifest["documents"] = [];
    const missingDocuments: string[] = [];
    copy.transaction(() => {
      for (const sha256 of hashes) {
        let content: Buffer | undefined;
        try {
          content = readFileSync(documentPath(options.documentsDir, sha256));
        } catch {
          content = undefined;
        }
        if (!content || sha256Of(content) !== sha256) {
          missingDocuments.push(sha256);
          continue;
        }
        insert.run(sha256, content);
        documents.push({ sha256, sizeBytes: content.length });
      }
    })();
    const counts = Object.fromEntries(userTables(copy).map((table) => [table, copy.prepare(`select count(*) from "${table}"`).pluck().get() as number]));
    manifest = {
      format: BACKUP_FORMAT,
      createdAt: now.toISOString(),
      schemaVersion: newestMigration(copy),
      appVersion: appVersion(),
      counts,
      documents,
      missingDocuments,
    };
    copy
      .prepare("insert into backup_manifest values (?, ?, ?, ?, ?, ?, ?)")
      .run(manifest.format, manifest.createdAt, manifest.schemaVersion, manifest.appVersion, JSON.stringify(counts), JSON.stringify(documents), JSON.stringify(missingDocuments));
  } finally {
    copy.close();
  }
  renameSync(part, path);
  // It holds everything the register holds (personal data, password hashes): readable by the owner only.
  chmodSync(path, 0o600);
  const sha256 = fileSha256(path);
  return { path, fileName, sha256, sizeBytes: statSync(path).size, manifest };
}

/** A backup downloaded from the browser, in the change history: who, when, which file (by its hash). */
export function recordBackupDownload(db: Db, actor: Actor, backup: BackupResult): void {
  db.transaction((tx) =>
    recordChange(tx, {
      actor,
      action: "create",
      entityType: "backup",
      entityId: null,
      summary: t("backup.auditSummary", { file: backup.fileName, sha256: backup.sha256 }),
      after: { fileName: backup.fileName, sha256: backup.sha256, sizeBytes: backup.sizeBytes, documents: backup.manifest.documents.length },
    }),
  );
}
