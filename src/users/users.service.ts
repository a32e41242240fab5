// People: an admin invites them (a one-time link to set a password, good for 72 hours), gives them a role and,
// for school contacts, their schools; deactivates and reactivates them; resets their two-factor. The last
// active admin can be neither deactivated nor given another role. Every change is in the history, in the same
// transaction; a deactivation ends the person's sessions and API tokens in that transaction too.
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, inArray, isNull, ne, sql } from "drizzle-orm";
import { recordChange, type Actor } from "../audit/audit.service";
import { resetTwoFactor } from "../auth/two-factor.service";
import type { Db, DbOrTx } from "../db/client";
import type { Role } from "../db/enums";
import { schools, userInvites, users, userSchools } from "../db/schema";
import { ConflictError, NotFoundError, ValidationError } from "../http/errors";
import { labelOf, t } from "../i18n";
import { queueMail } from "../mail/mail.service";
import { endSessionsOf, revokeTokensOf } from "./credentials";
import { findUserByEmail, schoolIdsOfUser, type User } from "./users.repository";
import type { UserInput } from "./users.schemas";

export const INVITE_HOURS = 72;
const ENTITY = "user";

export const hashInviteToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** What the history keeps of a user: never the password hash or the two-factor secret. */
function snapshot(tx: DbOrTx, user: User) {
  return {
    name: user.name,
    email: user.email,
    role: user.role,
    schoolIds: schoolIdsOfUser(tx, user.id),
    disabledAt: user.disabledAt,
    twoFactor: user.totpEnabledAt !== null,
    version: user.version,
  };
}

function findOrThrow(tx: DbOrTx, id: number): User {
  const user = tx.select().from(users).where(eq(users.id, id)).get();
  if (!user) throw new NotFoundError();
  return user;
}

function activeAdminsOtherThan(tx: DbOrTx, id: number): number {
  return tx
    .select({ n: sql<number>`count(*)` })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.disabledAt), ne(users.id, id)))
    .get()!.n;
}

/** The schools of a school contact must exist; other roles have none (they see every school). */
function checkedSchools(tx: DbOrTx, role: Role, schoolIds: number[]): number[] {
  if (role !== "school") return [];
  if (schoolIds.length === 0) throw new ValidationError({ schoolIds: [t("users.errors.schoolsRequired")] });
  const known = tx.select({ id: schools.id }).from(schools).where(inArray(schools.id, schoolIds)).all();
  if (known.length !== new Set(schoolIds).size) throw new ValidationError({ schoolIds: [t("users.errors.schoolUnknown")] });
  return [...new Set(schoolIds)];
}

function setSchools(tx: DbOrTx, userId: number, schoolIds: number[]): void {
  tx.delete(userSchools).where(eq(userSchools.userId, userId)).run();
  if (schoolIds.length) tx.insert(userSchools).values(schoolIds.map((schoolId) => ({ userId, schoolId }))).run();
}

/**
 * A new link to set a password: earlier unused links of the user stop working. The link is mailed (through the
 * outbox) and returned once, so the admin can hand it over when the board has no mail server.
 */
function issueLink(tx: DbOrTx, user: User, actor: Actor, options: { now: Date; publicUrl: string; boardName: string; kind: "invite" | "reset" }): string {
  tx.update(userInvites)
    .set({ usedAt: options.now })
    .where(and(eq(userInvites.userId, user.id), isNull(userInvites.usedAt)))
    .run();
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(options.now.getTime() + INVITE_HOURS * 60 * 60 * 1000);
  tx.insert(userInvites).values({ userId: user.id, tokenHash: hashInviteToken(token), createdBy: actor.id, createdAt: options.now, expiresAt }).run();
  const link = `${options.publicUrl}/invite/${token}`;
  const params = { name: user.name, board: options.boardName, link, hours: INVITE_HOURS, role: labelOf("roles", user.role) };
  queueMail(tx, { to: user.email, subject: t(`users.mail.${options.kind}Subject`, params), body: t(`users.mail.${options.kind}Body`, params) }, options.now);
  return link;
}

type LinkOptions = { now?: Date; publicUrl: string; boardName: string };

