// Who may sign in through the board's OpenID provider, and what the provider's claims change. Nobody is created
// here: the person must have an account (created or invited by an admin), found by the provider's subject once
// linked, before that by e-mail address. Linking, a role from the role map and the schools from the BRIN claim are
// written with their history entries in one transaction, or not at all.
import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { actorOf, recordChange } from "../audit/audit.service";
import type { Db, DbOrTx } from "../db/client";
import type { Role } from "../db/enums";
import { schools, userSchools, users } from "../db/schema";
import { t } from "../i18n";
import { findUserByEmail, findUserById, schoolIdsOfUser, type User } from "../users/users.repository";
import type { IdClaims } from "./oidc.client";
import type { OidcConfig } from "./oidc.config";

export type SsoRefusalReason = "unknown" | "noEmail" | "emailUnverified" | "disabled" | "otherSubject" | "wrongDomain" | "noSchool" | "unknownSchool";

/** The provider vouched for the person, but the register does not let them in; `params` fill in the message. */
export class SsoRefusal extends Error {
  constructor(
    readonly reason: SsoRefusalReason,
    readonly params: Record<string, string> = {},
  ) {
    super(`Single sign-on refused: ${reason}`);
    this.name = "SsoRefusal";
  }
}

/** The stronger role wins when a person's claim values map to more than one. */
const ROLE_RANK: Role[] = ["admin", "privacy_officer", "auditor", "school"];

const strings = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string" && v.trim() !== "").map((v) => v.trim());

/**
 * The e-mail address the provider vouches for. Microsoft Entra ID sends `email` only when the mailbox is set;
 * there its `preferred_username` (or `upn` in older tokens) is the sign-in name its admins set, in practice the
 * address. An address the provider says is not verified is not used.
 */
function emailOf(config: OidcConfig, claims: IdClaims): string | undefined {
  if (claims.email_verified === false) throw new SsoRefusal("emailUnverified");
  const candidates = config.emailFromUsername ? [claims.email, claims.preferred_username, claims.upn] : [claims.email];
  return candidates.find((v): v is string => typeof v === "string" && /^[^@\s]+@[^@\s]+$/.test(v))?.toLowerCase();
}

function findAccount(tx: DbOrTx, config: OidcConfig, claims: IdClaims): User {
  const linked = tx.select().from(users).where(eq(users.oidcSubject, claims.sub)).get();
  if (linked) return linked;
  const email = emailOf(config, claims);
  if (!email) throw new SsoRefusal("noEmail");
  const user = findUserByEmail(tx, email);
  if (!user) throw new SsoRefusal("unknown", { email });
  // The same address at a different provider account: a reused or reassigned address is no proof of the person.
  if (user.oidcSubject && user.oidcSubject !== claims.sub) throw new SsoRefusal("otherSubject");
  return user;
}

function isLastActiveAdmin(tx: DbOrTx, user: User): boolean {
  if (user.role !== "admin" || user.disabledAt) return false;
  const others = tx
    .select({ n: sql<number>`count(*)` })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.disabledAt), ne(users.id, user.id)))
    .get();
  return (others?.n ?? 0) === 0;
}

/** The role the claim maps to, or undefined when none of the person's values is in the map. */
function mappedRole(config: OidcConfig, claims: IdClaims): Role | undefined {
  if (!config.roleClaim) return undefined;
  const roles = new Set(strings(claims[config.roleClaim]).map((value) => config.roleMap[value]));
  return ROLE_RANK.find((role) => roles.has(role));
}

/**
 * The schools of a school user by the BRIN in the school claim (Entree Federatie's nlEduPersonHomeOrganizationId,
 * passed on by the broker): a four-character BRIN stands for all its locations, six characters for one. The
 * provider's organisation is the upper bound: schools the admin chose within it are kept, otherwise all of it.
 */
function schoolsFromClaim(tx: DbOrTx, config: OidcConfig, claims: IdClaims, user: User): number[] | undefined {
  if (!config.schoolClaim) return undefined;
  const codes = strings(claims[config.schoolClaim]).map((v) => v.toUpperCase());
  if (!codes.length) throw new SsoRefusal("noSchool");
  const matching = tx
    .select({ id: schools.id, brin: schools.brin, location: schools.location })
    .from(schools)
    .where(inArray(schools.brin, codes.map((c) => c.slice(0, 4))))
    .all()
    .filter((s) => codes.some((c) => c === s.brin || c === `${s.brin}${s.location}`))
    .map((s) => s.id);
  if (!matching.length) throw new SsoRefusal("unknownSchool", { brin: codes.join(", ") });
  const kept = schoolIdsOfUser(tx, user.id).filter((id) => matching.includes(id));
  return kept.length ? kept : matching;
}

/**
 * The account the provider's ID token claims belong to, after linking the subject and applying the role and
 * school claims. Throws SsoRefusal (and changes nothing) when the person may not sign in.
 */
export function resolveSsoUser(db: Db, config: OidcConfig, claims: IdClaims): User {
  if (config.hostedDomain && claims.hd !== config.hostedDomain) throw new SsoRefusal("wrongDomain", { domain: config.hostedDomain });
  return db.transaction((tx) => {
    const user = findAccount(tx, config, claims);
    if (user.disabledAt) throw new SsoRefusal("disabled");
    // One history entry for what this sign-in changed (the audit merges a record's entries in one transaction anyway).
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const changes: string[] = [];

    if (!user.oidcSubject) {
      tx.update(users).set({ oidcSubject: claims.sub, updatedAt: new Date() }).where(eq(users.id, user.id)).run();
      before.oidcSubject = null;
      after.oidcSubject = claims.sub;
      changes.push(t("sso.audit.linked", { issuer: config.issuer }));
    }

    let role = mappedRole(config, claims) ?? user.role;
    // The provider's groups never leave the register without an active admin.
    if (role !== user.role && isLastActiveAdmin(tx, user)) role = user.role;
    if (role !== user.role) {
      tx.update(users)
        .set({ role, version: sql`${users.version} + 1`, updatedAt: new Date() })
        .where(eq(users.id, user.id))
        .run();
      before.role = user.role;
      after.role = role;
      changes.push(t("sso.audit.role", { claim: config.roleClaim ?? "" }));
    }

    if (role === "school") {
      const schoolIds = schoolsFromClaim(tx, config, claims, user);
      const current = schoolIdsOfUser(tx, user.id);
      if (schoolIds && (schoolIds.length !== current.length || schoolIds.some((id) => !current.includes(id)))) {
        tx.delete(userSchools).where(eq(userSchools.userId, user.id)).run();
        tx.insert(userSchools)
          .values(schoolIds.map((schoolId) => ({ userId: user.id, schoolId })))
          .run();
        before.schoolIds = current;
        after.schoolIds = schoolIds;
        changes.push(t("sso.audit.schools", { claim: config.schoolClaim ?? "" }));
      }
    }

    if (changes.length) {
      recordChange(tx, {
        actor: actorOf(user),
        action: "update",
        entityType: "user",
        entityId: user.id,
        summary: t("sso.audit.summary", { name: user.name, changes: changes.join("; ") }),
        before,
        after,
      });
    }
    return findUserById(tx, user.id)!;
  });
}
