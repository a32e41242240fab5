import { Router } from "express";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { settingsHandlers } from "./settings.handlers";

export function settingsRoutes(db: Db): Router {
  const h = settingsHandlers(db);
  return Router()
    .get("/admin/settings", requireLogin, requirePermission("admin.manage"), h.editForm)
    .post("/admin/settings", requireLogin, requirePermission("admin.manage"), h.update);
}
