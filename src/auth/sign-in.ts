// One way into a session, whatever proved who someone is (a password, a password and a second factor, or the
// board's OpenID provider). A new session id every time: an id planted before sign-in is worth nothing after.
import type { NextFunction, Request, Response } from "express";
import type { Db } from "../db/client";
import { ForbiddenError } from "../http/errors";
import { flash } from "../http/flash";
import { t } from "../i18n";
import { recordLogin, type User } from "../users/users.repository";
import { getSignInSettings, twoFactorRequired } from "./sign-in-settings";

export type SignInMethod = "password" | "sso";

export function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

export function save(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

/**
 * The first factor is proven. With two-factor set up, a password sign-in waits for the code (the session holds
 * only who is on the way in, not a signed-in user); otherwise the session starts. Returns where to go next.
 */
export async function beginSignIn(req: Request, db: Db, user: User, options: { method: SignInMethod; next: string }): Promise<string> {
  await regenerate(req);
  if (options.method === "password" && user.totpEnabledAt) {
    req.session.twoFactor = { userId: user.id, next: options.next, startedAt: Date.now() };
    await save(req);
    return "/login/two-factor";
  }
  return completeSignIn(req, db, user, options);
}

/** Starts the session of `user` (called by beginSignIn, and after a correct second factor). */
export async function completeSignIn(req: Request, db: Db, user: User, options: { method: SignInMethod; next: string }): Promise<string> {
  delete req.session.twoFactor;
  req.session.userId = user.id;
  req.session.loginAt = Date.now();
  req.session.signInMethod = options.method;
  req.session.userAgent = String(req.headers["user-agent"] ?? "").slice(0, 200);
  req.session.ip = req.ip;
  recordLogin(db, user.id);
  flash(req, "success", t("login.welcome", { name: user.name }));
  await save(req);
  return mustEnrol(db, user, options.method) ? "/account/two-factor" : options.next;
}

const mustEnrol = (db: Db, user: Pick<User, "role" | "totpEnabledAt">, method: SignInMethod | undefined) =>
  method !== "sso" && !user.totpEnabledAt && twoFactorRequired(getSignInSettings(db), user.role);

/** What a person who still has to set up two-factor may reach: the set-up itself and signing out. */
const ENROL_PATHS = ["/account/two-factor", "/logout"];

/**
 * Where two-factor is compulsory for a role, a user of it who signed in with a password and has not set it up
 * reaches nothing but its set-up. Checked on every request, so a changed setting applies at once. Single
 * sign-on leaves the second factor to the board's provider (see README).
 */
export function requireTwoFactorEnrolment(db: Db) {
  return function enforceEnrolment(req: Request, res: Response, next: NextFunction): void {
    const user = res.locals.user;
    if (!user || !mustEnrol(db, { role: user.role, totpEnabledAt: user.twoFactorEnabled ? new Date(0) : null }, req.session.signInMethod)) return next();
    if (ENROL_PATHS.some((p) => req.path === p || req.path.startsWith(`${p}/`))) return next();
    if (req.method !== "GET") throw new ForbiddenError(t("users.twoFactorFirst"));
    res.redirect(303, "/account/two-factor");
  };
}
