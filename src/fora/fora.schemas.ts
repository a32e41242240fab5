import { z } from "zod";
import { sortOrderField } from "../categories/categories.schemas";
import { flagParam, optionalId } from "../http/listing";
import { field } from "../http/validation";
import { t } from "../i18n";

/** A function's code, like the seeded "lz.zorgdossier": optional, made from domain and name when left empty. */
const codeField = () =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : v.trim().toLowerCase()) : v),
    z
      .string()
      .max(60)
      .regex(/^[a-z0-9][a-z0-9._-]*$/, { error: () => t("fora.codeInvalid") })
      .optional(),
  );

const domainField = () =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : /^\d{1,9}$/.test(v.trim()) ? Number(v.trim()) : v) : v),
    z.number({ error: (issue) => (issue.input === undefined ? t("validation.required") : t("fora.domainUnknown")) }).int().positive(),
  );

export const functionInput = z.object({
  domainId: domainField(),
  code: codeField(),
  name: field.text(200),
  description: field.optionalText(2000),
  sortOrder: sortOrderField(),
});
export type FunctionInput = z.infer<typeof functionInput>;

export const functionUpdate = functionInput.extend({ version: field.version() });

export const foraQuery = z.object({ archived: flagParam() });
export const newFunctionQuery = z.object({ domain: optionalId() });
