// The criteria a DPIA decision rests on. Two lists, stored together as codes in dpias.criteria:
// - the EDPB's nine criteria (WP248 rev.01, endorsed by the EDPB): "two or more usually means a DPIA";
// - the kinds of processing on the Dutch regulator's list for which a DPIA is always required (Besluit
//   inzake lijst van verwerkingen van persoonsgegevens waarvoor een gegevensbeschermingseffectbeoordeling
//   (DPIA) verplicht is, Autoriteit Persoonsgegevens, Stcrt. 2019, 64418): seventeen kinds.
// Labels are in src/i18n/nl/dpias.ts (criteria.<code>). The demo board uses the EDPB codes, so keep them.

export const EDPB_CRITERIA = [
  "evaluatie",
  "geautomatiseerde_besluiten",
  "monitoring",
  "gevoelig",
  "grote_schaal",
  "koppeling",
  "kwetsbaar",
  "innovatief",
  "uitsluiting",
] as const;

export const AP_KINDS = [
  "ap_heimelijk_onderzoek",
  "ap_zwarte_lijsten",
  "ap_fraudebestrijding",
  "ap_kredietwaardigheid",
  "ap_financiele_situatie",
  "ap_genetische_gegevens",
  "ap_biometrische_gegevens",
  "ap_samenwerkingsverbanden",
  "ap_cameratoezicht",
  "ap_flexibel_cameratoezicht",
  "ap_controle_werknemers",
  "ap_locatiegegevens",
  "ap_communicatiegegevens",
  "ap_internet_of_things",
  "ap_profilering",
  "ap_gedrag_beinvloeden",
  "ap_gezondheidsgegevens",
] as const;

export const DPIA_CRITERIA = [...EDPB_CRITERIA, ...AP_KINDS] as const;
export type DpiaCriterion = (typeof DPIA_CRITERIA)[number];

/** The EDPB's rule of thumb: from this many criteria on, a DPIA is usually needed. */
export const EDPB_THRESHOLD = 2;

const edpb = new Set<string>(EDPB_CRITERIA);
const ap = new Set<string>(AP_KINDS);

/** What the ticked criteria suggest: the guidance shown beside the decision (the decision stays the officer's). */
export function criteriaAdvice(codes: readonly string[]) {
  const edpbCount = codes.filter((c) => edpb.has(c)).length;
  const onApList = codes.some((c) => ap.has(c));
  return { edpbCount, onApList, likelyRequired: onApList || edpbCount >= EDPB_THRESHOLD };
}

export const isApKind = (code: string): boolean => ap.has(code);
