import { Router } from "express";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { foraHandlers } from "./fora.handlers";

// The six FORA domains are fixed reference data; their functions are kept up to date by the board.
export function foraRoutes(db: Db): Router {
  const h = foraHandlers(db);
  const read = [requireLogin, requirePermission("register.read")];
  const write = [requireLogin, requirePermission("register.write")];
  return Router()
    .get("/fora", ...read, h.index)
    .get("/fora/functions/new", ...write, h.newForm)
    .post("/fora/functions", ...write, h.create)
    .get("/fora/functions/:id", ...read, h.show)
    .get("/fora/functions/:id/edit", ...write, h.editForm)
    .post("/fora/functions/:id", ...write, h.update)
    .post("/fora/functions/:id/archive", ...write, h.archive)
    .post("/fora/functions/:id/restore", ...write, h.restore)
    .get("/fora/functions/:id/delete", ...write, h.confirmDelete)
    .post("/fora/functions/:id/delete", ...write, h.destroy);
}
