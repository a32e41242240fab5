import { Router } from "express";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { breachHandlers } from "./breaches.handlers";

export function breachRoutes(db: Db): Router {
  const h = breachHandlers(db);
  // Breaches may concern several schools and name people: the register is the board's, not a school's.
  const read = [requireLogin, requirePermission("register.read")];
  const write = [requireLogin, requirePermission("register.write")];
  return Router()
    .get("/breaches", ...read, h.index)
    .get("/breaches/new", ...write, h.newForm)
    .post("/breaches", ...write, h.create)
    .get("/breaches/:id", ...read, h.show)
    .get("/breaches/:id/edit", ...write, h.editForm)
    .post("/breaches/:id", ...write, h.update)
    .get("/breaches/:id/delete", ...write, h.confirmDelete)
    .post("/breaches/:id/delete", ...write, h.destroy);
}
