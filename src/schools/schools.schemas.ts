import { z } from "zod";
import { SECTORS } from "../db/enums";
import { flagParam, listQuery, optionalEnum } from "../http/listing";
import { field } from "../http/validation";
import { t } from "../i18n";

/** BRIN: the code DUO gives an institution, 2 digits and 2 capital letters; "12ab" is taken as "12AB". */
export const brinField = () =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.replace(/\s/g, "").toUpperCase() : v),
    z.string().min(1).regex(/^\d{2}[A-Z]{2}$/, { error: () => t("schools.brinInvalid") }),
  );

/** Vestiging: 2 digits, or "" for the school as a whole (the column is not null so the unique index holds). */
export const locationField = () =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v === undefined || v === null ? "" : v),
    z.string().regex(/^(\d{2})?$/, { error: () => t("schools.locationInvalid") }),
  );

export const schoolInput = z.object({
  name: field.text(200),
  brin: brinField(),
  location: locationField(),
  sector: z.enum(SECTORS),
  city: field.optionalText(100),
  contactName: field.optionalText(200),
  contactEmail: field.optionalEmail(),
});
export type SchoolInput = z.infer<typeof schoolInput>;

export const schoolUpdate = schoolInput.extend({ version: field.version() });

export const SCHOOL_SORTS = ["name", "brin", "sector", "city", "applications"] as const;
export const schoolListQuery = listQuery(SCHOOL_SORTS, "name").extend({
  sector: optionalEnum(SECTORS),
  archived: flagParam(),
});
export type SchoolListQuery = z.infer<typeof schoolListQuery>;
