import { Router, type Request, type Response } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { requireLogin } from "../http/auth";
import type { SqliteSessionStore } from "../http/session-store";
import { t } from "../i18n";
import { authHandlers } from "./auth.handlers";

/**
 * Failed log-ins are throttled per address and e-mail, and more loosely per address alone. Unknown and
 * known e-mail addresses count alike, so the throttle reveals nothing either. Successful log-ins do not count.
 */
function loginThrottles(config: Config) {
  const windowMs = config.loginWindowMinutes * 60 * 1000;
  const refuse = (req: Request, res: Response) =>
    res.status(429).render("auth/login", {
      title: t("login.title"),
      values: { email: (req.body as { email?: string } | undefined)?.email },
      failed: t("login.throttled"),
    });
  const ip = (req: Request) => ipKeyGenerator(req.ip ?? "unknown");
  const email = (req: Request) => String((req.body as { email?: unknown } | undefined)?.email ?? "").trim().toLowerCase();
  return [
    rateLimit({
      windowMs,
      limit: config.loginMaxFailures * 10,
      skipSuccessfulRequests: true,
      standardHeaders: "draft-8",
      legacyHeaders: false,
      keyGenerator: ip,
      handler: refuse,
    }),
    rateLimit({
      windowMs,
      limit: config.loginMaxFailures,
      skipSuccessfulRequests: true,
      standardHeaders: "draft-8",
      legacyHeaders: false,
      keyGenerator: (req) => `${ip(req)}|${email(req)}`,
      handler: refuse,
    }),
  ];
}

export function authRoutes(db: Db, config: Config, store: SqliteSessionStore): Router {
  const h = authHandlers(db, store);
  return Router()
    .get("/login", h.loginForm)
    .post("/login", ...loginThrottles(config), h.login)
    .post("/logout", h.logout)
    .get("/account", requireLogin, h.account)
    .post("/account/password", requireLogin, h.updatePassword);
}
