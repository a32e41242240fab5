import { z } from "zod";
import { BREACH_RISKS, YES_NO_UNKNOWN } from "../db/enums";
import { listQuery, optionalEnum, optionalId } from "../http/listing";
import { field } from "../http/validation";
import { t } from "../i18n";
import { fromLocalInput } from "./breaches.moments";

const blankToUndefined = (v: unknown) =>
  typeof v === "number" ? String(v) : typeof v === "string" ? (v.trim() === "" ? undefined : v.trim()) : v;

/** A moment from <input type="datetime-local">, in Dutch time → epoch milliseconds. */
const momentField = () =>
  z.preprocess(
    blankToUndefined,
    z
      .string({ error: (issue) => (issue.input === undefined ? t("validation.required") : t("breaches.invalidMoment")) })
      .transform((text, ctx) => {
        const ms = fromLocalInput(text);
        if (ms === undefined) {
          ctx.addIssue({ code: "custom", message: t("breaches.invalidMoment") });
          return z.NEVER;
        }
        return ms;
      }),
  );
const optionalMoment = () => z.preprocess(blankToUndefined, momentField().optional());

/** An optional choice from a select of ids ("" is none). */
const optionalRef = () =>
  z.preprocess(blankToUndefined, z.string().regex(/^\d{1,15}$/, { error: () => t("validation.choose") }).transform(Number).optional());

const breachShape = {
  title: field.text(200),
  description: field.optionalText(10000),
  applicationId: optionalRef(),
  supplierId: optionalRef(),
  discoveredAt: momentField(),
  discoveredBy: field.optionalText(200),
  supplierReportedAt: optionalMoment(),
  affectsConfidentiality: field.checkbox(),
  affectsIntegrity: field.checkbox(),
  affectsAvailability: field.checkbox(),
  dataCategoryIds: field.idList().transform((ids) => [...new Set(ids)].sort((a, b) => a - b)),
  peopleCount: field.optionalCount(100_000_000),
  recordsCount: field.optionalCount(1_000_000_000),
  risk: z.preprocess(blankToUndefined, z.enum(BREACH_RISKS).optional()),
  regulatorNotified: z.enum(YES_NO_UNKNOWN),
  regulatorNotifiedAt: optionalMoment(),
  regulatorReasoning: field.optionalText(5000),
  subjectsNotified: z.enum(YES_NO_UNKNOWN),
  subjectsNotifiedAt: optionalMoment(),
  subjectsReasoning: field.optionalText(5000),
  measures: field.optionalText(10000),
  closedAt: optionalMoment(),
};

export type BreachInput = z.infer<z.ZodObject<typeof breachShape>>;

const MOMENTS = ["discoveredAt", "supplierReportedAt", "regulatorNotifiedAt", "subjectsNotifiedAt", "closedAt"] as const;

/**
 * The order of a breach's moments, and what each answer needs. Discovery is the first moment anyone (the
 * school or the supplier) knew of the breach: nothing about it can be reported, notified or closed before
 * that, and nothing recorded can lie in the future. Art. 33(5) AVG asks to document every breach with the
 * decision on notification, so "no" needs its reason and a breach closes only once that decision is made.
 */
function breachRules(data: BreachInput, ctx: z.RefinementCtx<BreachInput>): void {
  const refuse = (path: string, key: string) => ctx.addIssue({ code: "custom", path: [path], message: t(key) });
  const now = Date.now();
  for (const key of MOMENTS) {
    const value = data[key];
    if (value !== undefined && value > now) refuse(key, `breaches.future.${key}`);
  }
  const discovered = data.discoveredAt;
  const before = (value: number | undefined) => value !== undefined && value < discovered;
  if (before(data.supplierReportedAt)) refuse("supplierReportedAt", "breaches.beforeDiscovery.supplierReportedAt");
  if (before(data.regulatorNotifiedAt)) refuse("regulatorNotifiedAt", "breaches.beforeDiscovery.regulatorNotifiedAt");
  if (before(data.subjectsNotifiedAt)) refuse("subjectsNotifiedAt", "breaches.beforeDiscovery.subjectsNotifiedAt");
  if (before(data.closedAt)) refuse("closedAt", "breaches.beforeDiscovery.closedAt");

  if (!data.affectsConfidentiality && !data.affectsIntegrity && !data.affectsAvailability) refuse("kind", "breaches.kindRequired");

  if (data.regulatorNotified === "ja" && data.regulatorNotifiedAt === undefined) refuse("regulatorNotifiedAt", "breaches.regulatorAtRequired");
  if (data.regulatorNotified !== "ja" && data.regulatorNotifiedAt !== undefined) refuse("regulatorNotifiedAt", "breaches.regulatorAtOnlyWhenYes");
  if (data.regulatorNotified === "nee" && !data.regulatorReasoning) refuse("regulatorReasoning", "breaches.regulatorReasonRequired");
  if (data.subjectsNotified === "ja" && data.subjectsNotifiedAt === undefined) refuse("subjectsNotifiedAt", "breaches.subjectsAtRequired");
  if (data.subjectsNotified !== "ja" && data.subjectsNotifiedAt !== undefined) refuse("subjectsNotifiedAt", "breaches.subjectsAtOnlyWhenYes");
  if (data.subjectsNotified === "nee" && !data.subjectsReasoning) refuse("subjectsReasoning", "breaches.subjectsReasonRequired");
  if (data.closedAt !== undefined && data.regulatorNotified === "onbekend") refuse("closedAt", "breaches.closeNeedsDecision");
}

const RULE_FIELDS = new Set<string>([
  ...MOMENTS,
  "affectsConfidentiality",
  "affectsIntegrity",
  "affectsAvailability",
  "regulatorNotified",
  "regulatorReasoning",
  "subjectsNotified",
  "subjectsReasoning",
]);
const ruleFieldsParsed = (payload: { issues: { path?: PropertyKey[] }[] }) => !payload.issues.some((issue) => RULE_FIELDS.has(String(issue.path?.[0])));

export const breachCreate = z.object(breachShape).superRefine(breachRules, { when: ruleFieldsParsed });
export const breachUpdate = z.object({ ...breachShape, version: field.version() }).superRefine(breachRules, { when: ruleFieldsParsed });
export type BreachUpdateInput = z.infer<typeof breachUpdate>;

/** ?applicationId= on /breaches/new: the link from an application's page fills in the application and supplier. */
export const newBreachQuery = z.object({ applicationId: optionalId() });

export const BREACH_SORTS = ["discovered", "title", "application", "risk", "closed"] as const;
export const BREACH_STATES = ["open", "closed"] as const;
export const breachListQuery = listQuery(BREACH_SORTS, "discovered", "desc").extend({
  state: optionalEnum(BREACH_STATES),
  risk: optionalEnum(BREACH_RISKS),
  /** Discovered on or after this day, and on or before `to` (Dutch calendar days). */
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
  application: optionalId(),
});
export type BreachListQuery = z.infer<typeof breachListQuery>;
