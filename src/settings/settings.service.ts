// The thresholds of the compliance rules (../shared/domain.md section 4) and other board settings.
// Stored as key/value rows; every key has a zod type and a default, so a missing row means the default.
import { z } from "zod";
import type { DbOrTx } from "../db/client";
import { settings } from "../db/schema";

export const SETTINGS = {
  agreementWarningDays: { schema: z.coerce.number().int().min(0).max(730), default: 90 },
  reviewIntervalMonths: { schema: z.coerce.number().int().min(1).max(60), default: 12 },
  /** Agreements on a model older than this one are flagged as outdated. */
  oldestCurrentModel: { schema: z.enum(["1.0", "2.0", "3.0", "4.0"]), default: "3.0" },
  breachRegulatorHours: { schema: z.coerce.number().int().min(1).max(720), default: 72 },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type Settings = { [K in SettingKey]: z.infer<(typeof SETTINGS)[K]["schema"]> };

export function getSettings(db: DbOrTx): Settings {
  const stored = new Map(db.select().from(settings).all().map((row) => [row.key, row.value]));
  const result: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(SETTINGS)) {
    const raw = stored.get(key);
    const parsed = raw === undefined ? undefined : def.schema.safeParse(raw);
    result[key] = parsed?.success ? parsed.data : def.default;
  }
  return result as Settings;
}
