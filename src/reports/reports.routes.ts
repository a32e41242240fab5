import { Router } from "express";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { reportHandlers } from "./reports.handlers";

/**
 * Reports: every role that reads the register; a school user gets the reports of its own schools (the service
 * limits and refuses). Snapshots: listed and downloaded by auditors and the board, frozen by the board. No
 * route changes or deletes a snapshot.
 */
export function reportRoutes(db: Db): Router {
  const h = reportHandlers(db);
  const school = [requireLogin, requirePermission("school.read")];
  const read = [requireLogin, requirePermission("register.read")];
  const write = [requireLogin, requirePermission("register.write")];
  return Router()
    .get("/reports", ...school, h.index)
    .get("/reports/snapshots", ...read, h.snapshots)
    .post("/reports/snapshots", ...write, h.createSnapshot)
    .get("/reports/snapshots/:id", ...read, h.showSnapshot)
    .get("/reports/snapshots/:id/files/:fileId", ...read, h.snapshotFile)
    .get("/reports/:report/download", ...school, h.download);
}
