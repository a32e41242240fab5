// Gathers the facts the rules need, for one, some or all applications, in a fixed number of queries (no
// query per application). This is the hottest path of the register (the dashboard, every overview and
// every list evaluates through it), so it uses prepared statements cached per connection and raw rows:
// see bench/ for the figures. The id list travels as one JSON parameter, so each statement is prepared once.
import { cachedStatement, clientOf, type DbOrTx } from "../db/client";
import { levelRank, type Aspect, type Level } from "../db/enums";
import type { AgreementFacts, ApplicationFacts, CategoryFacts } from "./rules";

const LEVEL_INDEX: Record<Aspect, 0 | 1 | 2> = { beschikbaarheid: 0, integriteit: 1, vertrouwelijkheid: 2 };

/** `where <column> in (the ids)` when ids are given, nothing otherwise. */
const only = (column: string, ids: boolean) => (ids ? ` and ${column} in (select value from json_each(?))` : "");

const QUERIES = (ids: boolean) => ({
  applications: `select id, name, lifecycle, archived_at is not null, processes_personal_data, data_in_eea, transfer_mechanism
    from applications where 1${only("id", ids)}`,
  categories: `select id, label, flag, min_confidentiality from data_categories`,
  // Per application one row with its category ids concatenated: a few thousand rows instead of tens of thousands.
  data: `select application_id, group_concat(distinct data_category_id) from application_data where 1${only("application_id", ids)} group by application_id`,
  // agreement_applications first (CROSS JOIN fixes the order): with table statistics SQLite would otherwise
  // scan all agreements for a few hundred ids.
  agreements: `select aa.application_id, a.id, a.reference, a.status, a.model, a.signed_on, a.starts_on, a.ends_on, a.next_review_on
    from agreement_applications aa cross join agreements a on a.id = aa.agreement_id where 1${only("aa.application_id", ids)}`,
  coverage: `select agreement_id, group_concat(data_category_id) from agreement_data_categories
    where 1${ids ? " and agreement_id in (select agreement_id from agreement_applications where application_id in (select value from json_each(?)))" : ""}
    group by agreement_id`,
  classifications: `select c.application_id, c.availability, c.integrity, c.confidentiality, c.assessed_on, c.next_review_on
    from classifications c join (select application_id, max(id) id from classifications where 1${only("application_id", ids)} group by application_id) newest on newest.id = c.id`,
  catalogue: `select id, aspect, level from security_measures where archived_at is null`,
  inPlace: `select application_id, group_concat(measure_id) from application_measures where status in ('aanwezig', 'nvt')${only("application_id", ids)} group by application_id`,
  dpias: `select application_id, required, status from dpias where 1${only("application_id", ids)}`,
  breaches: `select application_id, count(*) from breaches where closed_at is null and application_id is not null${only("application_id", ids)} group by application_id`,
});

type Row = unknown[];

/** "3,5,12" (group_concat) → [3, 5, 12]. */
const splitIds = (list: unknown): number[] => (typeof list === "string" && list !== "" ? list.split(",").map(Number) : typeof list === "number" ? [list] : []);

/** Facts for the given applications, or for every application when `ids` is undefined. */
export function loadFacts(db: DbOrTx, ids?: number[]): ApplicationFacts[] {
  if (ids && ids.length === 0) return [];
  const client = clientOf(db);
  const q = QUERIES(ids !== undefined);
  const params = ids ? [JSON.stringify(ids)] : [];
  const rows = (sql: string, withIds = true): Row[] => cachedStatement(client, sql).raw(true).all(...(withIds ? params : [])) as Row[];

  const categoryById = new Map<number, CategoryFacts>(
    rows(q.categories, false).map(([id, label, flag, min]) => [id as number, { id: id as number, label: label as string, flag: flag as string | null, minConfidentiality: min as Level }]),
  );

  const facts = new Map<number, ApplicationFacts>();
  for (const [id, name, lifecycle, archived, personal, inEea, mechanism] of rows(q.applications)) {
    facts.set(id as number, {
      id: id as number,
      name: name as string,
      lifecycle: lifecycle as string,
      archived: archived === 1,
      processesPersonalData: personal === 1,
      dataInEea: inEea === null ? null : inEea === 1,
      transferMechanism: mechanism as string | null,
      categories: [],
      agreements: [],
      classification: null,
      missingMeasures: 0,
      dpiaRequired: null,
      dpiaStatus: null,
      openBreaches: 0,
    });
  }

  for (const [appId, categoryIds] of rows(q.data)) {
    const app = facts.get(appId as number);
    if (!app) continue;
    for (const id of splitIds(categoryIds)) {
      const category = categoryById.get(id);
      if (category) app.categories.push(category);
    }
  }

  const coverage = new Map<number, number[]>();
  for (const [agreementId, categoryIds] of rows(q.coverage)) coverage.set(agreementId as number, splitIds(categoryIds));
  for (const [appId, id, reference, status, model, signedOn, startsOn, endsOn, nextReviewOn] of rows(q.agreements)) {
    const agreement: AgreementFacts = {
      id: id as number,
      reference: reference as string,
      status: status as string,
      model: model as string,
      signedOn: signedOn as string | null,
      startsOn: startsOn as string | null,
      endsOn: endsOn as string | null,
      nextReviewOn: nextReviewOn as string | null,
      categoryIds: coverage.get(id as number) ?? [],
    };
    facts.get(appId as number)?.agreements.push(agreement);
  }

  for (const [appId, availability, integrity, confidentiality, assessedOn, nextReviewOn] of rows(q.classifications)) {
    const app = facts.get(appId as number);
    if (app) {
      app.classification = {
        availability: availability as Level,
        integrity: integrity as Level,
        confidentiality: confidentiality as Level,
        assessedOn: assessedOn as string,
        nextReviewOn: nextReviewOn as string,
      };
    }
  }

  // Required measures not in place: required from the measure's level upward on its aspect.
  const catalogue = rows(q.catalogue, false).map(([id, aspect, level]) => ({ id: id as number, aspect: LEVEL_INDEX[aspect as Aspect], rank: levelRank(level as Level) }));
  const present = new Map<number, Set<number>>();
  for (const [appId, measureIds] of rows(q.inPlace)) present.set(appId as number, new Set(splitIds(measureIds)));
  for (const app of facts.values()) {
    const c = app.classification;
    if (!c) continue;
    const ranks = [levelRank(c.availability), levelRank(c.integrity), levelRank(c.confidentiality)];
    const inPlace = present.get(app.id);
    app.missingMeasures = catalogue.filter((m) => m.rank <= ranks[m.aspect]! && !inPlace?.has(m.id)).length;
  }

  for (const [appId, required, status] of rows(q.dpias)) {
    const app = facts.get(appId as number);
    if (app) {
      app.dpiaRequired = required as ApplicationFacts["dpiaRequired"];
      app.dpiaStatus = status as ApplicationFacts["dpiaStatus"];
    }
  }
  for (const [appId, n] of rows(q.breaches)) {
    const app = facts.get(appId as number);
    if (app) app.openBreaches = n as number;
  }

  return [...facts.values()];
}
