import { z } from "zod";
import { field } from "../http/validation";
import { t } from "../i18n";

export const kvkField = () =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.replace(/\s/g, "") : v),
    z.union([z.literal("").transform(() => undefined), z.string().regex(/^\d{8}$/, { error: () => t("validation.kvk") })]).optional(),
  );

export const boardInput = z.object({
  name: field.text(200),
  kvk: kvkField(),
  address: field.optionalText(300),
  email: field.optionalEmail(),
  dpoName: field.optionalText(200),
  dpoEmail: field.optionalEmail(),
  dpoPhone: field.optionalText(40),
  privacyOfficerName: field.optionalText(200),
  version: field.version(),
});

export type BoardInput = z.infer<typeof boardInput>;
