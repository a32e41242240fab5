// Single sign-on through the board's OpenID provider. The routes always exist; without OIDC_ISSUER they answer 404
// and the log-in page shows no button.
import { Router } from "express";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { oidcHandlers, SSO_CALLBACK_PATH } from "./oidc.handlers";

export function oidcRoutes(db: Db, config: Config, logger: { error: (...args: unknown[]) => void }): Router {
  const h = oidcHandlers(db, config, logger);
  return Router()
    .use("/login", h.offerSingleSignOn)
    .get("/login/sso", h.start)
    .get(SSO_CALLBACK_PATH, h.callback);
}
