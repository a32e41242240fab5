// The change history. Every service writes its audit entry inside the same transaction as the change,
// so a change without its entry (or an entry without its change) cannot exist.
import { and, desc, eq } from "drizzle-orm";
import { clientOf, type DbOrTx } from "../db/client";
import { auditLog } from "../db/schema";
import { fieldLabel } from "../i18n";
import { sealEntry } from "./audit.chain";

export type Actor = { id: number | null; label: string };
export type AuditAction = "create" | "update" | "delete" | "archive" | "restore" | "password" | "import";

export const SYSTEM_ACTOR: Actor = { id: null, label: "Systeem" };

export function actorOf(user: { id: number; name: string; email: string }): Actor {
  return { id: user.id, label: `${user.name} <${user.email}>` };
}

/** Values as they go into the log: dates as ISO text, secrets left out. */
function snapshot(values: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!values) return null;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key === "passwordHash" || key === "createdAt" || key === "updatedAt") continue;
    out[key] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}

export function recordChange(
  tx: DbOrTx,
  entry: {
    actor: Actor;
    action: AuditAction;
    entityType: string;
    entityId: number | null;
    summary: string;
    before?: Record<string, unknown> | null;
    after?: Record<string, unknown> | null;
    at?: Date;
  },
): void {
  // The entry and its seal (its hash, linked to the previous entry's) land together: outside a transaction
  // one is opened, so no other write can come between reading the previous hash and writing this one.
  const client = clientOf(tx);
  if (!client.inTransaction) {
    client.transaction(() => recordChange(tx, entry)).immediate();
    return;
  }
  const { id } = tx
    .insert(auditLog)
    .values({
      at: entry.at ?? new Date(),
      userId: entry.actor.id,
      actor: entry.actor.label,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      summary: entry.summary,
      before: snapshot(entry.before),
      after: snapshot(entry.after),
    })
    .returning({ id: auditLog.id })
    .get();
  sealEntry(tx, id);
}

export function historyOf(db: DbOrTx, entityType: string, entityId: number) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
    .orderBy(desc(auditLog.id))
    .all();
}

export function latestChanges(db: DbOrTx, limit: number) {
  return db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(limit).all();
}

const HIDDEN = new Set(["id", "version", "createdAt", "updatedAt", "passwordHash"]);

/** The fields an entry changed, for the history on each record's page, with their Dutch names. */
export function changesOf(entry: { before: Record<string, unknown> | null; after: Record<string, unknown> | null }, textGroup?: string) {
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !HIDDEN.has(k));
  const show = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));
  return keys
    .filter((key) => show(before[key]) !== show(after[key]))
    .map((key) => ({ field: key, fieldName: fieldLabel(key, textGroup), before: show(before[key]), after: show(after[key]) }));
}

/**
 * The history of one record, newest first, each entry with its changed fields. Field names are looked up
 * in nl[textGroup].fields, then in nl.fields.
 */
export function historyWithChanges(db: DbOrTx, entityType: string, entityId: number, textGroup?: string) {
  return historyOf(db, entityType, entityId).map((entry) => ({
    ...entry,
    changes: entry.action === "update" ? changesOf(entry, textGroup) : [],
  }));
}