export function inviteUser(db: Db, actor: Actor, input: UserInput, options: LinkOptions): { user: User; link: string } {
  const now = options.now ?? new Date();
  return db.transaction((tx) => {
    if (findUserByEmail(tx, input.email)) throw new ValidationError({ email: [t("users.errors.emailTaken")] });
    const schoolIds = checkedSchools(tx, input.role, input.schoolIds);
    // No password until the person sets one through the link: password sign-in refuses an empty hash.
    const user = tx.insert(users).values({ email: input.email, name: input.name, role: input.role, passwordHash: "" }).returning().get();
    setSchools(tx, user.id, schoolIds);
    recordChange(tx, {
      actor,
      action: "create",
      entityType: ENTITY,
      entityId: user.id,
      summary: `${user.name} (${user.email}) uitgenodigd als ${labelOf("roles", user.role)}`,
      after: snapshot(tx, user),
    });
    const link = issueLink(tx, user, actor, { ...options, now, kind: "invite" });
    return { user, link };
  });
}

export function updateUser(db: Db, actor: Actor, id: number, input: UserInput & { version: number }): User {
  return db.transaction((tx) => {
    const before = findOrThrow(tx, id);
    if (before.version !== input.version) throw new ConflictError(toForm(tx, before));
    if (before.role === "admin" && input.role !== "admin" && !before.disabledAt && activeAdminsOtherThan(tx, id) === 0) {
      throw new ValidationError({ role: [t("users.errors.lastAdmin")] });
    }
    const other = findUserByEmail(tx, input.email);
    if (other && other.id !== id) throw new ValidationError({ email: [t("users.errors.emailTaken")] });
    const schoolIds = checkedSchools(tx, input.role, input.schoolIds);
    const beforeSnapshot = snapshot(tx, before);
    const after = tx
      .update(users)
      .set({ name: input.name, email: input.email, role: input.role, version: before.version + 1, updatedAt: new Date() })
      .where(and(eq(users.id, id), eq(users.version, input.version)))
      .returning()
      .get();
    if (!after) throw new ConflictError(toForm(tx, findOrThrow(tx, id)));
    setSchools(tx, id, schoolIds);
    recordChange(tx, { actor, action: "update", entityType: ENTITY, entityId: id, summary: `Gebruiker ${after.name} gewijzigd`, before: beforeSnapshot, after: snapshot(tx, after) });
    return after;
  });
}

/** The form's view of a user (for the 409 page): role and schools as the form sends them. */
export function toForm(tx: DbOrTx, user: User) {
  return { name: user.name, email: user.email, role: user.role, schoolIds: schoolIdsOfUser(tx, user.id), version: user.version };
}

/** Sets or clears the deactivation; a deactivation ends every session and API token of the person at once. */
export function setActive(db: Db, actor: Actor, id: number, version: number, active: boolean): User {
  return db.transaction((tx) => {
    const before = findOrThrow(tx, id);
    if (before.version !== version) throw new ConflictError(toForm(tx, before));
    if (!active && before.role === "admin" && !before.disabledAt && activeAdminsOtherThan(tx, id) === 0) {
      throw new ValidationError({ version: [t("users.errors.lastAdmin")] });
    }
    if (!active && actor.id === id) throw new ValidationError({ version: [t("users.errors.notYourself")] });
    const after = tx
      .update(users)
      .set({ disabledAt: active ? null : new Date(), version: version + 1, updatedAt: new Date() })
      .where(and(eq(users.id, id), eq(users.version, version)))
      .returning()
      .get();
    if (!after) throw new ConflictError(toForm(tx, findOrThrow(tx, id)));
    let ended = "";
    if (!active) {
      const sessions = endSessionsOf(tx, id);
      const tokens = revokeTokensOf(tx, id);
      ended = `; ${sessions} sessie(s) beëindigd, ${tokens} API-token(s) ingetrokken`;
    }
    recordChange(tx, {
      actor,
      action: "update",
      entityType: ENTITY,
      entityId: id,
      summary: `${after.name} ${active ? "opnieuw geactiveerd" : `gedeactiveerd${ended}`}`,
      before: snapshot(tx, before),
      after: snapshot(tx, after),
    });
    return after;
  });
}

