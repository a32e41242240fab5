// `npm run backup [DIR]`: a consistent backup of the live database and its documents, while the server runs.
// Writes DIR/ibp-backup-YYYYMMDD-HHMMSS.sqlite (DIR defaults to a "backups" folder beside the database).
// Exit code 0: done; 1: no backup made; 2: backup made, but documents were missing (see the warning).
import Database from "better-sqlite3";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { loadConfig } from "../config";
import { inspectDatabase } from "../db/migrate-state";
import { t } from "../i18n";
import { formatBytes } from "../documents/documents.service";
import { createBackup } from "./backup.service";

async function main(): Promise<number> {
  const config = loadConfig();
  const dir = process.argv[2] ?? join(dirname(config.databasePath), "backups");
  if (config.databasePath === ":memory:" || !existsSync(config.databasePath)) {
    console.error(t("backup.cli.noDatabase", { path: config.databasePath }));
    return 1;
  }
  // Only this register's database, of any version (a backup before an upgrade is the one most wanted).
  const state = inspectDatabase(config.databasePath);
  if (state.kind === "not-sqlite") {
    console.error(t("database.refused.notSqlite", { path: config.databasePath }));
    return 1;
  }
  if (state.kind !== "register") {
    console.error(t("database.refused.foreign", { path: config.databasePath }));
    return 1;
  }
  const source = new Database(config.databasePath, { fileMustExist: true });
  source.pragma("busy_timeout = 5000");
  try {
    const result = await createBackup(source, { dir, documentsDir: config.documentsDir });
    console.log(t("backup.cli.done", { path: result.path, size: formatBytes(result.sizeBytes), documents: result.manifest.documents.length }));
    console.log(`SHA-256: ${result.sha256}`);
    if (result.manifest.missingDocuments.length) {
      console.error(t("backup.cli.missingDocuments", { count: result.manifest.missingDocuments.length, list: result.manifest.missingDocuments.join(", ") }));
      return 2;
    }
    return 0;
  } finally {
    source.close();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    console.error(t("backup.cli.failed", { message: err instanceof Error ? err.message : String(err) }));
    process.exit(1);
  });
