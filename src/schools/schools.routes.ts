import { Router } from "express";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { schoolHandlers } from "./schools.handlers";

export function schoolRoutes(db: Db): Router {
  const h = schoolHandlers(db);
  return Router()
    .get("/schools", requireLogin, requirePermission("school.read"), h.index)
    .get("/schools/:id", requireLogin, requirePermission("school.read"), h.show);
}
