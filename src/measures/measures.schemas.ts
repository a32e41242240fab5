import { z } from "zod";
import { sortOrderField } from "../categories/categories.schemas";
import { ASPECTS, LEVELS, MEASURE_OWNERS } from "../db/enums";
import { flagParam, listQuery, optionalEnum } from "../http/listing";
import { field } from "../http/validation";
import { t } from "../i18n";

/** A measure's code, like the seeded "v.mfa": optional, made from aspect and title when left empty. */
const codeField = () =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : v.trim().toLowerCase()) : v),
    z
      .string()
      .max(60)
      .regex(/^[a-z0-9][a-z0-9._-]*$/, { error: () => t("measures.codeInvalid") })
      .optional(),
  );

export const measureInput = z.object({
  code: codeField(),
  aspect: z.enum(ASPECTS),
  level: z.enum(LEVELS),
  title: field.text(200),
  description: field.optionalText(2000),
  owner: z.enum(MEASURE_OWNERS),
  sortOrder: sortOrderField(),
});
export type MeasureInput = z.infer<typeof measureInput>;

export const measureUpdate = measureInput.extend({ version: field.version() });

export const MEASURE_SORTS = ["aspect", "level", "code", "title", "owner", "applications"] as const;
export const measureListQuery = listQuery(MEASURE_SORTS, "aspect").extend({
  aspect: optionalEnum(ASPECTS),
  level: optionalEnum(LEVELS),
  owner: optionalEnum(MEASURE_OWNERS),
  archived: flagParam(),
});
export type MeasureListQuery = z.infer<typeof measureListQuery>;
