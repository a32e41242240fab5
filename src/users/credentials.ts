// Ending what lets a person in: their sessions and their API tokens. Used when a password changes, when an
// account is deactivated and when a user ends their other sessions; always inside the caller's transaction.
import { createHash } from "node:crypto";
import { and, eq, gt, isNull, ne } from "drizzle-orm";
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

/** A session's public name: a hash of its id, since the id itself is the secret in the cookie. */
export const sessionKey = (sid: string) => createHash("sha256").update(sid).digest("hex").slice(0, 24);

/** The user's sessions that have not expired, newest sign-in first, with what they said about themselves. */
export function sessionsOf(db: DbOrTx, userId: number, currentSid: string, now = Date.now()) {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now)))
    .all()
    .map((row) => {
      const data = JSON.parse(row.data) as { loginAt?: number; userAgent?: string; ip?: string; signInMethod?: string };
      return {
        key: sessionKey(row.sid),
        current: row.sid === currentSid,
        loginAt: data.loginAt ? new Date(data.loginAt) : undefined,
        userAgent: data.userAgent || undefined,
        ip: data.ip,
        sso: data.signInMethod === "sso",
      };
    })
    .sort((a, b) => (b.loginAt?.getTime() ?? 0) - (a.loginAt?.getTime() ?? 0));
}

/** Ends one of the user's own sessions by its public name (never the one asking); false when there is none. */
export function endSessionByKey(db: DbOrTx, userId: number, key: string, currentSid: string): boolean {
  const row = db
    .select({ sid: sessions.sid })
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .all()
    .find((s) => sessionKey(s.sid) === key && s.sid !== currentSid);
  if (!row) return false;
  db.delete(sessions).where(eq(sessions.sid, row.sid)).run();
  return true;
}
