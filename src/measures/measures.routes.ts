import { Router } from "express";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { measureHandlers } from "./measures.handlers";

export function measureRoutes(db: Db): Router {
  const h = measureHandlers(db);
  const read = [requireLogin, requirePermission("register.read")];
  const write = [requireLogin, requirePermission("register.write")];
  return Router()
    .get("/measures", ...read, h.index)
    .get("/measures/new", ...write, h.newForm)
    .post("/measures", ...write, h.create)
    .get("/measures/:id", ...read, h.show)
    .get("/measures/:id/edit", ...write, h.editForm)
    .post("/measures/:id", ...write, h.update)
    .post("/measures/:id/archive", ...write, h.archive)
    .post("/measures/:id/restore", ...write, h.restore)
    .get("/measures/:id/delete", ...write, h.confirmDelete)
    .post("/measures/:id/delete", ...write, h.destroy);
}
