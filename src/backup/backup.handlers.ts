import type { Request, Response } from "express";
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { actorOf } from "../audit/audit.service";
import type { Config } from "../config";
import { clientOf, type Db } from "../db/client";
import { contentDisposition, formatBytes } from "../documents/documents.service";
import { currentUser } from "../http/auth";
import { t } from "../i18n";
import { createBackup, recordBackupDownload } from "./backup.service";
import { backupOverview, recentBackupDownloads } from "./backup.repository";

export function backupHandlers(db: Db, config: Pick<Config, "documentsDir">) {
  return {
    index(_req: Request, res: Response) {
      const overview = backupOverview(db);
      res.render("backup/index", {
        title: t("backup.title"),
        documentCount: overview.documents,
        documentSize: formatBytes(overview.documentBytes),
        downloads: recentBackupDownloads(db),
      });
    },

    /** A fresh backup of the live database, streamed as an attachment; the download is in the audit log. */
    async download(_req: Request, res: Response) {
      const user = currentUser(res);
      const dir = mkdtempSync(join(tmpdir(), "ibp-backup-"));
      const cleanUp = () => rmSync(dir, { recursive: true, force: true });
      try {
        const backup = await createBackup(clientOf(db), { dir, documentsDir: config.documentsDir });
        recordBackupDownload(db, actorOf(user), backup);
        res.setHeader("Content-Type", "application/vnd.sqlite3");
        res.setHeader("Content-Length", String(backup.sizeBytes));
        res.setHeader("Content-Disposition", contentDisposition(backup.fileName));
        res.setHeader("Cache-Control", "no-store");
        res.setHeader("X-Content-SHA256", backup.sha256);
        res.on("close", cleanUp);
        createReadStream(backup.path).pipe(res);
      } catch (err) {
        cleanUp();
        throw err;
      }
    },
  };
}
