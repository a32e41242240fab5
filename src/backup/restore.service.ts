// Restoring a backup into a STOPPED instance. First the file is checked, read-only, without touching
// anything: SQLite's integrity check, the manifest (is it a backup of this register at all?), the schema
// version (one this code knows from its migrations folder, so the server can open and if needed migrate it)
// and every document against its SHA-256. Then the target database must not be in use. Only then are the
// documents written (they are stored by content hash, so this cannot harm the current register) and the
// database put in place, the previous one kept beside it as <name>.before-restore-<timestamp>.
import Database from "better-sqlite3";
import { randomBytes } from "node:crypto";
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { MIGRATIONS_DIR } from "../db/client";
import { documentPath, sha256Of } from "../documents/documents.service";
import { t } from "../i18n";
import { BACKUP_FORMAT, newestMigration, timestamp, type Manifest } from "./backup.service";

/** The backup file or the target cannot be used: the message says why, in Dutch; nothing was changed. */
export class BackupRefusedError extends Error {}

/** The schema versions this code knows: the created_at that drizzle records for each migration in the journal. */
export function knownSchemaVersions(migrationsDir = MIGRATIONS_DIR): Set<string> {
  const journal = JSON.parse(readFileSync(join(migrationsDir, "meta", "_journal.json"), "utf8")) as { entries: { when: number }[] };
  return new Set(journal.entries.map((e) => String(e.when)));
}

function readManifest(db: Database.Database): Manifest {
  const row = db.prepare("select * from backup_manifest").get() as Record<string, string | null> | undefined;
  if (!row) throw new BackupRefusedError(t("backup.refused.foreign"));
  try {
    return {
      format: String(row.format),
      createdAt: String(row.created_at),
      schemaVersion: row.schema_version ?? null,
      appVersion: String(row.app_version),
      counts: JSON.parse(String(row.counts)) as Manifest["counts"],
      documents: JSON.parse(String(row.documents)) as Manifest["documents"],
      missingDocuments: JSON.parse(String(row.missing_documents)) as string[],
    };
  } catch {
    throw new BackupRefusedError(t("backup.refused.damaged"));
  }
}

/** Checks a backup file without changing anything; returns its manifest or throws BackupRefusedError. */
export function verifyBackup(file: string, migrationsDir = MIGRATIONS_DIR): Manifest {
  if (!existsSync(file)) throw new BackupRefusedError(t("backup.refused.missing", { file }));
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const check = db.pragma("integrity_check") as { integrity_check: string }[];
    if (check.length !== 1 || check[0]?.integrity_check !== "ok") throw new BackupRefusedError(t("backup.refused.damaged"));
    const tables = new Set(db.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[]);
    if (!tables.has("backup_manifest") || !tables.has("backup_documents") || !tables.has("__drizzle_migrations")) {
      throw new BackupRefusedError(t("backup.refused.foreign"));
    }
    const manifest = readManifest(db);
    if (manifest.format !== BACKUP_FORMAT) throw new BackupRefusedError(t("backup.refused.foreign"));
    if (manifest.schemaVersion === null || !knownSchemaVersions(migrationsDir).has(manifest.schemaVersion) || newestMigration(db) !== manifest.schemaVersion) {
      throw new BackupRefusedError(t("backup.refused.schema", { version: manifest.schemaVersion ?? "?" }));
    }
    // A backup whose tables do not hold what its manifest promised lost rows (or gained them) after it was made.
    for (const [table, expected] of Object.entries(manifest.counts)) {
      const actual = tables.has(table) ? (db.prepare(`select count(*) from "${table.replace(/"/g, '""')}"`).pluck().get() as number) : null;
      if (actual !== expected) throw new BackupRefusedError(t("backup.refused.counts", { table, expected, actual: actual ?? 0 }));
    }
    const stored = db.prepare("select sha256, content from backup_documents").all() as { sha256: string; content: Buffer }[];
    const listed = new Set(manifest.documents.map((d) => d.sha256));
    if (stored.length !== listed.size) throw new BackupRefusedError(t("backup.refused.documents"));
    for (const { sha256, content } of stored) {
      if (!listed.has(sha256) || sha256Of(content) !== sha256) throw new BackupRefusedError(t("backup.refused.documentDamaged", { sha256 }));
    }
    return manifest;
  } catch (err) {
    if (err instanceof BackupRefusedError) throw err;
    // Not a database at all, a truncated file, a malformed page: SQLite says so by throwing.
    throw new BackupRefusedError(t("backup.refused.damaged"));
  } finally {
    db?.close();
  }
}

