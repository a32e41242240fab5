// The last two middlewares: 404 for anything no route answered, and one error handler for the rest.
import type { NextFunction, Request, Response } from "express";
import { t } from "../i18n";
import { constraintMessage, HttpError } from "./errors";
import { loggedPath } from "./logging";

export function notFound(_req: Request, res: Response): void {
  renderError(res, 404, t("errors.notFoundTitle"), t("errors.notFound"));
}

type Logger = { error: (...args: unknown[]) => void };

export function errorHandler(options: { showStack: boolean; logger: Logger }) {
  return function handleError(err: unknown, req: Request, res: Response, _next: NextFunction): void {
    if (res.headersSent) {
      options.logger.error(err);
      return;
    }
    const code = (err as { code?: string } | null)?.code;
    if (code === "EBADCSRFTOKEN") return renderError(res, 403, t("errors.csrfTitle"), t("errors.csrf"));
    if (err instanceof HttpError) {
      const message = err.status === 403 ? t("errors.forbidden") : err.status === 404 ? t("errors.notFound") : err.message;
      return renderError(res, err.status, t(err.titleKey), message);
    }
    // A constraint that slipped past validation is the user's input, not a crash.
    const constraint = constraintMessage(err);
    if (constraint) return renderError(res, 409, t("errors.badRequestTitle"), t(`errors.${constraint}`));
    // body-parser and friends carry a status for bad input (malformed body, too large).
    const status = (err as { status?: number } | null)?.status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      return renderError(res, status, t("errors.badRequestTitle"), t("errors.badRequest"));
    }
    options.logger.error(`${req.method} ${loggedPath(req.originalUrl).path} (verzoek ${String(req.id)})`, err);
    renderError(res, 500, t("errors.serverTitle"), t("errors.server"), options.showStack ? (err as Error)?.stack : undefined);
  };
}

function renderError(res: Response, status: number, title: string, message: string, stack?: string): void {
  res.status(status);
  if (res.req.accepts(["html", "json"]) === "json") {
    res.json({ error: { status, title, message } });
    return;
  }
  res.render("errors/error", { title, message, status, stack });
}
