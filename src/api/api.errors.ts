// Errors of the JSON API, always as { error: { status, message, fields?, currentVersion? } }, with a Dutch
// message and, for input, one message per field. The browser's error handler renders pages; this one never does.
import type { NextFunction, Request, Response } from "express";
import type { z } from "zod";
import { ConflictError, constraintMessage, HttpError, ValidationError } from "../http/errors";
import { t } from "../i18n";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields?: Record<string, string>,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const TYPE_NAMES: Record<string, string> = {
  string: "tekst",
  number: "een getal",
  int: "een geheel getal",
  boolean: "true of false",
  array: "een lijst",
  object: "een object",
  null: "null",
};

/** One Dutch message per field (the first), with unknown fields and wrong JSON types said plainly. */
export function fieldsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      const prefix = issue.path.map(String).join(".");
      for (const key of issue.keys) fields[prefix ? `${prefix}.${key}` : key] ??= t("api.errors.unknownField");
      continue;
    }
    const key = issue.path.map(String).join(".") || "_body";
    if (issue.code === "invalid_type" && issue.input !== undefined) {
      fields[key] ??= t("api.errors.wrongType", { expected: TYPE_NAMES[issue.expected] ?? issue.expected });
    } else if (issue.code === "invalid_value" && issue.input !== undefined) {
      fields[key] ??= t("api.errors.choice", { options: issue.values.map(String).join(", ") });
    } else {
      fields[key] ??= issue.message;
    }
  }
  return fields;
}

export function badRequest(error: z.ZodError): ApiError {
  return new ApiError(400, t("api.errors.badRequest"), fieldsOf(error));
}

type Logger = { error: (...args: unknown[]) => void };

function send(res: Response, status: number, message: string, fields?: Record<string, string>, extra: Record<string, unknown> = {}) {
  if (status === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="ibp-register"');
  res.status(status).json({ error: { status, message, ...(fields && Object.keys(fields).length ? { fields } : {}), ...extra } });
}

export function apiErrorHandler(logger: Logger) {
  return function handleApiError(err: unknown, req: Request, res: Response, _next: NextFunction): void {
    if (res.headersSent) {
      logger.error(err);
      return;
    }
    if (err instanceof ApiError) return send(res, err.status, err.message, err.fields, err.extra);
    if (err instanceof ValidationError) {
      const fields = Object.fromEntries(Object.entries(err.fieldErrors).map(([key, messages]) => [key, messages[0] ?? ""]));
      return send(res, 422, t("api.errors.rules"), fields);
    }
    if (err instanceof ConflictError) {
      const version = (err.current as { version?: unknown } | null)?.version;
      return send(res, 409, t("api.errors.conflict"), undefined, typeof version === "number" ? { currentVersion: version } : {});
    }
    if (err instanceof HttpError) {
      const message = err.status === 403 ? t("api.errors.forbidden") : err.status === 404 ? t("api.errors.notFound") : err.message;
      return send(res, err.status, message);
    }
    const constraint = constraintMessage(err);
    if (constraint) return send(res, 409, t(`errors.${constraint}`));
    // body-parser: malformed JSON, a body that is too large, an unsupported charset.
    const status = (err as { status?: number } | null)?.status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      const type = (err as { type?: string }).type;
      return send(res, status, type === "entity.parse.failed" ? t("api.errors.invalidJson") : status === 413 ? t("api.errors.tooLarge") : t("api.errors.badRequest"));
    }
    logger.error(`${req.method} ${req.originalUrl}`, err);
    send(res, 500, t("api.errors.server"));
  };
}
