import { z } from "zod";
import { field } from "../http/validation";
import { SETTINGS } from "./settings.service";

// An empty field is "not filled in", not 0 (z.coerce.number("") would be 0).
const filled = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema);

export const settingsInput = z.object({
  agreementWarningDays: filled(SETTINGS.agreementWarningDays.schema),
  reviewIntervalMonths: filled(SETTINGS.reviewIntervalMonths.schema),
  oldestCurrentModel: SETTINGS.oldestCurrentModel.schema,
  breachRegulatorHours: filled(SETTINGS.breachRegulatorHours.schema),
  version: field.version(),
});
export type SettingsInput = z.infer<typeof settingsInput>;
