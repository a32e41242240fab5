// Route guards. The signed-in user is put on res.locals.user by the auth feature's loadCurrentUser.
import type { NextFunction, Request, Response } from "express";
import { ForbiddenError } from "./errors";
import { can, type CurrentUser, type Permission } from "./policy";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      user?: CurrentUser;
    }
  }
}

/** The signed-in user; only for routes behind requireLogin. */
export function currentUser(res: Response): CurrentUser {
  const user = res.locals.user;
  if (!user) throw new ForbiddenError();
  return user;
}

export function requireLogin(req: Request, res: Response, next: NextFunction): void {
  if (res.locals.user) return next();
  const nextUrl = req.method === "GET" ? `?next=${encodeURIComponent(req.originalUrl)}` : "";
  res.redirect(303, `/login${nextUrl}`);
}

export function requirePermission(permission: Permission) {
  return function checkPermission(_req: Request, res: Response, next: NextFunction): void {
    if (!can(res.locals.user, permission)) throw new ForbiddenError();
    next();
  };
}
