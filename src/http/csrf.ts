// Synchroniser-token CSRF protection (csrf-sync): the token lives in the session and every state-changing
// request must send it back, as the form field _csrf or the X-CSRF-Token header. One check, before any route,
// whatever the body type: a multipart body is parsed here (into memory, with hard limits) so that its _csrf
// field can be read, and the upload routes pick up the file this parse kept.
import { csrfSync } from "csrf-sync";
import type { NextFunction, Request, Response } from "express";
import multer from "multer";
import type { Config } from "../config";
import { t } from "../i18n";
import { BadRequestError } from "./errors";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Set when the uploaded file was over config.uploadMaxBytes; the form shows it at the file field. */
      uploadTooLarge?: boolean;
    }
  }
}

const IGNORED_METHODS: ("GET" | "HEAD" | "OPTIONS")[] = ["GET", "HEAD", "OPTIONS"];
const isIgnored = (req: Request) => (IGNORED_METHODS as string[]).includes(req.method);

const { csrfSynchronisedProtection, generateToken, getTokenFromState, invalidCsrfTokenError, isRequestValid } = csrfSync({
  ignoredMethods: IGNORED_METHODS,
  // csrf-sync reads only a header by default; forms send a hidden field.
  getTokenFromRequest: (req) => (req.body as { _csrf?: string } | undefined)?._csrf ?? (req.headers["x-csrf-token"] as string | undefined),
});

const isMultipart = (req: Request) => (req.headers["content-type"] ?? "").toLowerCase().startsWith("multipart/form-data");
const sessionHoldsToken = (req: Request) => typeof getTokenFromState(req) === "string";

/**
 * Checks every POST/PUT/PATCH/DELETE before any route sees it. A multipart body is only parsed when the
 * session holds a token at all: a request that cannot carry a valid one is refused before a byte is read.
 * The parse keeps at most one file, of at most uploadMaxBytes; a larger file stops the parse there (fields
 * before it are kept, so the form's _csrf comes first) and sets res.locals.uploadTooLarge for the 422 page.
 */
export function csrfProtection(config: Pick<Config, "uploadMaxBytes">) {
  const parseMultipart = multer({
    storage: multer.memoryStorage(),
    // Browsers send the file name as raw UTF-8; busboy would read it as latin1.
    defParamCharset: "utf8",
    limits: {
      fileSize: config.uploadMaxBytes,
      files: 1,
      fields: 2000,
      parts: 2001,
      fieldSize: 64 * 1024,
      fieldNameSize: 100,
      fieldNestingDepth: 2,
      fieldArrayIndexLimit: 500,
      headerPairs: 100,
    },
  }).any();

  return function checkCsrf(req: Request, res: Response, next: NextFunction): void {
    if (isIgnored(req) || !isMultipart(req)) return csrfSynchronisedProtection(req, res, next);
    if (!sessionHoldsToken(req)) return next(invalidCsrfTokenError);
    parseMultipart(req, res, (err?: unknown) => {
      if (err instanceof multer.MulterError && err.code === "LIMIT_FILE_SIZE") res.locals.uploadTooLarge = true;
      else if (err) {
        // A body that could not be read is refused; as a bad upload only when it did carry this session's token.
        return next(isRequestValid(req) ? new BadRequestError(t("documents.badUpload")) : invalidCsrfTokenError);
      }
      csrfSynchronisedProtection(req, res, next);
    });
  };
}

/**
 * Puts the session's token on every page for the forms. A state-changing request whose session holds no
 * token does not get one made here: it will be refused, and it must not leave a new session behind.
 */
export function exposeCsrfToken(req: Request, res: Response, next: NextFunction): void {
  if (isIgnored(req) || sessionHoldsToken(req)) res.locals.csrfToken = generateToken(req);
  next();
}
