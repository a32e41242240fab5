import { Router } from "express";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { categoryHandlers } from "./categories.handlers";

export function categoryRoutes(db: Db): Router {
  const h = categoryHandlers(db);
  const read = [requireLogin, requirePermission("register.read")];
  const write = [requireLogin, requirePermission("register.write")];
  return Router()
    .get("/categories", ...read, h.index)
    .get("/categories/new", ...write, h.newForm)
    .post("/categories", ...write, h.create)
    .get("/categories/:id", ...read, h.show)
    .get("/categories/:id/edit", ...write, h.editForm)
    .post("/categories/:id", ...write, h.update)
    .post("/categories/:id/archive", ...write, h.archive)
    .post("/categories/:id/restore", ...write, h.restore)
    .get("/categories/:id/delete", ...write, h.confirmDelete)
    .post("/categories/:id/delete", ...write, h.destroy);
}
