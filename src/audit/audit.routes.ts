import { Router } from "express";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { auditHandlers } from "./audit.handlers";

export function auditRoutes(db: Db): Router {
  const h = auditHandlers(db);
  const read = [requireLogin, requirePermission("audit.read")];
  return Router().get("/audit", ...read, h.index).get("/audit/verify", ...read, h.verify);
}
