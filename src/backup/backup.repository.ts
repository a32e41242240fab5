import { and, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { auditLog, documents } from "../db/schema";

export function backupOverview(db: DbOrTx) {
  const row = db.select({ n: sql<number>`count(distinct ${documents.sha256})`, bytes: sql<number>`coalesce(sum(${documents.sizeBytes}), 0)` }).from(documents).get();
  return { documents: row?.n ?? 0, documentBytes: row?.bytes ?? 0 };
}

/** The last backups downloaded from the browser, from the audit log. */
export function recentBackupDownloads(db: DbOrTx, limit = 10) {
  return db
    .select({ at: auditLog.at, actor: auditLog.actor, summary: auditLog.summary })
    .from(auditLog)
    .where(and(eq(auditLog.entityType, "backup"), eq(auditLog.action, "create")))
    .orderBy(desc(auditLog.id))
    .limit(limit)
    .all();
}
