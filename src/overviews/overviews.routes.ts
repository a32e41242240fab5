import { Router } from "express";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { overviewHandlers } from "./overviews.handlers";

// Overviews of the whole register: for the board's privacy people and the auditor. School users have
// their own school overview.
export function overviewRoutes(db: Db): Router {
  const h = overviewHandlers(db);
  const read = [requireLogin, requirePermission("register.read")];
  return Router()
    .get("/overviews", ...read, h.index)
    .get("/overviews/coverage", ...read, h.coverage)
    .get("/overviews/biv", ...read, h.biv)
    .get("/overviews/rationalisation", ...read, h.rationalisation);
}
