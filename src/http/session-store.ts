// express-session's store on the `sessions` table: sessions survive a restart and can be ended per user
// (after a password change). Expired rows are pruned on an unref'd interval.
import { eq, lt } from "drizzle-orm";
import session from "express-session";
import { cachedStatement, clientOf, type Db } from "../db/client";
import { sessions } from "../db/schema";
import { endSessionsOf } from "../users/credentials";

type Callback = (err?: unknown) => void;

/** A session's expiry is written at most once a minute: every request touches it, and a write per page read costs. */
const TOUCH_INTERVAL_MS = 60_000;

export class SqliteSessionStore extends session.Store {
  private readonly pruneTimer: NodeJS.Timeout;
  private readonly lastTouch = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly defaultTtlMs: number,
  ) {
    super();
    this.pruneTimer = setInterval(() => this.prune(), 10 * 60 * 1000);
    this.pruneTimer.unref();
  }

  private expiryOf(sess: session.SessionData): number {
    const expires = sess.cookie?.expires;
    return expires ? new Date(expires).getTime() : Date.now() + this.defaultTtlMs;
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    try {
      // Read on every request: one prepared statement rather than a query built each time.
      const row = cachedStatement(clientOf(this.db), "select data, expires_at as expiresAt from sessions where sid = ?").get(sid) as
        | { data: string; expiresAt: number }
        | undefined;
      if (!row || row.expiresAt <= Date.now()) return callback(null, null);
      callback(null, JSON.parse(row.data) as session.SessionData);
    } catch (err) {
      callback(err);
    }
  }

  override set(sid: string, sess: session.SessionData, callback?: Callback): void {
    try {
      const values = { sid, data: JSON.stringify(sess), userId: sess.userId ?? null, expiresAt: this.expiryOf(sess) };
      this.db
        .insert(sessions)
        .values(values)
        .onConflictDoUpdate({ target: sessions.sid, set: { data: values.data, userId: values.userId, expiresAt: values.expiresAt } })
        .run();
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }

  override touch(sid: string, sess: session.SessionData, callback?: Callback): void {
    try {
      const now = Date.now();
      if (now - (this.lastTouch.get(sid) ?? 0) < TOUCH_INTERVAL_MS) return callback?.();
      if (this.lastTouch.size > 10_000) this.lastTouch.clear();
      this.lastTouch.set(sid, now);
      this.db.update(sessions).set({ expiresAt: this.expiryOf(sess) }).where(eq(sessions.sid, sid)).run();
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }

  override destroy(sid: string, callback?: Callback): void {
    try {
      this.lastTouch.delete(sid);
      this.db.delete(sessions).where(eq(sessions.sid, sid)).run();
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }

  /** Ends every session of a user except one (the one that changed the password). */
  destroyOtherSessions(userId: number, keepSid: string): void {
    endSessionsOf(this.db, userId, keepSid);
  }

  prune(): void {
    this.db.delete(sessions).where(lt(sessions.expiresAt, Date.now())).run();
  }

  close(): void {
    clearInterval(this.pruneTimer);
  }
}
