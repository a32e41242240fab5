// Two-factor authentication with time-based one-time passwords (TOTP, RFC 6238) and one-time recovery codes.
// A code is good once: the step of the last accepted code is kept (users.totp_last_step) and only a later step
// passes, claimed by a conditional update so two requests with one code cannot both win. Recovery codes are
// random and long, so a SHA-256 of them (salted with the user id) is as good as a slow hash and costs nothing.
import { createHash, randomInt } from "node:crypto";
import { and, count, eq, isNull, lt, or, sql } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import { actorOf, recordChange } from "../audit/audit.service";
import type { Db, DbOrTx } from "../db/client";
import { recoveryCodes, users } from "../db/schema";
import { ConflictError, ForbiddenError, ValidationError } from "../http/errors";
import type { CurrentUser } from "../http/policy";
import { t } from "../i18n";
import { findUserById, type User } from "../users/users.repository";
import { getSignInSettings, twoFactorRequired } from "./sign-in-settings";

export const RECOVERY_CODE_COUNT = 10;
/** How long a password sign-in waits for its second factor. */
export const PENDING_MINUTES = 5;
/** Wrong codes one password sign-in may try before the password is asked again (the throttle counts on). */
export const PENDING_MAX_FAILURES = 3;

/** The usual authenticator settings: SHA-1, 6 digits, 30 seconds (what every app supports). */
const TOTP_SETTINGS = { algorithm: "SHA1", digits: 6, period: 30 } as const;
/** Codes of one step before and after the current one pass too: phones' clocks drift, people type slowly. */
const WINDOW = 1;
/** No 0/o, 1/l/i: a code read from paper is typed right. */
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
/** 16 characters of 31: about 79 bits each. */
const RECOVERY_LENGTH = 16;

type Who = Pick<CurrentUser, "id" | "name" | "email">;

