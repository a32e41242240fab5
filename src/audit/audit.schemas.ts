// The query of /audit: record type, user, period and page. A value that does not fit is not silently dropped:
// the page says which filter is wrong (the reader of a change history must know what the list is filtered on).
import { z } from "zod";
import { nl, t } from "../i18n";

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v);
const RECORD_TYPES = Object.keys(nl.audit.recordTypes) as [string, ...string[]];

const isoDate = () => z.preprocess(blankToUndefined, z.iso.date({ error: () => t("audit.invalid.date") }).optional());

export const auditQuery = z
  .object({
    type: z.preprocess(blankToUndefined, z.enum(RECORD_TYPES, { error: () => t("audit.invalid.type") }).optional()),
    user: z.preprocess(blankToUndefined, z.coerce.number({ error: () => t("audit.invalid.user") }).int({ error: () => t("audit.invalid.user") }).positive({ error: () => t("audit.invalid.user") }).max(Number.MAX_SAFE_INTEGER, { error: () => t("audit.invalid.user") }).optional()),
    from: isoDate(),
    to: isoDate(),
    page: z.preprocess(
      blankToUndefined,
      z.coerce
        .number({ error: () => t("audit.invalid.page") })
        .int({ error: () => t("audit.invalid.page") })
        .min(1, { error: () => t("audit.invalid.page") })
        .max(1_000_000, { error: () => t("audit.invalid.page") })
        .default(1),
    ),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ["to"], error: () => t("audit.invalid.toBeforeFrom") });

export type AuditQuery = z.infer<typeof auditQuery>;
