import { z } from "zod";
import { AGREEMENT_MODELS, AGREEMENT_STATUSES, LEVELS } from "../db/enums";
import { flagParam, listQuery, optionalEnum, optionalId } from "../http/listing";
import { field } from "../http/validation";
import { t } from "../i18n";
import { todayIso } from "../lib/dates";
import { websiteField } from "../suppliers/suppliers.schemas";

const blankToUndefined = (v: unknown) =>
  typeof v === "number" ? String(v) : typeof v === "string" ? (v.trim() === "" ? undefined : v.trim()) : v;

/** A required choice from a select of ids. */
const requiredId = (messageKey: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string({ error: () => t(messageKey) })
      .regex(/^\d{1,15}$/, { error: () => t(messageKey) })
      .transform(Number),
  );

/** A list of ids from repeated checkboxes, without duplicates. */
const idSet = () => field.idList().transform((ids) => [...new Set(ids)].sort((a, b) => a - b));

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The sub-processor rows of the form (subProcessors[0][name], ...). They arrive as an array (multer; qs up
 * to 20 rows) or as an object with numeric keys (qs beyond that); holes are skipped. The form renders the
 * rows in this same order, so an error at subProcessors.<i>.name lands on the row that caused it.
 */
export function subProcessorRowsOf(value: unknown): Record<string, unknown>[] {
  const rows = Array.isArray(value)
    ? value.filter((row) => row !== undefined)
    : isRecord(value)
      ? Object.entries(value)
          .filter(([key]) => /^\d{1,4}$/.test(key))
          .sort(([a], [b]) => Number(a) - Number(b))
          .map(([, row]) => row)
      : [];
  return rows.map((row) => (isRecord(row) ? { ...row } : {}));
}

export const MAX_SUB_PROCESSOR_ROWS = 100;

/**
 * Why the agreement covers an application of another supplier (a reseller, "wederverkoper"), per application id:
 * { "12": "..." }. Blank reasons are left out; whether one is needed is the service's rule (it knows each
 * application's supplier).
 */
const resellerReasonList = z
  .preprocess((v) => (isRecord(v) ? v : {}), z.record(z.string().regex(/^\d{1,15}$/), field.optionalText(500)))
  .transform((reasons) => Object.fromEntries(Object.entries(reasons).filter((entry): entry is [string, string] => entry[1] !== undefined)));

const subProcessorRow = z.object({
  name: field.optionalText(200),
  service: field.optionalText(200),
  country: field.optionalText(100),
  inEea: field.checkbox(),
  remove: field.checkbox(),
});

/** Rows ticked "remove" and empty rows are left out; a row with a service or country needs a name. */
const subProcessorList = z
  .preprocess(subProcessorRowsOf, z.array(subProcessorRow).max(MAX_SUB_PROCESSOR_ROWS, { error: () => t("agreements.tooManyRows", { max: MAX_SUB_PROCESSOR_ROWS }) }))
  .superRefine((rows, ctx) => {
    rows.forEach((row, i) => {
      if (!row.remove && !row.name && (row.service || row.country)) {
        ctx.addIssue({ code: "custom", path: [i, "name"], message: t("agreements.subProcessorNameRequired") });
      }
    });
  })
  .transform((rows) =>
    rows
      .filter((row) => !row.remove && row.name)
      .map((row) => ({ name: row.name!, service: row.service ?? null, country: row.country ?? null, inEea: row.inEea })),
  );

const agreementShape = {
  reference: field.text(100),
  supplierId: requiredId("agreements.chooseSupplier"),
  model: z.enum(AGREEMENT_MODELS),
  status: z.enum(AGREEMENT_STATUSES),
  signedOn: field.optionalDate(),
  startsOn: field.optionalDate(),
  endsOn: field.optionalDate(),
  nextReviewOn: field.optionalDate(),
  signatoryName: field.optionalText(200),
  signatoryRole: field.optionalText(200),
  signedViaPortal: field.checkbox(),
  deviations: field.optionalText(10000),
  deviationsMotivation: field.optionalText(10000),
  annexVersion: field.optionalText(50),
  annexDate: field.optionalDate(),
  breachNotificationHours: field.optionalCount(10000),
  deletionTermDays: field.optionalCount(100000),
  sivonReviewUrl: websiteField(),
  sivonRiskLevel: z.preprocess(blankToUndefined, z.enum(LEVELS).optional()),
  notes: field.optionalText(5000),
  applicationIds: idSet(),
  dataCategoryIds: idSet(),
  dataSubjectIds: idSet(),
  subProcessors: subProcessorList,
  resellerReasons: resellerReasonList,
  /** A PDF stored with an earlier, refused submit of this form (see the handlers). */
  pendingDocumentId: z.preprocess(blankToUndefined, z.coerce.number().int().positive().optional()).catch(undefined),
};

export type AgreementInput = z.infer<z.ZodObject<typeof agreementShape>>;

const RULE_FIELDS = new Set(["status", "signedOn", "startsOn", "endsOn", "deviations", "deviationsMotivation"]);

/**
 * The rules between fields. They run also when other fields are wrong (so all messages show at once),
 * but only once the fields they compare have parsed.
 */
function agreementRules(data: AgreementInput, ctx: z.RefinementCtx<AgreementInput>): void {
  const refuse = (path: string, key: string) => ctx.addIssue({ code: "custom", path: [path], message: t(key) });
  if (data.startsOn && data.endsOn && data.endsOn < data.startsOn) refuse("endsOn", "agreements.endBeforeStart");
  if (data.signedOn && data.signedOn > todayIso()) refuse("signedOn", "agreements.signedInFuture");
  if (data.status === "ondertekend" && !data.signedOn) refuse("signedOn", "agreements.signedOnRequired");
  // The model agreement allows deviations only motivated and in writing.
  if (data.deviations && !data.deviationsMotivation) refuse("deviationsMotivation", "agreements.motivationRequired");
}

const ruleFieldsParsed = (payload: { issues: { path?: PropertyKey[] }[] }) =>
  !payload.issues.some((issue) => RULE_FIELDS.has(String(issue.path?.[0])));

export const agreementCreate = z
  .object({ ...agreementShape, supersedesId: z.preprocess(blankToUndefined, z.coerce.number().int().positive().optional()).catch(undefined) })
  .superRefine(agreementRules, { when: ruleFieldsParsed });
export type AgreementCreateInput = z.infer<typeof agreementCreate>;

export const agreementUpdate = z.object({ ...agreementShape, version: field.version() }).superRefine(agreementRules, { when: ruleFieldsParsed });
export type AgreementUpdateInput = z.infer<typeof agreementUpdate>;


/** ?supplierId= and ?applicationId= on /agreements/new, for links from a supplier's or application's page. */
export const newFormQuery = z.object({ supplierId: optionalId(), applicationId: optionalId() });

export const AGREEMENT_SORTS = ["reference", "supplier", "model", "status", "starts", "ends", "nextReview"] as const;
export const agreementListQuery = listQuery(AGREEMENT_SORTS, "reference").extend({
  status: optionalEnum(AGREEMENT_STATUSES),
  model: optionalEnum(AGREEMENT_MODELS),
  supplier: optionalId(),
  /** Ends within this many days from today. */
  ends: z.coerce.number().int().min(1).max(3650).optional().catch(undefined),
  /** Only agreements that ended: status verlopen/beëindigd, or an end date in the past. */
  expired: flagParam(),
});
export type AgreementListQuery = z.infer<typeof agreementListQuery>;
