// Writes of the API that combine features' services: each is one transaction whose steps are the features'
// own services (savepoints inside it), so the rules and the audit entries are those of the browser.
import type { ApplicationInput } from "../applications/applications.schemas";
import { schoolUsesOf } from "../applications/applications.repository";
import { updateApplication, updateApplicationSchools } from "../applications/applications.service";
import type { Actor } from "../audit/audit.service";
import type { Db } from "../db/client";

const sorted = (ids: number[]) => [...new Set(ids)].sort((a, b) => a - b);

/**
 * An application's fields and, when `schoolIds` is given, the schools that use it (keeping each remaining
 * school's since, until and local contact). The version is checked by the first step; the second continues
 * from the version the first left.
 */
export function updateApplicationAndSchools(db: Db, actor: Actor, id: number, input: ApplicationInput & { version: number }, schoolIds?: number[]): void {
  db.transaction(() => {
    const saved = updateApplication(db, actor, id, input);
    if (schoolIds === undefined) return;
    const uses = schoolUsesOf(db, id);
    const before = sorted(uses.map((u) => u.schoolId));
    const after = sorted(schoolIds);
    if (before.join() === after.join()) return;
    const rows = Object.fromEntries(
      sorted([...before, ...after]).map((schoolId) => {
        const use = uses.find((u) => u.schoolId === schoolId);
        return [String(schoolId), { used: after.includes(schoolId), since: use?.since ?? undefined, until: use?.until ?? undefined, localContact: use?.localContact ?? undefined }];
      }),
    );
    updateApplicationSchools(db, actor, id, { version: saved.version, rows });
  });
}
