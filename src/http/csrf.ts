// Synchroniser-token CSRF protection (csrf-sync): the token lives in the session and every state-changing
// request must send it back, as the form field _csrf or the X-CSRF-Token header.
import { csrfSync } from "csrf-sync";
import type { NextFunction, Request, Response } from "express";

const { csrfSynchronisedProtection, generateToken, isRequestValid } = csrfSync({
  // csrf-sync reads only a header by default; forms send a hidden field.
  getTokenFromRequest: (req) => (req.body as { _csrf?: string } | undefined)?._csrf ?? (req.headers["x-csrf-token"] as string | undefined),
});

const isMultipart = (req: Request) => (req.headers["content-type"] ?? "").startsWith("multipart/form-data");

/**
 * Checks every POST/PUT/PATCH/DELETE. A multipart upload has no parsed body yet at this point: its route
 * parses the upload first and then calls verifyCsrfAfterUpload before touching anything.
 */
export function csrfProtection(req: Request, res: Response, next: NextFunction): void {
  if (isMultipart(req) && req.method === "POST") return next();
  csrfSynchronisedProtection(req, res, next);
}

export function verifyCsrfAfterUpload(req: Request, res: Response, next: NextFunction): void {
  csrfSynchronisedProtection(req, res, next);
}

/** Puts the session's token on every page for the forms. */
export function exposeCsrfToken(req: Request, res: Response, next: NextFunction): void {
  res.locals.csrfToken = generateToken(req);
  next();
}

export { isRequestValid as isCsrfRequestValid };
