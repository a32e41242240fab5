// The JSON API under /api/v1: a table of contents. Mounted in src/app.ts before the body parsers, the session
// and CSRF: it authenticates by personal token only (see api.auth.ts) and parses JSON itself, after the token
// and the permission. Returns the router and its own error handler, so that body-parser errors (malformed
// JSON) are answered as JSON too.
import express, { Router, type ErrorRequestHandler, type NextFunction, type Request, type RequestHandler, type Response } from "express";
import type { Db } from "../db/client";
import { t } from "../i18n";
import { allow, requireToken } from "./api.auth";
import { ApiError, apiErrorHandler } from "./api.errors";
import { apiHandlers } from "./api.handlers";

type Logger = { error: (...args: unknown[]) => void };

// Nothing of the register is cached. An ETag here is a record's version, for If-Match on PATCH; the same
// response also shows a status and findings that change with other records, so a conditional GET (If-None-Match,
// If-Modified-Since) is answered in full, never with 304.
function noStore(req: Request, res: Response, next: NextFunction): void {
  res.setHeader("Cache-Control", "no-store");
  delete req.headers["if-none-match"];
  delete req.headers["if-modified-since"];
  next();
}

export function apiRoutes(db: Db, logger: Logger = console): [Router, ErrorRequestHandler] {
  const h = apiHandlers(db);
  const read = allow("school.read");
  const register = allow("register.read");
  const write = allow("register.write");
  // The body is parsed only after the token and the permission are checked: a malformed body from someone who
  // may not write gets 401/403, never a 400 that reveals how far the request got.
  const json = express.json({ limit: "1mb" });
  const router = Router().use(noStore);

  /** One path with its methods; any other method gets 405 with an Allow header naming those that exist. */
  const resource = (path: string, methods: Partial<Record<"get" | "post" | "patch", RequestHandler[]>>) => {
    const route = router.route(path);
    const allowed: string[] = [];
    for (const [method, handlers] of Object.entries(methods) as ["get" | "post" | "patch", RequestHandler[]][]) {
      route[method](...handlers);
      allowed.push(...(method === "get" ? ["GET", "HEAD"] : [method.toUpperCase()]));
    }
    route.all((req: Request, res: Response) => {
      res.setHeader("Allow", allowed.join(", "));
      throw new ApiError(405, t("api.errors.methodNotAllowed", { method: req.method, allowed: allowed.join(", ") }));
    });
  };

  resource("/openapi.json", { get: [h.openapi] });
  router.use(requireToken(db));
  resource("/schools", { get: [read, h.schools] });
  resource("/schools/:id", { get: [read, h.school] });
  resource("/suppliers", { get: [register, h.suppliers] });
  resource("/suppliers/:id", { get: [register, h.supplier] });
  resource("/applications", { get: [read, h.applications], post: [write, json, h.createApplication] });
  resource("/applications/:id", { get: [read, h.application], patch: [write, json, h.updateApplication] });
  resource("/applications/:id/status", { get: [read, h.applicationStatus] });
  resource("/agreements", { get: [read, h.agreements], post: [write, json, h.createAgreement] });
  resource("/agreements/:id", { get: [read, h.agreement] });
  resource("/classifications", { get: [read, h.classifications], post: [write, json, h.createClassification] });
  resource("/classifications/:id", { get: [read, h.classification] });
  resource("/data-categories", { get: [register, h.dataCategories] });
  resource("/data-subjects", { get: [register, h.dataSubjects] });
  resource("/fora-functions", { get: [register, h.foraFunctions] });
  resource("/compliance", { get: [read, h.compliance] });
  router.use(() => {
    throw new ApiError(404, t("api.errors.notFound"));
  });
  return [router, apiErrorHandler(logger)];
}
