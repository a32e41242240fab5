// How people sign in, per role: whether two-factor is compulsory, and whether a password may be used at all
// (once single sign-on works, a board can switch passwords off for the roles that sign in through it).
// Stored in the settings table under their own keys, with their own version, and recorded in the history.
import { inArray, sql } from "drizzle-orm";
import { recordChange, type Actor } from "../audit/audit.service";
import { memoByVersion, type Db, type DbOrTx } from "../db/client";
import { ROLES, type Role } from "../db/enums";
import { settings } from "../db/schema";
import { ConflictError, ValidationError } from "../http/errors";
import { t } from "../i18n";

export type SignInSettings = { twoFactorRoles: Role[]; passwordRoles: Role[] };

const KEYS = ["twoFactorRoles", "passwordRoles"] as const;
export const SIGN_IN_DEFAULTS: SignInSettings = { twoFactorRoles: ["admin", "privacy_officer"], passwordRoles: [...ROLES] };

const asRoles = (value: string): Role[] => value.split(",").filter((r): r is Role => (ROLES as readonly string[]).includes(r));

export function getSignInSettings(db: DbOrTx): SignInSettings {
  return memoByVersion(db, "signInSettings", () => {
    const rows = db.select().from(settings).where(inArray(settings.key, [...KEYS])).all();
    const out: SignInSettings = { ...SIGN_IN_DEFAULTS };
    for (const row of rows) out[row.key as (typeof KEYS)[number]] = asRoles(row.value);
    return out;
  });
}

export function signInSettingsVersion(db: DbOrTx): number {
  return 1 + (db.select({ v: sql<number>`coalesce(sum(${settings.version}), 0)` }).from(settings).where(inArray(settings.key, [...KEYS])).get()?.v ?? 0);
}

export const twoFactorRequired = (s: SignInSettings, role: Role) => s.twoFactorRoles.includes(role);
export const passwordAllowed = (s: SignInSettings, role: Role) => s.passwordRoles.includes(role);

export function updateSignInSettings(
  db: Db,
  actor: Actor,
  input: SignInSettings & { version: number },
  options: { ssoConfigured: boolean },
): SignInSettings {
  // Without single sign-on, a role without passwords could not sign in at all; the admins must always be able to.
  if (!input.passwordRoles.includes("admin") && !options.ssoConfigured) {
    throw new ValidationError({ passwordRoles: [t("users.signIn.adminNeedsPassword")] });
  }
  const missing = ROLES.filter((r) => !input.passwordRoles.includes(r));
  if (missing.length && !options.ssoConfigured) throw new ValidationError({ passwordRoles: [t("users.signIn.needsSso")] });
  return db.transaction((tx) => {
    if (signInSettingsVersion(tx) !== input.version) {
      throw new ConflictError({ ...getSignInSettings(tx), version: signInSettingsVersion(tx) });
    }
    const before = getSignInSettings(tx);
    for (const key of KEYS) {
      const value = ROLES.filter((r) => input[key].includes(r)).join(",");
      if (ROLES.filter((r) => before[key].includes(r)).join(",") === value) continue;
      tx.insert(settings)
        .values({ key, value })
        .onConflictDoUpdate({ target: settings.key, set: { value, version: sql`${settings.version} + 1`, updatedAt: new Date() } })
        .run();
    }
    const after = getSignInSettings(tx);
    recordChange(tx, { actor, action: "update", entityType: "settings", entityId: null, summary: "Aanmeldinstellingen gewijzigd", before, after });
    return after;
  });
}
