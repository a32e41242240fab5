// Gathers the facts the rules need, for one, some or all applications, in a fixed number of queries
// (no query per application), and groups them in memory.
import { and, count, eq, inArray, isNull, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { DbOrTx } from "../db/client";
import { levelRank, type Aspect, type Level } from "../db/enums";
import {
  agreementApplications,
  agreementDataCategories,
  agreements,
  applicationData,
  applicationMeasures,
  applications,
  breaches,
  classifications,
  dataCategories,
  dpias,
  securityMeasures,
} from "../db/schema";
import type { AgreementFacts, ApplicationFacts, CategoryFacts } from "./rules";

const LEVEL_OF: Record<Aspect, "availability" | "integrity" | "confidentiality"> = {
  beschikbaarheid: "availability",
  integriteit: "integrity",
  vertrouwelijkheid: "confidentiality",
};

function groupBy<T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

/** Facts for the given applications, or for every application when `ids` is undefined. */
export function loadFacts(db: DbOrTx, ids?: number[]): ApplicationFacts[] {
  if (ids && ids.length === 0) return [];
  const only = (column: SQLiteColumn) => (ids ? inArray(column, ids) : undefined);

  const apps = db
    .select({
      id: applications.id,
      name: applications.name,
      lifecycle: applications.lifecycle,
      archivedAt: applications.archivedAt,
      processesPersonalData: applications.processesPersonalData,
      dataInEea: applications.dataInEea,
      transferMechanism: applications.transferMechanism,
    })
    .from(applications)
    .where(only(applications.id))
    .all();

  const categories = groupBy(
    db
      .selectDistinct({
        applicationId: applicationData.applicationId,
        id: dataCategories.id,
        label: dataCategories.label,
        flag: dataCategories.flag,
        minConfidentiality: dataCategories.minConfidentiality,
      })
      .from(applicationData)
      .innerJoin(dataCategories, eq(dataCategories.id, applicationData.dataCategoryId))
      .where(only(applicationData.applicationId))
      .all(),
    (r) => r.applicationId,
  );

  const links = db
    .select({
      applicationId: agreementApplications.applicationId,
      id: agreements.id,
      reference: agreements.reference,
      status: agreements.status,
      model: agreements.model,
      signedOn: agreements.signedOn,
      startsOn: agreements.startsOn,
      endsOn: agreements.endsOn,
      nextReviewOn: agreements.nextReviewOn,
    })
    .from(agreementApplications)
    .innerJoin(agreements, eq(agreements.id, agreementApplications.agreementId))
    .where(only(agreementApplications.applicationId))
    .all();
  const agreementIds = [...new Set(links.map((l) => l.id))];
  const coveredBy = groupBy(
    agreementIds.length
      ? db
          .select()
          .from(agreementDataCategories)
          .where(ids ? inArray(agreementDataCategories.agreementId, agreementIds) : undefined)
          .all()
      : [],
    (r) => r.agreementId,
  );
  const agreementsOf = groupBy(links, (l) => l.applicationId);

  // The newest classification per application.
  const latest = new Map(
    db
      .select()
      .from(classifications)
      .where(
        and(
          only(classifications.applicationId),
          sql`${classifications.id} = (select max(c2.id) from ${classifications} c2 where c2.application_id = ${classifications.applicationId})`,
        ),
      )
      .all()
      .map((c) => [c.applicationId, c]),
  );

  const catalogue = db.select({ id: securityMeasures.id, aspect: securityMeasures.aspect, level: securityMeasures.level }).from(securityMeasures).where(isNull(securityMeasures.archivedAt)).all();
  const inPlace = groupBy(
    db
      .select({ applicationId: applicationMeasures.applicationId, measureId: applicationMeasures.measureId })
      .from(applicationMeasures)
      .where(and(only(applicationMeasures.applicationId), inArray(applicationMeasures.status, ["aanwezig", "nvt"])))
      .all(),
    (r) => r.applicationId,
  );

  const dpiaOf = new Map(
    db.select({ applicationId: dpias.applicationId, required: dpias.required }).from(dpias).where(only(dpias.applicationId)).all().map((d) => [d.applicationId, d.required]),
  );
  const openBreaches = new Map(
    db
      .select({ applicationId: breaches.applicationId, n: count() })
      .from(breaches)
      .where(and(isNull(breaches.closedAt), ids ? inArray(breaches.applicationId, ids) : undefined))
      .groupBy(breaches.applicationId)
      .all()
      .map((b) => [b.applicationId, b.n]),
  );

  return apps.map((app) => {
    const classification = latest.get(app.id);
    const present = new Set((inPlace.get(app.id) ?? []).map((m) => m.measureId));
    const missingMeasures = classification
      ? catalogue.filter((m) => levelRank(m.level) <= levelRank(classification[LEVEL_OF[m.aspect]] as Level) && !present.has(m.id)).length
      : 0;
    return {
      id: app.id,
      name: app.name,
      lifecycle: app.lifecycle,
      archived: app.archivedAt !== null,
      processesPersonalData: app.processesPersonalData,
      dataInEea: app.dataInEea,
      transferMechanism: app.transferMechanism,
      categories: (categories.get(app.id) ?? []).map(({ applicationId: _a, ...c }) => c as CategoryFacts),
      agreements: (agreementsOf.get(app.id) ?? []).map(
        ({ applicationId: _a, ...a }): AgreementFacts => ({ ...a, categoryIds: (coveredBy.get(a.id) ?? []).map((c) => c.dataCategoryId) }),
      ),
      classification: classification
        ? {
            availability: classification.availability,
            integrity: classification.integrity,
            confidentiality: classification.confidentiality,
            assessedOn: classification.assessedOn,
            nextReviewOn: classification.nextReviewOn,
          }
        : null,
      missingMeasures,
      dpiaRequired: dpiaOf.get(app.id) ?? null,
      openBreaches: openBreaches.get(app.id) ?? 0,
    };
  });
}
