import { memoByVersion, type Db } from "../db/client";
import { actorOf, recordChange, SYSTEM_ACTOR } from "../audit/audit.service";
import { ValidationError } from "../http/errors";
import type { CurrentUser } from "../http/policy";
import { t } from "../i18n";
import {
  countUsers,
  findUserByEmail,
  findUserById,
  insertUser,
  schoolIdsOfUser,
  updatePasswordHash,
  type User,
} from "../users/users.repository";
import { revokeTokensOf } from "../users/credentials";
import { dummyPasswordHash, generatePassword, hashPassword, verifyPassword } from "./passwords";

/**
 * Checks e-mail and password. An unknown e-mail, a disabled account, an invited account without a password yet
 * and a wrong password give the same answer after the same work (a hash is verified in every case), so nobody
 * learns which addresses exist. The sign-in itself (and its time) is src/auth/sign-in.ts.
 */
export async function authenticate(db: Db, email: string, password: string): Promise<User | null> {
  const user = findUserByEmail(db, email);
  const ok = await verifyPassword(user?.passwordHash || (await dummyPasswordHash()), password);
  if (!user || !user.passwordHash || !ok || user.disabledAt) return null;
  return user;
}

/** The signed-in user as every request needs it; kept until the register (which holds the users) changes. */
export function loadCurrentUser(db: Db, userId: number): CurrentUser | null {
  return memoByVersion(db, `currentUser:${userId}`, () => {
    const user = findUserById(db, userId);
    if (!user || user.disabledAt) return null;
    return {
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      schoolIds: user.role === "school" ? schoolIdsOfUser(db, user.id) : [],
      twoFactorEnabled: user.totpEnabledAt !== null,
    };
  });
}

export async function changePassword(
  db: Db,
  user: CurrentUser,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const stored = findUserById(db, user.id);
  if (!stored || !(await verifyPassword(stored.passwordHash, input.currentPassword))) {
    throw new ValidationError({ currentPassword: [t("account.wrongCurrent")] });
  }
  if (input.currentPassword === input.newPassword) {
    throw new ValidationError({ newPassword: [t("account.sameAsOld")] });
  }
  const passwordHash = await hashPassword(input.newPassword);
  db.transaction((tx) => {
    updatePasswordHash(tx, user.id, passwordHash);
    // Whoever held a token made under the old password loses it with the password.
    const revoked = revokeTokensOf(tx, user.id);
    recordChange(tx, {
      actor: actorOf(user),
      action: "password",
      entityType: "user",
      entityId: user.id,
      summary: `Wachtwoord gewijzigd door ${user.name}${revoked ? `; ${revoked} API-token${revoked === 1 ? "" : "s"} ingetrokken` : ""}`,
    });
  });
}

/**
 * On a first start with no users, creates the admin from ADMIN_EMAIL/ADMIN_PASSWORD, or with a generated
 * password that is returned (to be printed once) and never stored in clear.
 */
export async function ensureFirstAdmin(
  db: Db,
  options: { email?: string; password?: string },
): Promise<{ email: string; generatedPassword?: string } | null> {
  if (countUsers(db) > 0) return null;
  const email = options.email ?? "beheer@ibp-register.local";
  const generatedPassword = options.password ? undefined : generatePassword();
  const passwordHash = await hashPassword(options.password ?? generatedPassword!);
  db.transaction((tx) => {
    if (countUsers(tx) > 0) return;
    const user = insertUser(tx, { email, name: "Beheerder", passwordHash, role: "admin" });
    recordChange(tx, {
      actor: SYSTEM_ACTOR,
      action: "create",
      entityType: "user",
      entityId: user.id,
      summary: `Eerste beheerder aangemaakt: ${email}`,
      after: { ...user },
    });
  });
  return { email, generatedPassword };
}
