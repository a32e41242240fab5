// Optimistic locking with its audit entry, in one place: every editable record carries `version`; a save
// names the version its form was loaded with, and loses (ConflictError with the newer record) when someone
// else saved in between. Called inside the service's transaction, so the change and its entry land together.
import { and, eq } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { recordChange, type Actor, type AuditAction } from "../audit/audit.service";
import type { DbOrTx } from "../db/client";
import { ConflictError, NotFoundError } from "../http/errors";

type Versioned = SQLiteTable & { id: SQLiteColumn; version: SQLiteColumn };
type Row<T extends SQLiteTable> = T["$inferSelect"];

export function findOrThrow<T extends Versioned>(tx: DbOrTx, table: T, id: number): Row<T> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- drizzle's generic select over "any versioned table"
  const row = (tx as any).select().from(table).where(eq(table.id, id)).get() as Row<T> | undefined;
  if (!row) throw new NotFoundError();
  return row;
}

export function updateVersioned<T extends Versioned>(
  tx: DbOrTx,
  table: T,
  audit: { actor: Actor; entityType: string; summary: string; action?: AuditAction },
  id: number,
  expectedVersion: number,
  values: Partial<T["$inferInsert"]>,
): { before: Row<T>; after: Row<T> } {
  const before = findOrThrow(tx, table, id);
  if ((before as { version: number }).version !== expectedVersion) throw new ConflictError(before);
  const set = { ...values, version: expectedVersion + 1, ...("updatedAt" in table ? { updatedAt: new Date() } : {}) };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see findOrThrow
  const after = (tx as any)
    .update(table)
    .set(set)
    .where(and(eq(table.id, id), eq(table.version, expectedVersion)))
    .returning()
    .get() as Row<T> | undefined;
  if (!after) throw new ConflictError(findOrThrow(tx, table, id));
  recordChange(tx, {
    actor: audit.actor,
    action: audit.action ?? "update",
    entityType: audit.entityType,
    entityId: id,
    summary: audit.summary,
    before: before as Record<string, unknown>,
    after: after as Record<string, unknown>,
  });
  return { before, after };
}

export function insertAudited<T extends Versioned>(
  tx: DbOrTx,
  table: T,
  audit: { actor: Actor; entityType: string; summary: (row: Row<T>) => string },
  values: T["$inferInsert"],
): Row<T> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see findOrThrow
  const row = (tx as any).insert(table).values(values).returning().get() as Row<T>;
  recordChange(tx, {
    actor: audit.actor,
    action: "create",
    entityType: audit.entityType,
    entityId: (row as { id: number }).id,
    summary: audit.summary(row),
    after: row as Record<string, unknown>,
  });
  return row;
}

export function deleteAudited<T extends Versioned>(
  tx: DbOrTx,
  table: T,
  audit: { actor: Actor; entityType: string; summary: string },
  id: number,
  expectedVersion: number,
): Row<T> {
  const before = findOrThrow(tx, table, id);
  if ((before as { version: number }).version !== expectedVersion) throw new ConflictError(before);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see findOrThrow
  (tx as any).delete(table).where(eq(table.id, id)).run();
  recordChange(tx, {
    actor: audit.actor,
    action: "delete",
    entityType: audit.entityType,
    entityId: id,
    summary: audit.summary,
    before: before as Record<string, unknown>,
  });
  return before;
}
