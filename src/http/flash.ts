import type { NextFunction, Request, Response } from "express";

export type FlashKind = "success" | "error" | "info";

/** Queues a message for the next page (after a 303 redirect). */
export function flash(req: Request, kind: FlashKind, text: string): void {
  req.session.flash = [...(req.session.flash ?? []), { kind, text }];
}

/** Moves queued messages to the page being rendered, once. */
export function exposeFlash(req: Request, res: Response, next: NextFunction): void {
  if (req.session?.flash?.length) {
    res.locals.flash = req.session.flash;
    delete req.session.flash;
  }
  next();
}
