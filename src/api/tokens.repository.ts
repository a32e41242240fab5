import { and, count, desc, eq, gt, isNull, or } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { apiTokens } from "../db/schema";

export type ApiToken = typeof apiTokens.$inferSelect;

export function insertToken(db: DbOrTx, values: typeof apiTokens.$inferInsert): ApiToken {
  return db.insert(apiTokens).values(values).returning().get();
}

export function tokensOfUser(db: DbOrTx, userId: number): ApiToken[] {
  return db.select().from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.id)).all();
}

/** Tokens that still work: not revoked, not expired. */
export function countActiveTokens(db: DbOrTx, userId: number, now: Date): number {
  return (
    db
      .select({ n: count() })
      .from(apiTokens)
      .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now))))
      .get()?.n ?? 0
  );
}

export function findTokenOfUser(db: DbOrTx, id: number, userId: number): ApiToken | undefined {
  return db.select().from(apiTokens).where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId))).get();
}

export function findTokenByHash(db: DbOrTx, tokenHash: string): ApiToken | undefined {
  return db.select().from(apiTokens).where(eq(apiTokens.tokenHash, tokenHash)).get();
}

export function markRevoked(db: DbOrTx, id: number, at: Date): ApiToken | undefined {
  return db.update(apiTokens).set({ revokedAt: at }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt))).returning().get();
}

export function markUsed(db: DbOrTx, id: number, at: Date): void {
  db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id)).run();
}
