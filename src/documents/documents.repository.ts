import { and, eq, notExists, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { agreements, documents, dpias, users } from "../db/schema";

export type DocumentRow = typeof documents.$inferSelect;

export function insertDocument(tx: DbOrTx, values: typeof documents.$inferInsert): DocumentRow {
  return tx.insert(documents).values(values).returning().get();
}

export function findDocumentById(db: DbOrTx, id: number): DocumentRow | undefined {
  return db.select().from(documents).where(eq(documents.id, id)).get();
}

/** A document with the name of the user who uploaded it, for a record's page. */
export function findDocumentWithUploader(db: DbOrTx, id: number) {
  return db
    .select({
      id: documents.id,
      sha256: documents.sha256,
      originalName: documents.originalName,
      mimeType: documents.mimeType,
      sizeBytes: documents.sizeBytes,
      uploadedAt: documents.uploadedAt,
      uploaderName: users.name,
    })
    .from(documents)
    .leftJoin(users, eq(users.id, documents.uploadedBy))
    .where(eq(documents.id, id))
    .get();
}

/**
 * A document a user uploaded with a form that was then refused, so that the next submit can use it without
 * a new upload. Only the uploader may claim it, and only while no agreement or DPIA holds it: otherwise a
 * guessed id would attach (and so disclose) someone else's document.
 */
export function findPendingDocument(db: DbOrTx, id: number, userId: number): DocumentRow | undefined {
  return db
    .select()
    .from(documents)
    .where(
      and(
        eq(documents.id, id),
        eq(documents.uploadedBy, userId),
        notExists(db.select({ one: sql`1` }).from(agreements).where(eq(agreements.documentId, documents.id))),
        notExists(db.select({ one: sql`1` }).from(dpias).where(eq(dpias.documentId, documents.id))),
      ),
    )
    .get();
}
