import { and, asc, desc, eq, isNull } from "drizzle-orm";
import { memoByVersion, type DbOrTx } from "../db/client";
import { levelRank, type Aspect, type Level } from "../db/enums";
import { applicationData, applicationMeasures, classifications, dataCategories, securityMeasures } from "../db/schema";
import { maxLevel } from "./classifications.questions";

export type Classification = typeof classifications.$inferSelect;

export function currentClassification(db: DbOrTx, applicationId: number): Classification | undefined {
  return db.select().from(classifications).where(eq(classifications.applicationId, applicationId)).orderBy(desc(classifications.id)).limit(1).get();
}

/** The confidentiality the processed data imply, and the categories that imply it. */
export function impliedConfidentiality(db: DbOrTx, applicationId: number): { level: Level; because: string[] } {
  const rows = db
    .selectDistinct({ label: dataCategories.label, min: dataCategories.minConfidentiality })
    .from(applicationData)
    .innerJoin(dataCategories, eq(dataCategories.id, applicationData.dataCategoryId))
    .where(eq(applicationData.applicationId, applicationId))
    .all();
  const level = maxLevel(...rows.map((r) => r.min));
  return { level, because: rows.filter((r) => r.min === level && level !== "laag").map((r) => r.label) };
}

const ASPECT_OF: Record<Aspect, "availability" | "integrity" | "confidentiality"> = {
  beschikbaarheid: "availability",
  integriteit: "integrity",
  vertrouwelijkheid: "confidentiality",
};

/**
 * The catalogue with, per measure, whether the application's levels require it (a measure is required from
 * its level upward on its aspect) and what is recorded for the application.
 */
export function measuresOf(db: DbOrTx, applicationId: number, levels: Pick<Classification, "availability" | "integrity" | "confidentiality"> | undefined) {
  const catalogue = memoByVersion(db, "classifications.measureCatalogue", () =>
    db.select().from(securityMeasures).where(isNull(securityMeasures.archivedAt)).orderBy(asc(securityMeasures.sortOrder)).all(),
  );
  const recorded = new Map(
    db.select().from(applicationMeasures).where(eq(applicationMeasures.applicationId, applicationId)).all().map((m) => [m.measureId, m]),
  );
  return catalogue.map((m) => {
    const rec = recorded.get(m.id);
    const required = levels !== undefined && levelRank(m.level) <= levelRank(levels[ASPECT_OF[m.aspect]]);
    const status = rec?.status;
    return {
      ...m,
      required,
      status,
      note: rec?.note ?? null,
      checkedOn: rec?.checkedOn ?? null,
      missing: required && status !== "aanwezig" && status !== "nvt",
    };
  });
}

export function recordedMeasure(db: DbOrTx, applicationId: number, measureId: number) {
  return db
    .select()
    .from(applicationMeasures)
    .where(and(eq(applicationMeasures.applicationId, applicationId), eq(applicationMeasures.measureId, measureId)))
    .get();
}
