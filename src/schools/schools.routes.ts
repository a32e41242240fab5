import { Router } from "express";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { schoolHandlers } from "./schools.handlers";

export function schoolRoutes(db: Db): Router {
  const h = schoolHandlers(db);
  // School users read their own schools only: the handlers check each id (canSeeSchool).
  const read = [requireLogin, requirePermission("school.read")];
  const write = [requireLogin, requirePermission("register.write")];
  return Router()
    .get("/schools", ...read, h.index)
    .get("/schools/new", ...write, h.newForm)
    .post("/schools", ...write, h.create)
    .get("/schools/:id", ...read, h.show)
    .get("/schools/:id/edit", ...write, h.editForm)
    .post("/schools/:id", ...write, h.update)
    .post("/schools/:id/archive", ...write, h.archive)
    .post("/schools/:id/restore", ...write, h.restore)
    .get("/schools/:id/delete", ...write, h.confirmDelete)
    .post("/schools/:id/delete", ...write, h.destroy);
}
