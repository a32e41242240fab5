// Ending what lets a person in: their sessions and their API tokens. Used when a password changes, when an
// account is deactivated and when a user ends their other sessions; always inside the caller's transaction.
import { and, eq, isNull, ne } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { apiTokens, sessions } from "../db/schema";

/** Revokes every token of the user that is not revoked yet; returns how many. */
export function revokeTokensOf(db: DbOrTx, userId: number, at = new Date()): number {
  return db
    .update(apiTokens)
    .set({ revokedAt: at })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .run().changes;
}

/** Ends the user's sessions, all or all but `keepSid` (the one the user acts from); returns how many. */
export function endSessionsOf(db: DbOrTx, userId: number, keepSid?: string): number {
  const mine = eq(sessions.userId, userId);
  return db
    .delete(sessions)
    .where(keepSid === undefined ? mine : and(mine, ne(sessions.sid, keepSid)))
    .run().changes;
}
