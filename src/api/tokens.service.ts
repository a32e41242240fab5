// Personal API tokens. A token is 32 random bytes, shown once when made; the register keeps only its SHA-256
// (a token has 256 bits of entropy, so a fast hash is enough: there is nothing to guess) and its first
// characters, so the owner can tell tokens apart. A token acts as its owner, with the owner's role and
// schools as they are at the moment of each request.
import { createHash, randomBytes } from "node:crypto";
import { actorOf, recordChange } from "../audit/audit.service";
import { loadCurrentUser } from "../auth/auth.service";
import type { Db } from "../db/client";
import { NotFoundError, ValidationError } from "../http/errors";
import type { CurrentUser } from "../http/policy";
import { t } from "../i18n";
import { endOfAmsterdamDay } from "../lib/amsterdam";
import { todayIso } from "../lib/dates";
import { countActiveTokens, findTokenByHash, findTokenOfUser, insertToken, markRevoked, markUsed, type ApiToken } from "./tokens.repository";
import type { TokenInput } from "./tokens.schemas";

export const TOKEN_PREFIX = "ibp_";
const PREFIX_LENGTH = 12;
const MAX_ACTIVE_TOKENS = 20;
/** last_used_at is written at most once a minute per token: a client polling every second need not write every second. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/** The first moment after the given day in Amsterdam: a token "valid until 31-12-2026" works all that day. */
export function endOfDayInAmsterdam(iso: string): Date {
  return new Date(endOfAmsterdamDay(iso));
}

/** What the audit log keeps of a token: never its hash. */
const describe = (row: ApiToken) => ({ id: row.id, userId: row.userId, name: row.name, prefix: row.prefix, expiresAt: row.expiresAt, revokedAt: row.revokedAt });

export function createToken(db: Db, user: CurrentUser, input: TokenInput, now = new Date()): { token: string; row: ApiToken } {
  const actor = actorOf(user);
  if (input.expiresOn && input.expiresOn < todayIso(now)) throw new ValidationError({ expiresOn: [t("api.tokens.expiryInPast")] });
  return db.transaction((tx) => {
    if (countActiveTokens(tx, user.id, now) >= MAX_ACTIVE_TOKENS) throw new ValidationError({ name: [t("api.tokens.tooMany", { max: MAX_ACTIVE_TOKENS })] });
    const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
    const row = insertToken(tx, {
      userId: user.id,
      name: input.name,
      tokenHash: hashToken(token),
      prefix: token.slice(0, PREFIX_LENGTH),
      createdAt: now,
      expiresAt: input.expiresOn ? endOfDayInAmsterdam(input.expiresOn) : null,
    });
    recordChange(tx, { actor, action: "create", entityType: "api_token", entityId: row.id, summary: `API-sleutel ${row.name} (${row.prefix}…) aangemaakt`, after: describe(row), at: now });
    return { token, row };
  });
}

export function revokeToken(db: Db, user: CurrentUser, id: number, now = new Date()): ApiToken {
  const actor = actorOf(user);
  return db.transaction((tx) => {
    const current = findTokenOfUser(tx, id, user.id);
    if (!current) throw new NotFoundError();
    if (current.revokedAt) return current;
    const row = markRevoked(tx, id, now)!;
    recordChange(tx, { actor, action: "update", entityType: "api_token", entityId: id, summary: `API-sleutel ${row.name} (${row.prefix}…) ingetrokken`, before: describe(current), after: describe(row), at: now });
    return row;
  });
}

export type TokenCheck = { ok: true; user: CurrentUser; tokenId: number } | { ok: false; reason: "missing" | "invalid" };

/**
 * The user behind an Authorization header. Only "Bearer <token>" counts: a session cookie is never looked
 * at. Unknown, revoked and expired tokens and tokens of disabled users are all simply "invalid".
 */
export function userForAuthorization(db: Db, header: string | undefined, now = new Date()): TokenCheck {
  if (!header || header.trim() === "") return { ok: false, reason: "missing" };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1] || !match[1].startsWith(TOKEN_PREFIX)) return { ok: false, reason: "invalid" };
  const row = findTokenByHash(db, hashToken(match[1]));
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now.getTime())) return { ok: false, reason: "invalid" };
  const user = loadCurrentUser(db, row.userId);
  if (!user) return { ok: false, reason: "invalid" };
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) markUsed(db, row.id, now);
  return { ok: true, user, tokenId: row.id };
}

export function tokenStatus(row: ApiToken, now = new Date()): "active" | "expired" | "revoked" {
  if (row.revokedAt) return "revoked";
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}
