import { Router } from "express";
import type { Db } from "../db/client";
import { requireLogin } from "../http/auth";
import { homeHandlers } from "./home.handlers";

export function homeRoutes(db: Db): Router {
  const h = homeHandlers(db);
  return Router().get("/", requireLogin, h.show);
}
