import { Router } from "express";
import { rateLimit } from "express-rate-limit";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { requireLogin, requirePermission } from "../http/auth";
import { userHandlers } from "./users.handlers";

export function userRoutes(db: Db, config: Pick<Config, "publicUrl"> & { ssoConfigured: boolean }): Router {
  const h = userHandlers(db, config);
  const admin = [requireLogin, requirePermission("admin.manage")];
  // A link's token has 256 bits; the limit only keeps a script from hammering the page.
  const links = rateLimit({ windowMs: 15 * 60 * 1000, limit: 30, standardHeaders: "draft-8", legacyHeaders: false });
  return Router()
    .get("/admin/users", ...admin, h.index)
    .get("/admin/users/new", ...admin, h.newForm)
    .post("/admin/users", ...admin, h.create)
    .get("/admin/users/sign-in", ...admin, h.signInSettingsForm)
    .post("/admin/users/sign-in", ...admin, h.updateSignInSettings)
    .get("/admin/users/:id", ...admin, h.show)
    .get("/admin/users/:id/edit", ...admin, h.editForm)
    .post("/admin/users/:id", ...admin, h.update)
    .post("/admin/users/:id/deactivate", ...admin, h.deactivate)
    .post("/admin/users/:id/reactivate", ...admin, h.reactivate)
    .post("/admin/users/:id/reset-two-factor", ...admin, h.resetTwoFactor)
    .post("/admin/users/:id/send-link", ...admin, h.sendLink)
    .post("/admin/users/:id/unlink-sso", ...admin, h.unlinkSso)
    .get("/invite/:token", links, h.inviteForm)
    .post("/invite/:token", links, h.acceptInvite)
    .get("/account/sessions", requireLogin, h.sessions)
    .post("/account/sessions/end", requireLogin, h.endSession);
}
