// Authentication of the API: a personal token in the Authorization header, and nothing else. The API is
// mounted before the session middleware, so a browser's session cookie is never even read here; CSRF does
// not apply because a cross-site page cannot make a browser send this header.
import type { NextFunction, Request, Response } from "express";
import type { Db } from "../db/client";
import { can, type Permission } from "../http/policy";
import { t } from "../i18n";
import { ApiError } from "./api.errors";
import { userForAuthorization } from "./tokens.service";

export function requireToken(db: Db) {
  return function authenticate(req: Request, res: Response, next: NextFunction): void {
    const check = userForAuthorization(db, req.headers.authorization);
    if (!check.ok) throw new ApiError(401, t(check.reason === "missing" ? "api.errors.missingToken" : "api.errors.invalidToken"));
    res.locals.user = check.user;
    next();
  };
}

/** The same permission table as the browser (src/http/policy.ts). */
export function allow(permission: Permission) {
  return function checkPermission(_req: Request, res: Response, next: NextFunction): void {
    if (!can(res.locals.user, permission)) throw new ApiError(403, t("api.errors.forbidden"));
    next();
  };
}
