import type { NextFunction, Request, Response } from "express";
import type { Db } from "../db/client";
import { loadCurrentUser } from "./auth.service";

/**
 * Puts the signed-in user on res.locals, and marks the response as not to be stored. A session past its absolute lifetime, or of a user that was
 * disabled, is ended; the idle timeout is the cookie's rolling maxAge (see createApp).
 */
export function loadUser(db: Db, maxSessionMs: number) {
  return function attachUser(req: Request, res: Response, next: NextFunction): void {
    const userId = req.session?.userId;
    if (userId === undefined) return next();
    const tooOld = (req.session.loginAt ?? 0) + maxSessionMs < Date.now();
    const user = tooOld ? null : loadCurrentUser(db, userId);
    if (!user) {
      req.session.destroy(() => res.redirect(303, "/login?expired=1"));
      return;
    }
    res.locals.user = user;
    // What a signed-in person sees is theirs: no browser or proxy keeps a copy for the next one at this computer.
    res.setHeader("Cache-Control", "no-store");
    next();
  };
}
