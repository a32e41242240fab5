import { Router } from "express";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { t } from "../i18n";
import { latestChanges } from "./audit.service";

export function auditRoutes(db: Db): Router {
  return Router().get("/audit", requireLogin, requirePermission("audit.read"), (_req, res) => {
    res.render("audit/index", { title: t("audit.title"), entries: latestChanges(db, 200) });
  });
}