/** A new link: an invitation again for someone who never set a password, otherwise a password reset. */
export function sendPasswordLink(db: Db, actor: Actor, id: number, options: LinkOptions): { user: User; link: string } {
  const now = options.now ?? new Date();
  return db.transaction((tx) => {
    const user = findOrThrow(tx, id);
    if (user.disabledAt) throw new ValidationError({ version: [t("users.errors.deactivated")] });
    const kind = user.passwordHash ? "reset" : "invite";
    const link = issueLink(tx, user, actor, { ...options, now, kind });
    recordChange(tx, {
      actor,
      action: "update",
      entityType: ENTITY,
      entityId: id,
      summary: kind === "invite" ? `Nieuwe uitnodiging gestuurd aan ${user.name}` : `Link om het wachtwoord opnieuw in te stellen gestuurd aan ${user.name}`,
    });
    return { user, link };
  });
}

/** Clears two-factor: the person sets it up again at the next sign-in (where it is compulsory for the role). */
export function resetTwoFactorOf(db: Db, actor: Actor, id: number): User {
  return db.transaction((tx) => {
    const before = findOrThrow(tx, id);
    resetTwoFactor(tx, id);
    const after = tx.update(users).set({ version: before.version + 1, updatedAt: new Date() }).where(eq(users.id, id)).returning().get()!;
    recordChange(tx, { actor, action: "update", entityType: ENTITY, entityId: id, summary: `Tweestapsverificatie van ${after.name} gewist`, before: snapshot(tx, before), after: snapshot(tx, after) });
    return after;
  });
}

/** Forgets the provider's subject: the next single sign-on matches the person on e-mail again (a new provider). */
export function unlinkSso(db: Db, actor: Actor, id: number, version: number): User {
  return db.transaction((tx) => {
    const before = findOrThrow(tx, id);
    if (before.version !== version) throw new ConflictError(toForm(tx, before));
    const after = tx.update(users).set({ oidcSubject: null, version: version + 1, updatedAt: new Date() }).where(eq(users.id, id)).returning().get()!;
    recordChange(tx, { actor, action: "update", entityType: ENTITY, entityId: id, summary: `Koppeling van ${after.name} met single sign-on verbroken`, before: snapshot(tx, before), after: snapshot(tx, after) });
    return after;
  });
}

export type InviteState = { user: User; inviteId: number } | { error: "unknown" | "used" | "expired" };

/** What a link is worth now. Unknown, used and expired links each get their own plain answer. */
export function inviteState(tx: DbOrTx, token: string, now = new Date()): InviteState {
  const invite = tx.select().from(userInvites).where(eq(userInvites.tokenHash, hashInviteToken(token))).get();
  if (!invite) return { error: "unknown" };
  const user = tx.select().from(users).where(eq(users.id, invite.userId)).get();
  if (!user || user.disabledAt) return { error: "unknown" };
  if (invite.usedAt) return { error: "used" };
  if (invite.expiresAt.getTime() <= now.getTime()) return { error: "expired" };
  return { user, inviteId: invite.id };
}

/**
 * Sets the password through a link and spends the link, in one transaction: a second use of the same link (even
 * at the same moment) finds it used. The other sessions and tokens of the person end: whoever had the old
 * password is out.
 */
export function acceptInvite(db: Db, token: string, passwordHash: string, now = new Date()): User {
  return db.transaction((tx) => {
    const state = inviteState(tx, token, now);
    if ("error" in state) throw new ValidationError({ password: [t(`users.invite.${state.error}`)] });
    const spent = tx
      .update(userInvites)
      .set({ usedAt: now })
      .where(and(eq(userInvites.id, state.inviteId), isNull(userInvites.usedAt), gt(userInvites.expiresAt, now)))
      .run();
    if (spent.changes !== 1) throw new ValidationError({ password: [t("users.invite.used")] });
    const first = !state.user.passwordHash;
    const user = tx.update(users).set({ passwordHash, passwordChangedAt: now, updatedAt: now }).where(eq(users.id, state.user.id)).returning().get()!;
    endSessionsOf(tx, user.id);
    revokeTokensOf(tx, user.id, now);
    recordChange(tx, {
      actor: { id: user.id, label: user.name },
      action: "password",
      entityType: ENTITY,
      entityId: user.id,
      summary: first ? `${user.name} heeft via de uitnodiging een wachtwoord ingesteld` : `${user.name} heeft via een link het wachtwoord opnieuw ingesteld`,
    });
    return user;
  });
}
