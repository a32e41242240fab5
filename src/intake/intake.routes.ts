import { Router, type NextFunction, type Request, type Response } from "express";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { ForbiddenError } from "../http/errors";
import { intakeHandlers, mayRequest } from "./intake.handlers";

/** Requesting is for school users (their own schools) and for the privacy officer and admin; not for auditors. */
function requireRequester(_req: Request, res: Response, next: NextFunction): void {
  if (!mayRequest(res.locals.user)) throw new ForbiddenError();
  next();
}

export function intakeRoutes(db: Db): Router {
  const h = intakeHandlers(db);
  // Everyone reads requests; a school user only its own schools' (the handlers check the school per request).
  const read = [requireLogin, requirePermission("school.read")];
  const request = [requireLogin, requireRequester];
  const decide = [requireLogin, requirePermission("register.write")];
  return Router()
    .get("/intake", ...read, h.index)
    .get("/intake/new", ...request, h.newForm)
    .post("/intake", ...request, h.create)
    .get("/intake/:id", ...read, h.show)
    .post("/intake/:id/review", ...decide, h.review)
    .post("/intake/:id/ask", ...decide, h.ask)
    .post("/intake/:id/answer", ...read, h.answer)
    .post("/intake/:id/approve", ...decide, h.approve)
    .post("/intake/:id/reject", ...decide, h.reject);
}
