// The upload routes' part of a multipart form. The body (fields and at most one file, in memory, with hard
// limits) was already parsed by the global CSRF check (src/http/csrf.ts), which had to read it to find the
// token; this only hands the route its one file. Nothing is stored here: that is the handler's work. Put the
// file input last in the form: when the file is too large the parser stops there, every field before it is
// still in req.body for the 422 page, and res.locals.uploadTooLarge is set. The file is read with a PDF
// parser here (asynchronous), so that storeDocument can refuse active content the parser found.
import type { NextFunction, Request, Response } from "express";
import { BadRequestError } from "../http/errors";
import { t } from "../i18n";
import { inspectDocument } from "./documents.service";

export function receiveUpload(fieldName: string) {
  return async function pickUpload(req: Request, _res: Response, next: NextFunction): Promise<void> {
    const files = Array.isArray(req.files) ? req.files : [];
    // The form has one file field: a file under any other name is not the form's.
    if (files.some((file) => file.fieldname !== fieldName)) return next(new BadRequestError(t("documents.badUpload")));
    req.file = files[0];
    if (req.file) await inspectDocument(req.file.buffer);
    next();
  };
}
