import { Router } from "express";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { retentionHandlers } from "./retention.handlers";

export function retentionRoutes(db: Db): Router {
  const h = retentionHandlers(db);
  const read = [requireLogin, requirePermission("register.read")];
  const write = [requireLogin, requirePermission("register.write")];
  return Router()
    .get("/retention", ...read, h.index)
    .get("/retention/new", ...write, h.newForm)
    .post("/retention", ...write, h.create)
    .get("/retention/:id", ...read, h.show)
    .get("/retention/:id/edit", ...write, h.editForm)
    .post("/retention/:id", ...write, h.update)
    .post("/retention/:id/archive", ...write, h.archive)
    .post("/retention/:id/restore", ...write, h.restore)
    .get("/retention/:id/delete", ...write, h.confirmDelete)
    .post("/retention/:id/delete", ...write, h.destroy);
}
