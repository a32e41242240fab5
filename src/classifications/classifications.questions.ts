// The guiding questions of a BIV classification (../shared/domain.md, "BIV classification") and the level
// each answer points to. Pure: the form proposes levels from the answers, the privacy officer decides.
import { LEVELS, levelRank, type Level } from "../db/enums";

export const QUESTIONS = {
  downtime: { aspect: "beschikbaarheid", options: { week: "laag", dag: "midden", uren: "hoog" } },
  errors: { aspect: "integriteit", options: { acceptabel: "laag", hinder: "midden", schade: "hoog" } },
  leak: { aspect: "vertrouwelijkheid", options: { geen: "laag", beperkt: "midden", ernstig: "hoog" } },
  special: { aspect: "vertrouwelijkheid", options: { nee: "laag", ja: "hoog" } },
  scale: { aspect: "vertrouwelijkheid", options: { klein: "laag", groot: "midden" } },
} as const satisfies Record<string, { aspect: string; options: Record<string, Level> }>;

export type QuestionKey = keyof typeof QUESTIONS;
export type Answers = { [K in QuestionKey]?: keyof (typeof QUESTIONS)[K]["options"] };
export type Levels = { availability: Level; integrity: Level; confidentiality: Level };

export const maxLevel = (...levels: Level[]): Level => levels.reduce((a, b) => (levelRank(b) > levelRank(a) ? b : a), "laag" as Level);

function levelOf<K extends QuestionKey>(key: K, answers: Answers): Level {
  const answer = answers[key];
  if (answer === undefined) return "laag";
  return (QUESTIONS[key].options as Record<string, Level>)[answer as string] ?? "laag";
}

/**
 * B from how long the school can do without it; I from what wrong data does; V from the worst of: what a leak
 * does, special categories or BSN (always hoog), many pupils (at least midden), and what the data categories
 * the application processes imply (their minimum confidentiality).
 */
export function proposeLevels(answers: Answers, impliedConfidentiality: Level = "laag"): Levels {
  return {
    availability: levelOf("downtime", answers),
    integrity: levelOf("errors", answers),
    confidentiality: maxLevel(levelOf("leak", answers), levelOf("special", answers), levelOf("scale", answers), impliedConfidentiality),
  };
}

/** True when the chosen confidentiality is below what the processed data categories imply. */
export function confidentialityTooLow(chosen: Level, implied: Level): boolean {
  return levelRank(chosen) < levelRank(implied);
}

export { LEVELS };
