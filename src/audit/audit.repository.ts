// Reading the change history for the page /audit: one page of entries under filters, and how many there are.
import { and, asc, count, desc, eq, gte, inArray, lt, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { auditLog, users } from "../db/schema";

export type AuditFilter = {
  entityType?: string;
  userId?: number;
  /** [fromMs, toMs): epoch milliseconds. */
  fromMs?: number;
  toMs?: number;
};

function conditions(filter: AuditFilter): SQL | undefined {
  const parts: SQL[] = [];
  if (filter.entityType !== undefined) parts.push(eq(auditLog.entityType, filter.entityType));
  if (filter.userId !== undefined) parts.push(eq(auditLog.userId, filter.userId));
  if (filter.fromMs !== undefined) parts.push(gte(auditLog.at, new Date(filter.fromMs)));
  if (filter.toMs !== undefined) parts.push(lt(auditLog.at, new Date(filter.toMs)));
  return parts.length ? and(...parts) : undefined;
}

export function countAuditEntries(db: DbOrTx, filter: AuditFilter): number {
  return db.select({ n: count() }).from(auditLog).where(conditions(filter)).get()?.n ?? 0;
}

const newestFirst = [desc(auditLog.at), desc(auditLog.id)];

/** The ids of one page, newest first (by time, then by number): read from an index alone (see the schema). */
export function auditPageIds(db: DbOrTx, filter: AuditFilter, offset: number, limit: number) {
  return db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(conditions(filter))
    .orderBy(...newestFirst)
    .limit(limit)
    .offset(offset);
}

/**
 * One page of entries, newest first. The ids come first, from an index (record type and time, user and time, or
 * time), so a page deep in a long history skips index entries rather than rows, and nothing is sorted.
 */
export function auditEntries(db: DbOrTx, filter: AuditFilter, offset: number, limit: number) {
  const ids = auditPageIds(db, filter, offset, limit)
    .all()
    .map((r) => r.id);
  if (ids.length === 0) return [];
  return db.select().from(auditLog).where(inArray(auditLog.id, ids)).orderBy(...newestFirst).all();
}

/** Everyone who can have written entries, for the filter: all users, by name. */
export function usersForFilter(db: DbOrTx) {
  return db.select({ id: users.id, name: users.name, email: users.email }).from(users).orderBy(asc(users.name), asc(users.id)).all();
}
