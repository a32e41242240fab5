import { z } from "zod";
import { DPIA_REQUIRED, DPIA_STATUSES, DPIA_TYPES, LEVELS } from "../db/enums";
import { listQuery, optionalEnum } from "../http/listing";
import { field } from "../http/validation";
import { t } from "../i18n";
import { todayIso } from "../lib/dates";
import { DPIA_CRITERIA, isApKind } from "./dpias.criteria";

const blankToUndefined = (v: unknown) => (typeof v === "string" ? (v.trim() === "" ? undefined : v.trim()) : v);
const optionalChoice = <T extends readonly [string, ...string[]]>(values: T) => z.preprocess(blankToUndefined, z.enum(values).optional());

const known = new Set<string>(DPIA_CRITERIA);

/** Ticked criteria from repeated checkboxes (one arrives as a string), without duplicates, in list order. */
const criteriaList = () =>
  z
    .preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v.filter((x) => x !== "") : [v]), z.array(z.string()))
    // One message at the field, not one per checkbox.
    .refine((codes) => codes.every((code) => known.has(code)), { error: () => t("dpias.unknownCriterion") })
    .transform((codes) => DPIA_CRITERIA.filter((code) => codes.includes(code)));

const dpiaShape = {
  required: z.enum(DPIA_REQUIRED),
  criteria: criteriaList(),
  notRequiredReasoning: field.optionalText(5000),
  type: optionalChoice(DPIA_TYPES),
  status: z.enum(DPIA_STATUSES),
  performedOn: field.optionalDate(),
  residualRisk: optionalChoice(LEVELS),
  nextReviewOn: field.optionalDate(),
  /** A PDF stored with an earlier, refused submit of this form (see the handlers). */
  pendingDocumentId: z.preprocess(blankToUndefined, z.coerce.number().int().positive().optional()).catch(undefined),
  /** Absent while the application has no DPIA record yet: the first save creates it. */
  version: z.preprocess(blankToUndefined, field.version().optional()),
};

export type DpiaInput = z.infer<z.ZodObject<typeof dpiaShape>>;

const RULE_FIELDS = new Set(["required", "criteria", "notRequiredReasoning", "status", "performedOn", "nextReviewOn"]);

/** The rules between fields; they run once the fields they compare have parsed, also when others failed. */
function dpiaRules(data: DpiaInput, ctx: z.RefinementCtx<DpiaInput>): void {
  const refuse = (path: string, key: string) => ctx.addIssue({ code: "custom", path: [path], message: t(key) });
  // Art. 35 AVG: a decision not to perform a DPIA must be reasoned, so the register keeps why.
  if (data.required === "nee" && !data.notRequiredReasoning) refuse("notRequiredReasoning", "dpias.reasoningRequired");
  // The regulator's list makes a DPIA mandatory for these kinds of processing: "not required" contradicts it.
  if (data.required === "nee" && data.criteria.some(isApKind)) refuse("required", "dpias.apListRequires");
  if (data.status === "afgerond" && !data.performedOn) refuse("performedOn", "dpias.performedOnRequired");
  if (data.performedOn && data.performedOn > todayIso()) refuse("performedOn", "dpias.performedInFuture");
  if (data.performedOn && data.nextReviewOn && data.nextReviewOn <= data.performedOn) refuse("nextReviewOn", "dpias.reviewBeforePerformed");
}

export const dpiaInput = z
  .object(dpiaShape)
  .superRefine(dpiaRules, { when: (payload) => !payload.issues.some((issue) => RULE_FIELDS.has(String(issue.path?.[0]))) });

export const DPIA_SORTS = ["application", "required", "status", "performed", "nextReview"] as const;
/** "onbekend" also finds applications without any record: both have no decision. */
export const DPIA_REQUIRED_FILTER = ["ja", "nee", "onbekend"] as const;
export const dpiaListQuery = listQuery(DPIA_SORTS, "application").extend({
  required: optionalEnum(DPIA_REQUIRED_FILTER),
  status: optionalEnum(DPIA_STATUSES),
  type: optionalEnum(DPIA_TYPES),
  /** Only applications that process special categories or a national identifier. */
  special: z.enum(["1", "on"]).optional().catch(undefined),
  /** Only DPIAs whose next review date has passed. */
  overdue: z.enum(["1", "on"]).optional().catch(undefined),
});
export type DpiaListQuery = z.infer<typeof dpiaListQuery>;
