// The API's input: query parameters and JSON bodies. These check names and JSON types only, strictly (an
// unknown field is an error, not silently ignored): 400 with a message per field. The register's rules (a
// transfer mechanism outside the EEA, an end date after the start, ...) are then checked by the features'
// own schemas and services, exactly as for the forms: 422 with a message per field.
import { z } from "zod";
import { AGREEMENT_MODELS, AGREEMENT_STATUSES, COVENANT_STATUSES, LEVELS, LIFECYCLES, SECTORS, TRANSFER_MECHANISMS } from "../db/enums";
import { QUESTIONS } from "../classifications/classifications.questions";
import { REASONS } from "../classifications/classifications.schemas";
import { t } from "../i18n";

export const MAX_PER_PAGE = 200;
export const DEFAULT_PER_PAGE = 50;

const integer = (max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, { error: () => t("api.errors.integer") })
    .transform(Number)
    .pipe(z.number().int().min(1).max(max));
const id = () => integer(999_999_999);
const booleanParam = () => z.enum(["true", "false"], { error: () => t("api.errors.booleanParam") }).transform((v) => v === "true");
const search = () => z.string().trim().max(100);

const paging = { page: integer(100_000).optional(), per_page: integer(MAX_PER_PAGE).optional() };

export const schoolsQuery = z.object({ ...paging, q: search().optional(), sector: z.enum(SECTORS).optional(), archived: booleanParam().optional() }).strict();
export const suppliersQuery = z.object({ ...paging, q: search().optional(), covenant: z.enum(COVENANT_STATUSES).optional(), archived: booleanParam().optional() }).strict();
export const APPLICATION_STATUSES = ["red", "orange", "green", "grey"] as const;
export const applicationsQuery = z
  .object({
    ...paging,
    q: search().optional(),
    status: z.enum(APPLICATION_STATUSES).optional(),
    school: id().optional(),
    supplier: id().optional(),
    lifecycle: z.enum(LIFECYCLES).optional(),
    archived: booleanParam().optional(),
  })
  .strict();
export const agreementsQuery = z
  .object({ ...paging, q: search().optional(), status: z.enum(AGREEMENT_STATUSES).optional(), model: z.enum(AGREEMENT_MODELS).optional(), supplier: id().optional() })
  .strict();
export const classificationsQuery = z.object({ ...paging, application: id().optional() }).strict();
export const referenceQuery = z.object({ ...paging, archived: booleanParam().optional() }).strict();
export const noQuery = z.object({}).strict();

export const idParam = z.object({ id: id() });

const text = () => z.string().nullable().optional();
const ids = () => z.array(z.number().int()).optional();
const cents = () => z.number().nullable().optional();
const date = () => z.string().nullable().optional();

const applicationFields = {
  name: z.string(),
  supplierId: z.number().int(),
  description: text(),
  goal: text(),
  lifecycle: z.enum(LIFECYCLES).optional(),
  functionalOwner: text(),
  usedByPupils: z.boolean().optional(),
  usedByStaff: z.boolean().optional(),
  usedByParents: z.boolean().optional(),
  processesPersonalData: z.boolean().optional(),
  dataLocationCountry: text(),
  dataInEea: z.boolean().nullable().optional(),
  transferMechanism: z.enum(TRANSFER_MECHANISMS).nullable().optional(),
  costOneTimeCents: cents(),
  costLicencePerYearCents: cents(),
  costImplementationCents: cents(),
  functionIds: ids(),
  schoolIds: ids(),
};

export const applicationCreateBody = z.object(applicationFields).strict();
export type ApplicationBody = z.infer<typeof applicationCreateBody>;
export const applicationPatchBody = z
  .object({ ...applicationFields, name: applicationFields.name.optional(), supplierId: applicationFields.supplierId.optional(), version: z.number().int() })
  .strict();
export type ApplicationPatch = z.infer<typeof applicationPatchBody>;

export const agreementCreateBody = z
  .object({
    reference: z.string(),
    supplierId: z.number().int(),
    model: z.enum(AGREEMENT_MODELS),
    status: z.enum(AGREEMENT_STATUSES),
    signedOn: date(),
    startsOn: date(),
    endsOn: date(),
    nextReviewOn: date(),
    signatoryName: text(),
    signatoryRole: text(),
    signedViaPortal: z.boolean().optional(),
    deviations: text(),
    deviationsMotivation: text(),
    annexVersion: text(),
    annexDate: date(),
    breachNotificationHours: z.number().nullable().optional(),
    deletionTermDays: z.number().nullable().optional(),
    sivonReviewUrl: text(),
    sivonRiskLevel: z.enum(LEVELS).nullable().optional(),
    notes: text(),
    applicationIds: ids(),
    dataCategoryIds: ids(),
    dataSubjectIds: ids(),
    subProcessors: z
      .array(z.object({ name: z.string(), service: text(), country: text(), inEea: z.boolean().optional() }).strict())
      .optional(),
    supersedesId: z.number().int().nullable().optional(),
  })
  .strict();
export type AgreementBody = z.infer<typeof agreementCreateBody>;

const answer = <K extends keyof typeof QUESTIONS>(key: K) => z.enum(Object.keys(QUESTIONS[key].options) as [string, ...string[]]);

export const classificationCreateBody = z
  .object({
    applicationId: z.number().int(),
    basedOn: z.number().int(),
    downtime: answer("downtime"),
    errors: answer("errors"),
    leak: answer("leak"),
    special: answer("special"),
    scale: answer("scale"),
    availability: z.enum(LEVELS),
    integrity: z.enum(LEVELS),
    confidentiality: z.enum(LEVELS),
    acknowledgeLowConfidentiality: z.boolean().optional(),
    rationale: z.string(),
    reason: z.enum(REASONS),
    assessedOn: z.string(),
    nextReviewOn: z.string(),
  })
  .strict();
export type ClassificationBody = z.infer<typeof classificationCreateBody>;
