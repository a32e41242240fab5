import { Router } from "express";
import type { Db } from "../db/client";
import { requireLogin } from "../http/auth";
import { tokenHandlers } from "./tokens.handlers";

/** Every signed-in user manages their own API tokens; a token can do no more than its owner. */
export function tokenRoutes(db: Db): Router {
  const h = tokenHandlers(db);
  return Router()
    .get("/account/tokens", requireLogin, h.index)
    .post("/account/tokens", requireLogin, h.create)
    .post("/account/tokens/:id/revoke", requireLogin, h.revoke);
}
