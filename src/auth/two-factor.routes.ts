import { Router } from "express";
import type { Config } from "../config";
import type { Db } from "../db/client";

/** Two-factor authentication (TOTP): setting it up on the account, and the second step of signing in. */
export function twoFactorRoutes(_db: Db, _config: Config): Router {
  return Router();
}
