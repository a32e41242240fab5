// Errors of the JSON API, always as { error: { status, message, fields?, currentVersion? } }, with a Dutch
// message and, for input, one message per field. The browser's error handler renders pages; this one never does.
import type { NextFunction, Request, Response } from "express";
import type { z } from "zod";
import { ConflictError, constraintMessage, HttpError, ValidationError } from "../http/errors";
import { loggedPath } from "../http/logging";
import { t } from "../i18n";
import { PATTERNS } from "./api.schemas";

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

const message = (key: string, field: string, params: Record<string, string | number> = {}) => t(`api.errors.${key}`, { field, ...params });

/** One message for one issue, in the API's words, naming the field. */
function messageOf(issue: z.core.$ZodIssue, field: string): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return message("required", field);
      return message("wrongType", field, { expected: t(`api.types.${issue.expected}`) });
    case "invalid_value":
      return message("choice", field, { options: issue.values.map(String).join(", ") });
    case "too_big":
      if (issue.origin === "string") return message("tooLong", field, { max: Number(issue.maximum) });
      if (issue.origin === "array") return message("tooMany", field, { max: Number(issue.maximum) });
      return message("tooBig", field, { max: Number(issue.maximum) });
    case "too_small":
      if (issue.origin === "string") return message("blank", field);
      return message("tooSmall", field, { min: Number(issue.minimum) });
    case "invalid_format":
      if (issue.format === "date") return message("date", field);
      if (issue.format === "url") return message("url", field);
      if (issue.format === "regex" && issue.pattern === PATTERNS.nonBlank.toString()) return message("blank", field);
      if (issue.format === "regex" && issue.pattern === PATTERNS.digits.toString()) return message("integer", field);
      if (issue.format === "regex" && issue.pattern === PATTERNS.web.toString()) return message("url", field);
      return message("invalid", field);
    case "custom":
      // The cross-field rules of api.schemas.ts word their own message.
      return issue.message;
    default:
      return message("invalid", field);
  }
}

/**
 * One message per field (the first). 400 when the request is malformed (an unknown field, a wrong JSON type, a
 * missing required field); 422 when it is well-formed but a value breaks a constraint or a rule.
 */
export function fieldsOf(error: z.ZodError): { status: 400 | 422; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  let malformed = false;
  for (const issue of error.issues) {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      malformed = true;
      for (const key of issue.keys) {
        const field = path ? `${path}.${key}` : key;
        fields[field] ??= message("unknownField", field);
      }
      continue;
    }
    if (issue.code === "invalid_type") malformed = true;
    const field = path || "_body";
    fields[field] ??= messageOf(issue, field);
  }
  return { status: malformed ? 400 : 422, fields };
}

/** Query parameters are answered 400 whatever is wrong with them: they are not the register's data. */
export function badQuery(error: z.ZodError): ApiError {
  return new ApiError(400, t("api.errors.badRequest"), fieldsOf(error).fields);
}

export function badBody(error: z.ZodError): ApiError {
  const { status, fields } = fieldsOf(error);
  return new ApiError(status, t(status === 400 ? "api.errors.badRequest" : "api.errors.rules"), fields);
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
      // A service's refusal of the whole record (_form in the browser) is one of the body.
      const fields = Object.fromEntries(Object.entries(err.fieldErrors).map(([key, messages]) => [key === "_form" ? "_body" : key, messages[0] ?? ""]));
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
    logger.error(`${req.method} ${loggedPath(req.originalUrl).path} (verzoek ${String(req.id)})`, err);
    send(res, 500, t("api.errors.server"));
  };
}
