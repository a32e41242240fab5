import { and, count, countDistinct, eq, gte, inArray, isNull, lte, notExists, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { agreements, applications, classifications } from "../db/schema";
import { addDays, todayIso } from "../lib/dates";
import { getSettings } from "../settings/settings.service";
import { applicationsOfSchool, listSchools } from "../schools/schools.repository";

const ACTIVE = ["in_gebruik", "uitfaseren", "aangevraagd"] as const;

/** Key figures for the board's home page. The full status per application comes with the compliance rules. */
export function boardFigures(db: Db, now = new Date()) {
  const settings = getSettings(db);
  const today = todayIso(now);
  const active = and(isNull(applications.archivedAt), inArray(applications.lifecycle, [...ACTIVE]));
  const inUse = db.select({ n: count() }).from(applications).where(and(active, eq(applications.lifecycle, "in_gebruik"))).get()!.n;
  const withPersonalData = db
    .select({ n: count() })
    .from(applications)
    .where(and(active, eq(applications.processesPersonalData, true)))
    .get()!.n;
  const signed = db.select({ n: countDistinct(agreements.id) }).from(agreements).where(eq(agreements.status, "ondertekend")).get()!.n;
  const expiring = db
    .select({ n: count() })
    .from(agreements)
    .where(
      and(
        eq(agreements.status, "ondertekend"),
        gte(agreements.endsOn, today),
        lte(agreements.endsOn, addDays(today, settings.agreementWarningDays)),
      ),
    )
    .get()!.n;
  const withoutClassification = db
    .select({ n: count() })
    .from(applications)
    .where(
      and(
        active,
        eq(applications.processesPersonalData, true),
        notExists(db.select({ one: sql`1` }).from(classifications).where(eq(classifications.applicationId, applications.id))),
      ),
    )
    .get()!.n;
  return { inUse, withPersonalData, signed, expiring, withoutClassification, warningDays: settings.agreementWarningDays };
}

export function schoolsWithApplications(db: Db, schoolIds: number[]) {
  return listSchools(db, { onlyIds: schoolIds }).map((school) => ({ ...school, applications: applicationsOfSchool(db, school.id) }));
}

export { listSchools };
