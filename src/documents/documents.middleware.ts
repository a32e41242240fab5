// Parses a multipart form with one file field into memory, with hard limits. It runs before the CSRF check
// (the token is a field of the multipart body), so it must do nothing but parse: storing the file is the
// handler's work, after verifyCsrfAfterUpload. Put the file input last in the form: when the file is too
// large the parser stops there, and every field before it is still in req.body for the 422 page.
import type { NextFunction, Request, Response } from "express";
import multer from "multer";
import type { Config } from "../config";
import { BadRequestError } from "../http/errors";
import { t } from "../i18n";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Set when the uploaded file was over config.uploadMaxBytes; the form shows it at the file field. */
      uploadTooLarge?: boolean;
    }
  }
}

export function receiveUpload(config: Pick<Config, "uploadMaxBytes">, fieldName = "document") {
  const parse = multer({
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
  }).single(fieldName);

  return function parseUpload(req: Request, res: Response, next: NextFunction): void {
    parse(req, res, (err?: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError && err.code === "LIMIT_FILE_SIZE") {
        res.locals.uploadTooLarge = true;
        return next();
      }
      if (err instanceof multer.MulterError) return next(new BadRequestError(t("documents.badUpload")));
      next(err);
    });
  };
}
