// The thresholds of the compliance rules (../shared/domain.md section 4) and other board settings.
// Stored as key/value rows; every key has a zod type and a default, so a missing row means the default.
import { inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { recordChange, type Actor } from "../audit/audit.service";
import { memoByVersion, type Db, type DbOrTx } from "../db/client";
import { settings } from "../db/schema";
import { ConflictError } from "../http/errors";

export const SETTINGS = {
  agreementWarningDays: { schema: z.coerce.number().int().min(0).max(730), default: 90 },
  reviewIntervalMonths: { schema: z.coerce.number().int().min(1).max(60), default: 12 },
  /** Agreements on a model older than this one are flagged as outdated. */
  oldestCurrentModel: { schema: z.enum(["1.0", "2.0", "3.0", "4.0"]), default: "3.0" },
  breachRegulatorHours: { schema: z.coerce.number().int().min(1).max(720), default: 72 },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type Settings = { [K in SettingKey]: z.infer<(typeof SETTINGS)[K]["schema"]> };

/** The settings, each parsed or its default (kept until the register changes: read on nearly every page). */
export function getSettings(db: DbOrTx): Settings {
  return memoByVersion(db, "settings", () => readSettings(db));
}

function readSettings(db: DbOrTx): Settings {
  const stored = new Map(db.select().from(settings).all().map((row) => [row.key, row.value]));
  const result: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(SETTINGS)) {
    const raw = stored.get(key);
    const parsed = raw === undefined ? undefined : def.schema.safeParse(raw);
    result[key] = parsed?.success ? parsed.data : def.default;
  }
  return result as Settings;
}

/**
 * One version for the whole settings form: the sum of its rows' versions (sign-in settings have their own). Any saved change raises it, so a
 * form loaded before someone else saved is caught.
 */
export function settingsVersion(db: DbOrTx): number {
  return 1 + (db.select({ v: sql<number>`coalesce(sum(${settings.version}), 0)` }).from(settings).where(inArray(settings.key, Object.keys(SETTINGS))).get()?.v ?? 0);
}

export function updateSettings(db: Db, actor: Actor, input: Settings & { version: number }): Settings {
  return db.transaction((tx) => {
    if (settingsVersion(tx) !== input.version) throw new ConflictError({ ...getSettings(tx), version: settingsVersion(tx) });
    const before = getSettings(tx);
    for (const key of Object.keys(SETTINGS) as SettingKey[]) {
      const value = String(input[key]);
      if (String(before[key]) === value) continue;
      tx.insert(settings)
        .values({ key, value })
        .onConflictDoUpdate({ target: settings.key, set: { value, version: sql`${settings.version} + 1`, updatedAt: new Date() } })
        .run();
    }
    const after = getSettings(tx);
    recordChange(tx, { actor, action: "update", entityType: "settings", entityId: null, summary: "Instellingen gewijzigd", before, after });
    return after;
  });
}
