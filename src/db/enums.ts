// The enumerations of the domain (../shared/domain.md). Codes are the sector's own words where the brief
// gives them; their Dutch labels are in src/i18n/nl.ts. The schema turns each list into a CHECK constraint.

export const ROLES = ["admin", "privacy_officer", "school", "auditor"] as const;
export const SECTORS = ["po", "vo", "so"] as const;
export const COVENANT_STATUSES = ["deelnemer", "medestander", "geen"] as const;
export const LIFECYCLES = ["aangevraagd", "in_gebruik", "uitfaseren", "uitgefaseerd"] as const;
/** Transfer mechanisms for data outside the EEA (AVG chapter V). */
export const TRANSFER_MECHANISMS = ["adequaatheidsbesluit", "scc", "dpf", "geen"] as const;
export const CATEGORY_FLAGS = ["gevoelig", "bijzonder", "nationaal_id", "toestemming"] as const;
/** The sector's BIV scale, from low to high: the order matters (see levelRank). */
export const LEVELS = ["laag", "midden", "hoog"] as const;
export const ASPECTS = ["beschikbaarheid", "integriteit", "vertrouwelijkheid"] as const;
export const AGREEMENT_MODELS = ["1.0", "2.0", "3.0", "4.0", "algemeen", "eigen"] as const;
export const AGREEMENT_STATUSES = [
  "concept",
  "aangeboden",
  "in_beoordeling",
  "ondertekend",
  "verlopen",
  "beeindigd",
] as const;
export const MEASURE_OWNERS = ["leverancier", "school", "beide"] as const;
export const MEASURE_STATUSES = ["aanwezig", "gedeeltelijk", "afwezig", "nvt"] as const;
export const DPIA_REQUIRED = ["ja", "nee", "onbekend"] as const;
export const DPIA_TYPES = ["sivon", "sector", "eigen"] as const;
export const DPIA_STATUSES = ["niet_gestart", "in_uitvoering", "afgerond"] as const;
export const BREACH_RISKS = ["geen", "risico", "hoog_risico"] as const;
export const YES_NO_UNKNOWN = ["ja", "nee", "onbekend"] as const;
export const RETENTION_ACTIONS = ["vernietigen", "archiveren", "anonimiseren"] as const;
export const INTAKE_STATUSES = ["ingediend", "in_beoordeling", "aanvulling_gevraagd", "goedgekeurd", "afgewezen"] as const;
export const DIGEST_FREQUENCIES = ["nooit", "dagelijks", "wekelijks"] as const;

export type Role = (typeof ROLES)[number];
export type Level = (typeof LEVELS)[number];
export type Aspect = (typeof ASPECTS)[number];

export const levelRank = (level: Level): number => LEVELS.indexOf(level);
