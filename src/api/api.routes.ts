// The JSON API under /api/v1: a table of contents. Mounted in src/app.ts before the session and CSRF
// middleware: it authenticates by personal token only (see api.auth.ts). Returns the router and its own
// error handler, so that also errors from the body parser before it (malformed JSON) are answered as JSON.
import { Router, type ErrorRequestHandler, type NextFunction, type Request, type Response } from "express";
import type { Db } from "../db/client";
import { t } from "../i18n";
import { allow, requireToken } from "./api.auth";
import { ApiError, apiErrorHandler } from "./api.errors";
import { apiHandlers } from "./api.handlers";

type Logger = { error: (...args: unknown[]) => void };

function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader("Cache-Control", "no-store");
  next();
}

export function apiRoutes(db: Db, logger: Logger = console): [Router, ErrorRequestHandler] {
  const h = apiHandlers(db);
  const read = allow("school.read");
  const register = allow("register.read");
  const write = allow("register.write");
  const router = Router()
    .use(noStore)
    .get("/openapi.json", h.openapi)
    .use(requireToken(db))
    .get("/schools", read, h.schools)
    .get("/schools/:id", read, h.school)
    .get("/suppliers", register, h.suppliers)
    .get("/suppliers/:id", register, h.supplier)
    .get("/applications", read, h.applications)
    .post("/applications", write, h.createApplication)
    .get("/applications/:id", read, h.application)
    .patch("/applications/:id", write, h.updateApplication)
    .get("/applications/:id/status", read, h.applicationStatus)
    .get("/agreements", read, h.agreements)
    .post("/agreements", write, h.createAgreement)
    .get("/agreements/:id", read, h.agreement)
    .get("/classifications", read, h.classifications)
    .post("/classifications", write, h.createClassification)
    .get("/classifications/:id", read, h.classification)
    .get("/data-categories", register, h.dataCategories)
    .get("/data-subjects", register, h.dataSubjects)
    .get("/fora-functions", register, h.foraFunctions)
    .get("/compliance", read, h.compliance)
    .use(() => {
      throw new ApiError(404, t("api.errors.notFound"));
    });
  return [router, apiErrorHandler(logger)];
}
