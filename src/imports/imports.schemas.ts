import { z } from "zod";
import { t } from "../i18n";
import { IMPORT_KINDS } from "./imports.fields";

export const uploadInput = z.object({
  kind: z.enum(IMPORT_KINDS, { error: () => t("imports.upload.chooseKind") }),
});

/** The mapping form: column0, column1, ... each a field key or "" (not imported). */
export function mappingInput(columns: number, fieldKeys: string[]) {
  const choice = z.preprocess((v) => (v === "" || v === undefined ? null : v), z.enum(fieldKeys as [string, ...string[]]).nullable());
  return z.object(Object.fromEntries(Array.from({ length: columns }, (_, i) => [`column${i}`, choice])));
}

export const commitInput = z.object({ fingerprint: z.string().regex(/^[0-9a-f]{64}$/) });

export const previewQuery = z.object({
  show: z.enum(["all", "new", "changed", "unchanged", "wrong"]).catch("all"),
});

export const templateParams = z.object({
  file: z.string().regex(/^(applications|suppliers|agreements)\.(xlsx|csv)$/),
});
