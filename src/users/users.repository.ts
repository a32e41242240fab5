import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { countRows, type DbOrTx } from "../db/client";
import type { Role } from "../db/enums";
import { schools, userInvites, userSchools, users } from "../db/schema";
import { qualified } from "../db/sql";
import { likePattern } from "../http/listing";

export type User = typeof users.$inferSelect;

export function findUserByEmail(db: DbOrTx, email: string): User | undefined {
  return db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).get();
}

export function findUserById(db: DbOrTx, id: number): User | undefined {
  return db.select().from(users).where(eq(users.id, id)).get();
}

export function schoolIdsOfUser(db: DbOrTx, userId: number): number[] {
  return db
    .select({ schoolId: userSchools.schoolId })
    .from(userSchools)
    .where(eq(userSchools.userId, userId))
    .all()
    .map((r) => r.schoolId);
}

export function countUsers(db: DbOrTx): number {
  return countRows(db, users);
}

export function insertUser(
  db: DbOrTx,
  values: { email: string; name: string; passwordHash: string; role: Role; schoolIds?: number[] },
): User {
  const user = db
    .insert(users)
    .values({ email: values.email.toLowerCase(), name: values.name, passwordHash: values.passwordHash, role: values.role })
    .returning()
    .get();
  if (values.schoolIds?.length) {
    db.insert(userSchools)
      .values(values.schoolIds.map((schoolId) => ({ userId: user.id, schoolId })))
      .run();
  }
  return user;
}

export function updatePasswordHash(db: DbOrTx, userId: number, passwordHash: string): void {
  db.update(users)
    .set({ passwordHash, passwordChangedAt: new Date(), updatedAt: new Date() })
    .where(eq(users.id, userId))
    .run();
}

export function recordLogin(db: DbOrTx, userId: number): void {
  db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, userId)).run();
}

export function schoolNamesOf(db: DbOrTx, schoolIds: number[]): { id: number; name: string }[] {
  if (schoolIds.length === 0) return [];
  return db
    .select({ id: schools.id, name: schools.name })
    .from(schools)
    .where(inArray(schools.id, schoolIds))
    .orderBy(asc(schools.name))
    .all();
}

export type UserStatus = "active" | "invited" | "deactivated";

/** The users page: everyone, with their schools, whether they still have to accept an invitation, and two-factor. */
export function listUsers(db: DbOrTx, query: { q?: string; role?: Role; status?: UserStatus }) {
  const rows = db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      lastLoginAt: users.lastLoginAt,
      disabledAt: users.disabledAt,
      invited: sql<number>`${users.passwordHash} = '' and ${users.oidcSubject} is null`,
      twoFactor: sql<number>`${users.totpEnabledAt} is not null`,
      sso: sql<number>`${users.oidcSubject} is not null`,
      inviteExpiresAt: sql<number | null>`(select max(i.expires_at) from ${userInvites} i where i.user_id = ${qualified(users.id)} and i.used_at is null)`,
      schoolNames: sql<string | null>`(select group_concat(s.name, ', ') from ${userSchools} us join ${schools} s on s.id = us.school_id where us.user_id = ${qualified(users.id)})`,
    })
    .from(users)
    .where(
      and(
        query.q ? or(sql`${users.name} like ${likePattern(query.q)} escape '\\'`, sql`${users.email} like ${likePattern(query.q)} escape '\\'`) : undefined,
        query.role ? eq(users.role, query.role) : undefined,
      ),
    )
    .orderBy(sql`lower(${users.name})`)
    .all()
    .map((r) => {
      const status: UserStatus = r.disabledAt ? "deactivated" : r.invited ? "invited" : "active";
      return { ...r, status, twoFactor: Boolean(r.twoFactor), sso: Boolean(r.sso), inviteExpiresAt: r.inviteExpiresAt === null ? null : new Date(r.inviteExpiresAt) };
    });
  return query.status ? rows.filter((r) => r.status === query.status) : rows;
}

export function countActiveAdmins(db: DbOrTx): number {
  return db.select({ n: sql<number>`count(*)` }).from(users).where(and(eq(users.role, "admin"), isNull(users.disabledAt))).get()!.n;
}
