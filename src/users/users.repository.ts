import { asc, eq, inArray } from "drizzle-orm";
import { countRows, type DbOrTx } from "../db/client";
import type { Role } from "../db/enums";
import { schools, userSchools, users } from "../db/schema";

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
