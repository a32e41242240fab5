import { z } from "zod";
import { RETENTION_ACTIONS } from "../db/enums";
import { listQuery, optionalEnum, optionalId } from "../http/listing";
import { field } from "../http/validation";
import { t } from "../i18n";

const blankToUndefined = (v: unknown) =>
  typeof v === "number" ? String(v) : typeof v === "string" ? (v.trim() === "" ? undefined : v.trim()) : v;

export const retentionInput = z.object({
  dataCategoryId: z.preprocess(blankToUndefined, z.string().regex(/^\d{1,15}$/, { error: () => t("validation.choose") }).transform(Number).optional()),
  recordType: field.text(200),
  termText: field.text(200),
  /** The term in months where it is one number; "at least 6 months" or "until the diploma" may leave it empty. */
  termMonths: field.optionalCount(1200),
  trigger: field.text(300),
  action: z.enum(RETENTION_ACTIONS),
  source: field.optionalText(500),
});
export type RetentionInput = z.infer<typeof retentionInput>;

export const retentionUpdate = retentionInput.extend({ version: field.version() });

export const RETENTION_SORTS = ["recordType", "category", "term", "action"] as const;
export const retentionListQuery = listQuery(RETENTION_SORTS, "category").extend({
  category: optionalId(),
  action: optionalEnum(RETENTION_ACTIONS),
  archived: z.enum(["1", "on"]).optional().catch(undefined),
});
export type RetentionListQuery = z.infer<typeof retentionListQuery>;
