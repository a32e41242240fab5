import { Router } from "express";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { supplierHandlers } from "./suppliers.handlers";

export function supplierRoutes(db: Db): Router {
  const h = supplierHandlers(db);
  const read = [requireLogin, requirePermission("register.read")];
  const write = [requireLogin, requirePermission("register.write")];
  return Router()
    .get("/suppliers", ...read, h.index)
    .get("/suppliers/new", ...write, h.newForm)
    .post("/suppliers", ...write, h.create)
    .get("/suppliers/:id", ...read, h.show)
    .get("/suppliers/:id/edit", ...write, h.editForm)
    .post("/suppliers/:id", ...write, h.update)
    .post("/suppliers/:id/archive", ...write, h.archive)
    .post("/suppliers/:id/restore", ...write, h.restore)
    .get("/suppliers/:id/delete", ...write, h.confirmDelete)
    .post("/suppliers/:id/delete", ...write, h.destroy);
}
