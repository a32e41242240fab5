import { Router } from "express";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { applicationHandlers } from "./applications.handlers";

export function applicationRoutes(db: Db): Router {
  const h = applicationHandlers(db);
  // School users read the applications of their own schools; the handlers check the school per record.
  const read = [requireLogin, requirePermission("school.read")];
  const write = [requireLogin, requirePermission("register.write")];
  return Router()
    .get("/applications", ...read, h.index)
    .get("/applications/new", ...write, h.newForm)
    .post("/applications", ...write, h.create)
    .get("/applications/:id", ...read, h.show)
    .get("/applications/:id/edit", ...write, h.editForm)
    .post("/applications/:id", ...write, h.update)
    .get("/applications/:id/data", ...write, h.dataForm)
    .post("/applications/:id/data", ...write, h.updateData)
    .get("/applications/:id/schools", ...write, h.schoolsForm)
    .post("/applications/:id/schools", ...write, h.updateSchools)
    .post("/applications/:id/archive", ...write, h.archive)
    .post("/applications/:id/restore", ...write, h.restore)
    .get("/applications/:id/delete", ...write, h.confirmDelete)
    .post("/applications/:id/delete", ...write, h.destroy);
}
