import { Router } from "express";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { receiveUpload } from "../documents/documents.middleware";
import { requireLogin, requirePermission } from "../http/auth";
import { importHandlers } from "./imports.handlers";
import { PendingImports } from "./imports.store";

export function importRoutes(db: Db, config: Pick<Config, "uploadMaxBytes">): Router {
  const h = importHandlers(db, config, new PendingImports());
  const write = [requireLogin, requirePermission("register.write")];
  // The upload is multipart: the global CSRF check parsed it into memory (nothing stored, nothing read yet)
  // and checked the token before the handler looks at it.
  const upload = receiveUpload("file");
  return Router()
    .get("/imports", ...write, h.index)
    .post("/imports", ...write, upload, h.upload)
    .get("/imports/templates/:file", ...write, h.template)
    .get("/imports/:id", ...write, h.preview)
    .get("/imports/:id/mapping", ...write, h.mappingForm)
    .post("/imports/:id/mapping", ...write, h.saveMapping)
    .post("/imports/:id/commit", ...write, h.commit)
    .post("/imports/:id/cancel", ...write, h.cancel);
}
