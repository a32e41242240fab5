import { z } from "zod";
import { COVENANT_STATUSES, INTAKE_STATUSES } from "../db/enums";
import { listQuery, optionalEnum, optionalId } from "../http/listing";
import { field, whenValid } from "../http/validation";
import { t } from "../i18n";

/** The covenant question allows "I don't know"; it is stored as no value. */
export const COVENANT_ANSWERS = [...COVENANT_STATUSES, "onbekend"] as const;

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** A required id from a select, with its own message when nothing (or nonsense) was chosen. */
const chosenId = (message: () => string) => z.preprocess(blankToUndefined, z.coerce.number({ error: message }).int({ error: message }).positive({ error: message }));

/** A required amount: 0 is an answer, an empty field is not. */
const requiredEuros = () => field.optionalEuros().refine((v) => v !== undefined, { error: () => t("intake.costRequired") });

/** Required free text with a message that says what is missing. */
const requiredText = (max: number, message: () => string) =>
  z.preprocess((v) => (typeof v === "string" ? (v.trim() === "" ? undefined : v.trim()) : v), z.string({ error: message }).max(max));

/** One line of the data question: which subjects, and why (the purpose is needed as soon as a subject is ticked). */
const dataRow = z
  .object({ subjects: field.idList(), purpose: field.optionalText(500) })
  .refine((r) => r.subjects.length === 0 || r.purpose !== undefined, { path: ["purpose"], error: () => t("intake.purposeRequired") })
  .refine((r) => r.subjects.length > 0 || r.purpose === undefined, { path: ["subjects"], error: () => t("intake.subjectsRequired") });

export const intakeInput = z
  .object({
    schoolId: chosenId(() => t("intake.chooseSchool")),
    applicationName: field.text(200),
    goal: field.text(2000),
    foraFunctionId: chosenId(() => t("intake.chooseFunctionError")),
    existingAlternatives: field.text(2000),
    landscapeFit: field.text(2000),
    noPersonalData: field.checkbox(),
    rows: field.rowsById(dataRow),
    costOneTimeCents: requiredEuros(),
    costLicencePerYearCents: requiredEuros(),
    costImplementationCents: requiredEuros(),
    supplierId: z.preprocess(blankToUndefined, z.coerce.number({ error: () => t("intake.supplierUnknown") }).int().positive().optional()),
    supplierName: field.optionalText(200),
    supplierCovenantStatus: z.enum(COVENANT_ANSWERS, { error: () => t("intake.chooseCovenant") }),
  })
  .refine((v) => v.supplierId !== undefined || v.supplierName !== undefined, {
    path: ["supplierId"],
    error: () => t("intake.supplierRequired"),
    when: whenValid("supplierId", "supplierName"),
  })
  .refine((v) => v.supplierId === undefined || v.supplierName === undefined, {
    path: ["supplierName"],
    error: () => t("intake.supplierBoth"),
    when: whenValid("supplierId", "supplierName"),
  })
  .refine((v) => v.noPersonalData || Object.values(v.rows).some((r) => r.subjects.length > 0), {
    path: ["data"],
    error: () => t("intake.dataRequired"),
    when: whenValid("rows", "noPersonalData"),
  })
  .refine((v) => !v.noPersonalData || !Object.values(v.rows).some((r) => r.subjects.length > 0), {
    path: ["data"],
    error: () => t("intake.dataAndNone"),
    when: whenValid("rows", "noPersonalData"),
  });
export type IntakeInput = z.infer<typeof intakeInput>;

const version = field.version();

/** Decisions and messages: each names the version of the request the privacy officer or school saw. */
export const reviewInput = z.object({ version });
export const askInput = z.object({ version, message: requiredText(5000, () => t("intake.messageRequired")) });
export const answerInput = z.object({ version, message: requiredText(5000, () => t("intake.messageRequired")) });
export const approveInput = z.object({ version, note: field.optionalText(5000) });
export const rejectInput = z.object({ version, reason: requiredText(5000, () => t("intake.reasonRequired")) });

export const INTAKE_SORTS = ["created", "name", "school", "status", "updated"] as const;
export const intakeListQuery = listQuery(INTAKE_SORTS, "created", "desc").extend({
  status: optionalEnum([...INTAKE_STATUSES, "open"] as const),
  school: optionalId(),
});
export type IntakeListQuery = z.infer<typeof intakeListQuery>;
