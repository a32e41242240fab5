import { Router } from "express";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { classificationHandlers } from "./classifications.handlers";

export function classificationRoutes(db: Db): Router {
  const h = classificationHandlers(db);
  const write = [requireLogin, requirePermission("register.write")];
  return Router()
    .get("/applications/:id/classification", ...write, h.form)
    .post("/applications/:id/classification", ...write, h.save)
    .get("/applications/:id/measures", ...write, h.measuresForm)
    .post("/applications/:id/measures", ...write, h.updateMeasures);
}
