import { Router } from "express";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { t } from "../i18n";
import { getSettings } from "../settings/settings.service";

/** The rules page: every rule in words a school understands, with the board's current thresholds. */
export function complianceRoutes(db: Db): Router {
  return Router().get("/rules", requireLogin, requirePermission("school.read"), (_req, res) => {
    const s = getSettings(db);
    res.render("compliance/rules", {
      title: t("compliance.rules.title"),
      days: s.agreementWarningDays,
      months: s.reviewIntervalMonths,
      model: s.oldestCurrentModel,
    });
  });
}
