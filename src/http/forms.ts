// The life of a submitted form, shared by every feature: parse with zod → 422 with the input and a message
// per field; save → a rule refused it (422), someone saved in between (409, the input kept beside the newer
// version), or success (the caller flashes and redirects with 303).
import type { Request, Response } from "express";
import { t } from "../i18n";
import { ConflictError, ValidationError } from "./errors";
import { flash } from "./flash";
import { field, parseForm, type FieldErrors } from "./validation";
import { z } from "zod";

/** Forms that only confirm an action on a record (archive, restore, delete) send the version they saw. */
export const versionOnly = z.object({ version: field.version() });

export type FormState = {
  values: Record<string, unknown>;
  errors?: FieldErrors;
  conflict?: ReturnType<typeof conflictRows>;
};

/** Rows for the 409 page: each field with the user's input beside the newer saved value. */
export function conflictRows(
  fields: { key: string; label: string }[],
  yours: Record<string, unknown>,
  current: Record<string, unknown>,
): { label: string; yours: string; theirs: string; differs: boolean }[] {
  const show = (v: unknown) =>
    v === null || v === undefined ? "" : typeof v === "boolean" ? (v ? "ja" : "nee") : Array.isArray(v) ? v.join(", ") : String(v);
  return fields.map(({ key, label }) => {
    const a = show(yours[key]);
    const b = show(current[key]);
    return { label, yours: a, theirs: b, differs: a.trim() !== b.trim() };
  });
}

export function fieldErrorsOf(err: ValidationError): FieldErrors {
  return Object.fromEntries(Object.entries(err.fieldErrors).map(([key, messages]) => [key, messages[0] ?? ""]));
}

export async function submitForm<S extends z.ZodType, R>(
  req: Request,
  res: Response,
  options: {
    schema: S;
    /** Renders the form again with the given status and state. */
    render: (status: number, state: FormState) => void;
    save: (data: z.infer<S>) => R | Promise<R>;
    onSuccess: (result: R) => void;
    /**
     * The fields compared on a 409, with their labels; `current` may be shaped for display by `toForm`. The
     * re-rendered form takes the newer version (`refresh`, by default its `version`) so the next save can win.
     */
    conflict?: {
      fields: { key: string; label: string }[];
      toForm?: (current: never) => Record<string, unknown>;
      refresh?: (current: never) => Record<string, unknown>;
    };
  },
): Promise<void> {
  const values = (req.body ?? {}) as Record<string, unknown>;
  const parsed = parseForm(options.schema, values);
  if (!parsed.ok) return options.render(422, { values, errors: parsed.errors });
  let result: R;
  try {
    result = await options.save(parsed.data);
  } catch (err) {
    if (err instanceof ValidationError) return options.render(422, { values, errors: fieldErrorsOf(err) });
    if (err instanceof ConflictError && options.conflict) {
      const current = (options.conflict.toForm ? options.conflict.toForm(err.current as never) : err.current) as Record<string, unknown>;
      const refresh = options.conflict.refresh
        ? options.conflict.refresh(err.current as never)
        : { version: (err.current as { version?: number } | null)?.version };
      return options.render(409, {
        values: { ...values, ...refresh },
        conflict: conflictRows(options.conflict.fields, values, current),
      });
    }
    throw err;
  }
  options.onSuccess(result);
}

/** Archive or restore from a record's page: the small form sends its version; the answer is back to the record. */
export function submitArchive<R>(
  req: Request,
  res: Response,
  options: { back: string; save: (version: number) => R; success: (saved: R) => string },
): Promise<void> {
  return submitForm(req, res, {
    schema: versionOnly,
    render: (status) => {
      flash(req, "error", status === 409 ? t("errors.conflict") : t("errors.badRequest"));
      res.redirect(303, options.back);
    },
    save: (data) => options.save(data.version),
    conflict: { fields: [] },
    onSuccess: (saved) => {
      flash(req, "success", options.success(saved));
      res.redirect(303, options.back);
    },
  });
}

/**
 * A confirmed delete from a record's delete page: the form sends its version. A delete the register refuses
 * (something still refers to the record) is a conflict with the register's state, so it answers 409, not 422.
 */
export function submitDelete<R>(
  req: Request,
  res: Response,
  options: {
    render: (status: number, state: FormState) => void;
    save: (version: number) => R;
    conflictField: { key: string; label: string };
    success: string;
    back: string;
  },
): Promise<void> {
  return submitForm(req, res, {
    schema: versionOnly,
    render: (status, state) => options.render(status === 422 ? 409 : status, state),
    save: (data) => options.save(data.version),
    conflict: { fields: [options.conflictField] },
    onSuccess: () => {
      flash(req, "success", options.success);
      res.redirect(303, options.back);
    },
  });
}
