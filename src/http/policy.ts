// Who may do what: one table, checked on the server by requirePermission (src/http/auth.ts).
// School users are further limited to their own schools by the features (see canSeeSchool).
import type { Role } from "../db/enums";

export const PERMISSIONS = {
  /** Read the whole register: all schools, suppliers, agreements, classifications, history. */
  "register.read": ["admin", "privacy_officer", "auditor"],
  /** Change the register. */
  "register.write": ["admin", "privacy_officer"],
  /** Read the applications of one's own schools (school users) or of all (others). */
  "school.read": ["admin", "privacy_officer", "auditor", "school"],
  /** The change history. */
  "audit.read": ["admin", "privacy_officer", "auditor"],
  /** Users, schools' structure, board settings and thresholds. */
  "admin.manage": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export type CurrentUser = {
  id: number;
  name: string;
  email: string;
  role: Role;
  /** The schools a school user represents; empty for the other roles (they see every school). */
  schoolIds: number[];
  /** Whether the user has two-factor set up (see src/auth/sign-in.ts). */
  twoFactorEnabled?: boolean;
};

export function can(user: CurrentUser | undefined, permission: Permission): boolean {
  return user !== undefined && (PERMISSIONS[permission] as readonly Role[]).includes(user.role);
}

/** A school user sees only its own schools; every other role sees all. */
export function canSeeSchool(user: CurrentUser, schoolId: number): boolean {
  return user.role !== "school" || user.schoolIds.includes(schoolId);
}
