import { Router } from "express";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { backupHandlers } from "./backup.handlers";

export function backupRoutes(db: Db, config: Pick<Config, "documentsDir">): Router {
  const h = backupHandlers(db, config);
  const admin = [requireLogin, requirePermission("admin.manage")];
  // The download is a POST: it is recorded in the audit log, and a form with a CSRF token cannot be
  // triggered by another site or a prefetch.
  return Router().get("/admin/backup", ...admin, h.index).post("/admin/backup", ...admin, h.download);
}
