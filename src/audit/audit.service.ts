// The change history. Every service writes its audit entry inside the same transaction as the change,
// so a change without its entry (or an entry without its change) cannot exist.
import { and, desc, eq } from "drizzle-orm";
import type Database from "better-sqlite3";
import { clientOf, type DbOrTx } from "../db/client";
import { transactionSerial } from "../db/transactions";
import { auditLog } from "../db/schema";
import { resealFrom, sealEntry } from "./audit.chain";
import { describeChanges, RecordNames } from "./audit.words";

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

type Entry = {
  actor: Actor;
  action: AuditAction;
  entityType: string;
  entityId: number | null;
  summary: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  at?: Date;
};

/** Per connection: the entry each record got in the transaction now open (see transactionSerial). */
const openEntries = new WeakMap<Database.Database, { serial: number; ids: Map<string, number> }>();

/**
 * Writes an entry. A save that changes a record and its link rows (an application and its functions, data lines,
 * schools or measures) calls this more than once for that record: within one transaction the later calls are
 * merged into the record's first entry, so one save is one entry. That entry is not committed yet, so sealing
 * it and what follows again changes no hash anyone can have seen.
 */
export function recordChange(tx: DbOrTx, entry: Entry): void {
  // The entry and its seal (its hash, linked to the previous entry's) land together: outside a transaction
  // one is opened, so no other write can come between reading the previous hash and writing this one.
  const client = clientOf(tx);
  if (!client.inTransaction) {
    client.transaction(() => recordChange(tx, entry)).immediate();
    return;
  }
  const serial = transactionSerial(client);
  let open = openEntries.get(client);
  if (serial !== undefined && open?.serial !== serial) openEntries.set(client, (open = { serial, ids: new Map() }));
  const key = `${entry.entityType}:${entry.entityId ?? ""}`;
  const earlierId = serial === undefined ? undefined : open?.ids.get(key);
  if (earlierId !== undefined && mergeInto(tx, earlierId, entry)) return;
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
  if (serial !== undefined) open?.ids.set(key, id);
}

/**
 * Folds `entry` into the earlier entry `id` of the same record: the earliest "before" and the latest "after" of
 * every field, the first entry's summary and time; a creation stays a creation. False when that entry is gone
 * (a savepoint rolled back), its id now holds another record's entry, or another actor wrote it.
 */
function mergeInto(tx: DbOrTx, id: number, entry: Entry): boolean {
  const earlier = tx.select().from(auditLog).where(eq(auditLog.id, id)).get();
  if (!earlier || earlier.entityType !== entry.entityType || earlier.entityId !== entry.entityId) return false;
  if (earlier.userId !== entry.actor.id || earlier.actor !== entry.actor.label) return false;
  const action: AuditAction = earlier.action === "create" ? "create" : entry.action === "delete" ? "delete" : (earlier.action as AuditAction);
  const before = action === "create" ? null : merged(snapshot(entry.before), earlier.before);
  const after = action === "delete" ? null : merged(earlier.after, snapshot(entry.after));
  tx.update(auditLog).set({ action, before, after }).where(eq(auditLog.id, id)).run();
  resealFrom(tx, id);
  return true;
}

/** The fields of both, `later` winning where both have one; null when neither has any. */
function merged(earlier: Record<string, unknown> | null, later: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!earlier && !later) return null;
  return { ...earlier, ...later };
}

export function historyOf(db: DbOrTx, entityType: string, entityId: number) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
    .orderBy(desc(auditLog.id))
    .all();
}

type StoredEntry = typeof auditLog.$inferSelect;

/**
 * Entries in words for a page: each with what it changed (Dutch field names, names instead of ids, labels,
 * Dutch dates, ja/nee, list changes as added and removed). A deletion shows no fields: its summary says it.
 * `textGroup` names fields of record types the registry does not know.
 */
export function describeHistory<E extends StoredEntry>(db: DbOrTx, entries: E[], textGroup?: string, names = new RecordNames(db)) {
  return entries.map((entry) => ({
    ...entry,
    changes: entry.action === "delete" ? [] : describeChanges(entry, names, textGroup),
  }));
}

/** The history of one record, newest first, in words (see describeHistory). */
export function historyWithChanges(db: DbOrTx, entityType: string, entityId: number, textGroup?: string) {
  return describeHistory(db, historyOf(db, entityType, entityId), textGroup);
}