/** A new shared secret (160 bits, as RFC 4226 recommends), in base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpOf(secret: string, label = "", issuer = ""): TOTP {
  return new TOTP({ ...TOTP_SETTINGS, secret: Secret.fromBase32(secret), label, issuer });
}

/** What the set-up page shows: the QR code (an SVG as a data: URL, allowed by the CSP's img-src) and the key. */
export async function setUpDetails(secret: string, user: Pick<User, "email">, boardName: string | undefined) {
  const issuer = boardName ? `IBP-register ${boardName}` : "IBP-register";
  const uri = totpOf(secret, user.email, issuer).toString();
  const svg = await QRCode.toString(uri, { type: "svg", margin: 2, errorCorrectionLevel: "M" });
  return {
    qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`,
    // Groups of four, as the apps show it and people type it.
    secretGroups: secret.match(/.{1,4}/g)!.join(" "),
    issuer,
  };
}

/** The step of a code that is right for `secret` now (±1 step), or null. */
function stepOf(secret: string, code: string, timestamp: number): number | null {
  const totp = totpOf(secret);
  const delta = totp.validate({ token: code, timestamp, window: WINDOW });
  return delta === null ? null : totp.counter({ timestamp }) + delta;
}

const isTotpCode = (code: string) => /^\d{6}$/.test(code);
const normalise = (code: string) => code.replace(/\s+/g, "");
const wrong = (message = t("twoFactor.errors.wrong")) => new ValidationError({ code: [message] }, message);

export function hashRecoveryCode(userId: number, code: string): string {
  const clean = code.toLowerCase().replace(/[^a-z0-9]/g, "");
  return createHash("sha256").update(`${userId}:${clean}`).digest("hex");
}

function newRecoveryCode(): string {
  const chars = Array.from({ length: RECOVERY_LENGTH }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join("")).join("-");
}

/** Replaces the user's recovery codes by ten new ones; returns them in clear, to be shown once. */
function replaceRecoveryCodes(tx: DbOrTx, userId: number): string[] {
  tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  tx.insert(recoveryCodes)
    .values(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(userId, code) })))
    .run();
  return codes;
}

export function remainingRecoveryCodes(db: DbOrTx, userId: number): number {
  return db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
    .get()!.n;
}

/** Claims the step of a right code: false when that step or a later one was already used. */
function claimStep(tx: DbOrTx, userId: number, step: number): boolean {
  const result = tx
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
    .run();
  return result.changes === 1;
}

/**
 * Checks a code of a user with two-factor on, and uses it up: a TOTP code (its step may not have been used) or
 * an unused recovery code. Throws a ValidationError on the field `code` otherwise.
 */
export function useSecondFactor(tx: DbOrTx, user: User, input: string, now = new Date()): "totp" | "recovery" {
  if (!user.totpSecret || !user.totpEnabledAt) throw wrong(t("twoFactor.errors.notOn"));
  const code = normalise(input);
  if (isTotpCode(code)) {
    const step = stepOf(user.totpSecret, code, now.getTime());
    if (step === null) throw wrong();
    if (!claimStep(tx, user.id, step)) throw wrong(t("twoFactor.errors.used"));
    return "totp";
  }
  const row = tx
    .select()
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, user.id), eq(recoveryCodes.codeHash, hashRecoveryCode(user.id, code))))
    .get();
  if (!row) throw wrong();
  const claimed = tx
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(and(eq(recoveryCodes.id, row.id), isNull(recoveryCodes.usedAt)))
    .run();
  if (claimed.changes !== 1) throw wrong(t("twoFactor.errors.recoveryUsed"));
  return "recovery";
}

/** The second step of a password sign-in. A recovery code used is in the history, with how many are left. */
export function signInWithSecondFactor(db: Db, userId: number, code: string): { user: User; method: "totp" | "recovery"; remaining: number } {
  return db.transaction((tx) => {
    const user = findUserById(tx, userId);
    if (!user || user.disabledAt) throw wrong();
    const method = useSecondFactor(tx, user, code);
    const remaining = remainingRecoveryCodes(tx, user.id);
    if (method === "recovery") {
      recordChange(tx, {
        actor: actorOf(user),
        action: "update",
        entityType: "user",
        entityId: user.id,
        summary: t("twoFactor.audit.recoveryUsed", { name: user.name, count: remaining }),
      });
    }
    return { user, method, remaining };
  });
}

/**
 * Switches two-factor on with the secret the set-up page showed, once a code from the app proves the app has it.
 * That code's step counts as used. Returns the ten recovery codes, in clear, for showing once.
 */
export function enableTwoFactor(db: Db, who: Who, secret: string, input: string, now = new Date()): string[] {
  const code = normalise(input);
  if (!isTotpCode(code)) throw wrong(t("twoFactor.errors.setupCode"));
  const step = stepOf(secret, code, now.getTime());
  if (step === null) throw wrong();
  return db.transaction((tx) => {
    const done = tx
      .update(users)
      .set({ totpSecret: secret, totpEnabledAt: now, totpLastStep: step, version: sql`${users.version} + 1`, updatedAt: now })
      .where(and(eq(users.id, who.id), isNull(users.totpEnabledAt)))
      .run();
    // Switched on in another tab meanwhile: this secret is not the one in the app that counts.
    if (done.changes !== 1) throw new ConflictError(null);
    const codes = replaceRecoveryCodes(tx, who.id);
    recordChange(tx, {
      actor: actorOf(who),
      action: "update",
      entityType: "user",
      entityId: who.id,
      summary: t("twoFactor.audit.enabled", { name: who.name }),
      before: { twoFactor: false },
      after: { twoFactor: true },
    });
    return codes;
  });
}

/** Ten new recovery codes for a current code (from the app, or a recovery code); the old ones stop working. */
export function regenerateRecoveryCodes(db: Db, who: Who, code: string): string[] {
  return db.transaction((tx) => {
    const user = findUserById(tx, who.id)!;
    useSecondFactor(tx, user, code);
    const codes = replaceRecoveryCodes(tx, who.id);
    recordChange(tx, { actor: actorOf(who), action: "update", entityType: "user", entityId: who.id, summary: t("twoFactor.audit.regenerated", { name: who.name }) });
    return codes;
  });
}

/** Switches two-factor off for a current code; refused where the role must have it. */
export function disableTwoFactor(db: Db, who: Who, code: string): void {
  db.transaction((tx) => {
    const user = findUserById(tx, who.id)!;
    if (twoFactorRequired(getSignInSettings(tx), user.role)) throw new ForbiddenError(t("twoFactor.errors.compulsory"));
    useSecondFactor(tx, user, code);
    resetTwoFactor(tx, user.id);
    tx.update(users).set({ version: sql`${users.version} + 1`, updatedAt: new Date() }).where(eq(users.id, user.id)).run();
    recordChange(tx, {
      actor: actorOf(who),
      action: "update",
      entityType: "user",
      entityId: who.id,
      summary: t("twoFactor.audit.disabled", { name: who.name }),
      before: { twoFactor: true },
      after: { twoFactor: false },
    });
  });
}

/**
 * Clears a user's two-factor: secret, time switched on, last step, recovery codes. No history entry and no
 * version change: the caller (switching off, or an admin's reset) records its own.
 */
export function resetTwoFactor(tx: DbOrTx, userId: number): void {
  tx.update(users).set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null }).where(eq(users.id, userId)).run();
  tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
}
