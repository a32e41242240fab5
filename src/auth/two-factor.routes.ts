import { Router, type NextFunction, type Request, type Response } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { requireLogin } from "../http/auth";
import { twoFactorHandlers } from "./two-factor.handlers";

/**
 * Wrong codes are throttled like wrong passwords (see loginThrottles in auth.routes.ts): per person and address,
 * more loosely per address and per person alone (someone who has the password may try from many addresses).
 * The person is the one on the way in, or the signed-in user on the account page: one count for both.
 * Right codes do not count.
 */
function codeThrottles(config: Config, refuse: (req: Request, res: Response, next: NextFunction) => void) {
  const windowMs = config.loginWindowMinutes * 60 * 1000;
  const ip = (req: Request) => ipKeyGenerator(req.ip ?? "unknown");
  const person = (req: Request, res: Response) => `u${res.locals.user?.id ?? req.session.twoFactor?.userId ?? "-"}`;
  const limit = (max: number, keyGenerator: (req: Request, res: Response) => string) =>
    rateLimit({ windowMs, limit: max, skipSuccessfulRequests: true, standardHeaders: "draft-8", legacyHeaders: false, keyGenerator, handler: refuse });
  return [
    limit(config.loginMaxFailures * 10, ip),
    limit(config.loginMaxFailures * 10, person),
    limit(config.loginMaxFailures, (req, res) => `${ip(req)}|${person(req, res)}`),
  ];
}

/** Two-factor authentication (TOTP): its set-up on the account, and the second step of a password sign-in. */
export function twoFactorRoutes(db: Db, config: Config): Router {
  const h = twoFactorHandlers(db);
  const throttles = codeThrottles(config, h.throttled);
  return Router()
    .get("/login/two-factor", h.loginForm)
    .post("/login/two-factor", ...throttles, h.login)
    .get("/account/two-factor", requireLogin, h.show)
    .post("/account/two-factor", requireLogin, ...throttles, h.confirm)
    .post("/account/two-factor/recovery-codes", requireLogin, ...throttles, h.regenerate)
    .post("/account/two-factor/disable", requireLogin, ...throttles, h.disable);
}
