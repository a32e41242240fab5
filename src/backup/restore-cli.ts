// `npm run restore FILE`: puts a backup back into a STOPPED instance (DATABASE_PATH and DOCUMENTS_DIR from
// the configuration). Checks the file first and refuses a damaged or foreign file, or a database in use,
// with a Dutch message and exit code 1; the previous database is kept as <name>.before-restore-<timestamp>.
import { loadConfig } from "../config";
import { t } from "../i18n";
import { BackupRefusedError, restoreBackup } from "./restore.service";

function main(): number {
  const file = process.argv[2];
  if (!file) {
    console.error(t("backup.cli.restoreUsage"));
    return 1;
  }
  const config = loadConfig();
  try {
    const result = restoreBackup({ file, databasePath: config.databasePath, documentsDir: config.documentsDir });
    console.log(t("backup.cli.restored", { file, path: config.databasePath, createdAt: result.manifest.createdAt, documents: result.manifest.documents.length }));
    if (result.previousPath) console.log(t("backup.cli.previousKept", { path: result.previousPath }));
    if (result.manifest.missingDocuments.length) {
      console.error(t("backup.cli.restoreMissing", { count: result.manifest.missingDocuments.length, list: result.manifest.missingDocuments.join(", ") }));
    }
    return 0;
  } catch (err) {
    if (err instanceof BackupRefusedError) {
      console.error(t("backup.cli.refused", { message: err.message }));
      return 1;
    }
    console.error(t("backup.cli.failed", { message: err instanceof Error ? err.message : String(err) }));
    return 1;
  }
}

process.exit(main());
