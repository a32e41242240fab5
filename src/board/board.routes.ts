import { Router } from "express";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { boardHandlers } from "./board.handlers";

export function boardRoutes(db: Db): Router {
  const h = boardHandlers(db);
  return Router()
    .get("/admin/board", requireLogin, requirePermission("admin.manage"), h.editForm)
    .post("/admin/board", requireLogin, requirePermission("admin.manage"), h.update);
}
