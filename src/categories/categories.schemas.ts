import { z } from "zod";
import { CATEGORY_FLAGS, LEVELS } from "../db/enums";
import { flagParam, listQuery, optionalEnum } from "../http/listing";
import { field } from "../http/validation";
import { t } from "../i18n";

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v);

/**
 * The position in lists: a whole number 0–9999, or blank for "at the end" (the service picks it).
 * Shared by the catalogues (categories, measures, FORA functions).
 */
export const sortOrderField = () =>
  z.preprocess(
    (v) => {
      const value = blankToUndefined(v);
      return typeof value === "string" && /^\d{1,9}$/.test(value) ? Number(value) : value;
    },
    z.number({ error: () => t("categories.sortOrderInvalid") }).int().min(0).max(9999).optional(),
  );

/**
 * A code made from a name: "Medische gegevens / gezondheid" → "medische_gegevens_gezondheid". Accents are
 * dropped, anything else than a-z and 0-9 separates words. Shared by the catalogues, each with its separator.
 */
export function codeFrom(text: string, separator: "_" | "-" = "_", max = 40): string {
  const words = text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let code = "";
  for (const word of words) {
    const next = code ? `${code}${separator}${word}` : word;
    if (next.length > max) break;
    code = next;
  }
  return code || words[0]?.slice(0, max) || "";
}

/** The first of base, base_2, base_3, ... that is not taken yet. */
export function uniqueCode(base: string, taken: (code: string) => boolean, separator: "_" | "-" = "_"): string {
  if (!taken(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}${separator}${n}`;
    if (!taken(candidate)) return candidate;
  }
}

const codeField = () =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : v.trim().toLowerCase()) : v),
    z
      .string()
      .max(50)
      .regex(/^[a-z0-9_]+$/, { error: () => t("categories.codeInvalid") })
      .optional(),
  );

const categoryFields = {
  label: field.text(200),
  description: field.optionalText(2000),
  flag: z.preprocess(blankToUndefined, z.enum(CATEGORY_FLAGS).optional()),
  minConfidentiality: z.enum(LEVELS),
  sortOrder: sortOrderField(),
};

/** A new category: the code may be given, or is made from the label. */
export const categoryInput = z.object({ code: codeField(), ...categoryFields });
export type CategoryInput = z.infer<typeof categoryInput>;

/** A change: the code is fixed once made (other records and exports name it), so it is not read here. */
export const categoryUpdate = z.object({ ...categoryFields, version: field.version() });
export type CategoryUpdate = z.infer<typeof categoryUpdate>;


export const CATEGORY_SORTS = ["sortOrder", "label", "code", "minConfidentiality", "applications"] as const;
export const categoryListQuery = listQuery(CATEGORY_SORTS, "sortOrder").extend({
  flag: optionalEnum(CATEGORY_FLAGS),
  min: optionalEnum(LEVELS),
  archived: flagParam(),
});
export type CategoryListQuery = z.infer<typeof categoryListQuery>;
