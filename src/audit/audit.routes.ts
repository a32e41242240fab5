import { Router } from "express";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { t } from "../i18n";
import { verifyAuditChain } from "./audit.chain";
import { latestChanges } from "./audit.service";
import { describeChain } from "./audit.verify";

export function auditRoutes(db: Db): Router {
  const read = [requireLogin, requirePermission("audit.read")];
  return Router()
    .get("/audit", ...read, (_req, res) => {
      res.render("audit/index", { title: t("audit.title"), entries: latestChanges(db, 200) });
    })
    .get("/audit/verify", ...read, (_req, res) => {
      res.render("audit/verify", { title: t("reports.chain.title"), result: describeChain(verifyAuditChain(db)) });
    });
}
