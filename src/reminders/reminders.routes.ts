import { Router } from "express";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { reminderHandlers } from "./reminders.handlers";

export function reminderRoutes(db: Db, config: Config): Router {
  const h = reminderHandlers(db, config);
  // Every role has a to-do list (an auditor's is empty) and chooses its own digest frequency.
  const everyone = [requireLogin, requirePermission("school.read")];
  return Router()
    .get("/reminders", ...everyone, h.index)
    .post("/reminders/frequency", ...everyone, h.updateFrequency)
    .get("/reminders/outbox", requireLogin, requirePermission("admin.manage"), h.outbox);
}
