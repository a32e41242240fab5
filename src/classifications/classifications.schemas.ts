import { z } from "zod";
import { ASPECTS, LEVELS, MEASURE_STATUSES } from "../db/enums";
import { field, whenValid } from "../http/validation";
import { t } from "../i18n";
import { QUESTIONS } from "./classifications.questions";

const answer = <K extends keyof typeof QUESTIONS>(key: K) =>
  z.enum(Object.keys(QUESTIONS[key].options) as [string, ...string[]], { error: () => t("classifications.answerRequired") });

export const REASONS = ["eerste", "jaarlijks", "functionaliteit", "gegevens", "subverwerker", "incident", "contract"] as const;

const classificationFields = z.object({
    /** The id of the newest classification when the form was opened (0: none): a newer one means someone else classified meanwhile. */
    basedOn: z.coerce.number().int().min(0),
    downtime: answer("downtime"),
    errors: answer("errors"),
    leak: answer("leak"),
    special: answer("special"),
    scale: answer("scale"),
    availability: z.enum(LEVELS),
    integrity: z.enum(LEVELS),
    confidentiality: z.enum(LEVELS),
    acknowledgeLowConfidentiality: field.checkbox(),
    rationale: field.text(5000),
    reason: z.enum(REASONS),
    assessedOn: field.date(),
    nextReviewOn: field.date(),
});

export const classificationInput = classificationFields.refine((v) => v.nextReviewOn > v.assessedOn, {
  path: ["nextReviewOn"],
  message: t("classifications.reviewAfterAssessment"),
  when: whenValid("assessedOn", "nextReviewOn"),
});
export type ClassificationInput = z.infer<typeof classificationInput>;

/** The "propose" button re-renders the form with a proposal: only the answers need to be valid then. */
export const proposalInput = classificationFields.pick({ downtime: true, errors: true, leak: true, special: true, scale: true }).partial();

export const measuresInput = z.object({
  version: field.version(),
  // No status ("—") means: nothing recorded for this measure.
  rows: field.rowsById(
    z.object({ status: z.preprocess((v) => (v === "" ? undefined : v), z.enum(MEASURE_STATUSES).optional()), note: field.optionalText(1000) }),
  ),
});
export type MeasuresInput = z.infer<typeof measuresInput>;

export { ASPECTS };
