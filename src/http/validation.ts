// zod with Dutch messages, and the small field types the forms share. Form values arrive as strings
// (or arrays for repeated fields); these helpers turn "" into "not filled in" and check real dates.
import { z } from "zod";
import { t } from "../i18n";
import { NotFoundError } from "./errors";

z.config({
  customError: (issue) => {
    const input = issue.input;
    const empty = input === undefined || input === null || (typeof input === "string" && input.trim() === "");
    switch (issue.code) {
      case "invalid_type":
        return empty ? t("validation.required") : t("validation.invalid");
      case "too_small":
        if (issue.origin === "string") return Number(issue.minimum) <= 1 ? t("validation.required") : t("validation.tooShort", { min: Number(issue.minimum) });
        if (issue.origin === "number") return t("validation.tooSmall", { min: Number(issue.minimum) });
        if (issue.origin === "array") return t("validation.chooseAtLeast", { min: Number(issue.minimum) });
        return t("validation.invalid");
      case "too_big":
        if (issue.origin === "string") return t("validation.tooLong", { max: Number(issue.maximum) });
        if (issue.origin === "number") return t("validation.tooBig", { max: Number(issue.maximum) });
        return t("validation.invalid");
      case "invalid_format":
        return issue.format === "email" ? t("validation.email") : issue.format === "url" ? t("validation.url") : t("validation.invalid");
      case "invalid_value":
        return empty ? t("validation.required") : t("validation.choose");
      case "unrecognized_keys":
        return t("validation.unknownFields", { fields: issue.keys.join(", ") });
      default:
        return t("validation.invalid");
    }
  },
});

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v);

export const field = {
  text: (max = 200) => z.preprocess(blankToUndefined, z.string().max(max)),
  optionalText: (max = 2000) => z.preprocess(blankToUndefined, z.string().max(max).optional()),
  email: () => z.preprocess(blankToUndefined, z.email().max(254).transform((v) => v.toLowerCase())),
  optionalEmail: () => z.preprocess(blankToUndefined, z.email().max(254).optional()),
  /** A real calendar date as YYYY-MM-DD (from <input type="date">); 2025-02-30 is refused. */
  optionalDate: () =>
    z.preprocess(blankToUndefined, z.iso.date({ error: () => t("validation.date") }).optional()),
  date: () => z.preprocess(blankToUndefined, z.iso.date({ error: (i) => (i.input === undefined ? t("validation.required") : t("validation.date")) })),
  /** A checkbox: present ("on", "1", "true") is true, absent is false. */
  checkbox: () => z.preprocess((v) => v === "on" || v === "1" || v === "true" || v === true, z.boolean()),
  /** A list of ids from repeated checkboxes or a multi-select: a single value arrives as a string. */
  idList: () =>
    z.preprocess(
      (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v.filter((x) => x !== "") : [v]),
      z.array(z.coerce.number().int().positive()),
    ),
  /**
   * An amount in euros as people type it ("1.234,50", "1234,50", "1234.50", "€ 12") → integer cents.
   * With a comma, dots are thousands separators; without one, "1.234" (groups of three) is too.
   */
  optionalEuros: () =>
    z.preprocess(
      (v) => {
        if (typeof v !== "string") return v;
        let s = v.replace(/[€\s]/g, "");
        if (s === "") return undefined;
        if (s.includes(",")) s = s.replace(/\./g, "").replace(",", ".");
        else if (/^\d{1,3}(\.\d{3})+$/.test(s)) s = s.replace(/\./g, "");
        if (!/^\d+(\.\d{1,2})?$/.test(s)) return NaN;
        return Math.round(Number(s) * 100);
      },
      z.number({ error: () => t("validation.euros") }).int().min(0, { error: () => t("validation.euros") }).max(100_000_000_00).optional(),
    ),
  /** A whole number of at least 0 (hours, days), optional. */
  optionalCount: (max = 1_000_000) =>
    z.preprocess(
      (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : /^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN) : v),
      z.number({ error: () => t("validation.wholeNumber") }).int().min(0).max(max).optional(),
    ),
  /**
   * Rows of a table form keyed by record id, sent as rows[k12][field]. The "k" matters: with a bare number
   * the body parser (qs) turns rows[12] into a compacted array and the ids are lost. Output keys are the ids.
   */
  rowsById: <S extends z.ZodType>(row: S) =>
    z
      .record(z.string().regex(/^k\d+$/), row)
      .default({})
      .transform((rows) => Object.fromEntries(Object.entries(rows).map(([key, value]) => [key.slice(1), value])) as Record<string, z.infer<S>>),
  /** The record version a form was loaded with, for optimistic locking. */
  version: () => z.coerce.number().int().min(1),
};

export type FieldErrors = Record<string, string>;

/** Parses a form body; returns the data or a first message per field (the forms show one at a time). */
export function parseForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
): { ok: true; data: z.infer<S> } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join(".") || "_form";
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

/** A route's :id: a positive integer, or the page does not exist. */
export function parseId(value: unknown): number {
  const id = typeof value === "string" && /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFoundError();
  return id;
}

/**
 * For cross-field rules (end after start): run them as soon as the fields they compare are valid, even when
 * other fields have errors, so the user sees every message at once.
 */
export function whenValid(...keys: string[]) {
  return (payload: { issues: { path?: PropertyKey[] }[] }) => !payload.issues.some((issue) => keys.includes(String(issue.path?.[0])));
}
