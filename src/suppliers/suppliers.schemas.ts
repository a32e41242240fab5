import { z } from "zod";
import { COVENANT_STATUSES } from "../db/enums";
import { kvkField } from "../board/board.schemas";
import { flagParam, listQuery, optionalEnum } from "../http/listing";
import { field } from "../http/validation";
import { t } from "../i18n";

export const websiteField = () =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
    z.url({ protocol: /^https?$/, error: () => t("validation.url") }).max(300).optional(),
  );

export const supplierInput = z.object({
  name: field.text(200),
  kvk: kvkField(),
  website: websiteField(),
  privacyContactName: field.optionalText(200),
  privacyContactEmail: field.optionalEmail(),
  covenantStatus: z.enum(COVENANT_STATUSES),
  certIso27001: field.checkbox(),
  certNen7510: field.checkbox(),
  certRosa: field.checkbox(),
  notes: field.optionalText(5000),
});
export type SupplierInput = z.infer<typeof supplierInput>;

export const supplierUpdate = supplierInput.extend({ version: field.version() });

export const SUPPLIER_SORTS = ["name", "kvk", "covenantStatus", "applications", "agreements"] as const;
export const supplierListQuery = listQuery(SUPPLIER_SORTS, "name").extend({
  covenant: optionalEnum(COVENANT_STATUSES),
  archived: flagParam(),
});
export type SupplierListQuery = z.infer<typeof supplierListQuery>;