const isBusy = (err: unknown) => {
  const code = (err as { code?: string } | null)?.code ?? "";
  return code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED");
};

/**
 * Refuses when another connection (a running server) has the target database open. A lock is tried without
 * waiting (busy_timeout 0): BEGIN IMMEDIATE fails while someone writes. An idle server holds no such lock,
 * but in WAL mode every open connection shares the WAL index, and SQLite lets a connection leave WAL mode only
 * when it is the only one: switching to journal_mode DELETE fails with SQLITE_BUSY while the server runs.
 * (Succeeding also checkpoints and removes the WAL, so the previous database is one complete file.) A final
 * BEGIN EXCLUSIVE catches readers in rollback-journal mode.
 */
export function assertNotInUse(databasePath: string): void {
  if (!existsSync(databasePath)) return;
  let db: Database.Database | undefined;
  try {
    db = new Database(databasePath, { fileMustExist: true });
    db.pragma("busy_timeout = 0");
    db.exec("BEGIN IMMEDIATE");
    db.exec("ROLLBACK");
    if (String(db.pragma("journal_mode", { simple: true })).toLowerCase() === "wal") {
      const mode = String(db.pragma("journal_mode = DELETE", { simple: true })).toLowerCase();
      if (mode !== "delete") throw new BackupRefusedError(t("backup.refused.inUse", { path: databasePath }));
    }
    db.exec("BEGIN EXCLUSIVE");
    db.exec("ROLLBACK");
  } catch (err) {
    if (err instanceof BackupRefusedError) throw err;
    if (isBusy(err)) throw new BackupRefusedError(t("backup.refused.inUse", { path: databasePath }));
    throw new BackupRefusedError(t("backup.refused.targetUnreadable", { path: databasePath }));
  } finally {
    db?.close();
  }
}

function writeAtomically(path: string, content: Buffer): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = join(dirname(path), `.${randomBytes(8).toString("hex")}.tmp`);
  try {
    const fd = openSync(temp, "wx", 0o600);
    try {
      // writeSync may write fewer bytes than asked (a nearly full disk): loop, and treat no progress as a failure.
      let written = 0;
      while (written < content.length) {
        const n = writeSync(fd, content, written, content.length - written);
        if (n <= 0) throw Object.assign(new Error("short write"), { code: "ENOSPC" });
        written += n;
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

function fileMatches(path: string, sha256: string): boolean {
  try {
    return sha256Of(readFileSync(path)) === sha256;
  } catch {
    return false;
  }
}

export type RestoreResult = { manifest: Manifest; previousPath: string | null; documentsWritten: number };

export function restoreBackup(options: { file: string; databasePath: string; documentsDir: string; migrationsDir?: string; now?: Date }): RestoreResult {
  const manifest = verifyBackup(options.file, options.migrationsDir);
  assertNotInUse(options.databasePath);

  // 1. Documents: content-addressed, so a file already there with the right content is left alone.
  let documentsWritten = 0;
  const source = new Database(options.file, { readonly: true, fileMustExist: true });
  try {
    const rows = source.prepare("select sha256, content from backup_documents").iterate() as IterableIterator<{ sha256: string; content: Buffer }>;
    for (const { sha256, content } of rows) {
      const path = documentPath(options.documentsDir, sha256);
      if (fileMatches(path, sha256)) continue;
      writeAtomically(path, content);
      documentsWritten += 1;
    }
  } finally {
    source.close();
  }

  // 2. The database: prepared beside the target (same file system, so the final rename is atomic), without
  //    the backup's own tables, then swapped in.
  const target = resolve(options.databasePath);
  mkdirSync(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.restore-${randomBytes(6).toString("hex")}.tmp`);
  copyFileSync(options.file, temp);
  try {
    const db = new Database(temp);
    try {
      db.exec("drop table backup_documents; drop table backup_manifest;");
      db.exec("VACUUM");
      const check = db.pragma("integrity_check", { simple: true });
      if (check !== "ok") throw new BackupRefusedError(t("backup.refused.damaged"));
    } finally {
      db.close();
    }
    let previousPath: string | null = null;
    if (existsSync(target)) {
      previousPath = `${target}.before-restore-${timestamp(options.now ?? new Date())}`;
      renameSync(target, previousPath);
      // A WAL or shared-memory file left beside the old database belongs to it, never to the restored one.
      for (const suffix of ["-wal", "-shm", "-journal"]) if (existsSync(target + suffix)) renameSync(target + suffix, previousPath + suffix);
    }
    renameSync(temp, target);
    return { manifest, previousPath, documentsWritten };
  } finally {
    rmSync(temp, { force: true });
  }
}
