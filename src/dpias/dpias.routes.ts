import { Router } from "express";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { receiveUpload } from "../documents/documents.middleware";
import { requireLogin, requirePermission } from "../http/auth";
import { dpiaHandlers } from "./dpias.handlers";

type Logger = { error: (...args: unknown[]) => void };

export function dpiaRoutes(db: Db, config: Pick<Config, "documentsDir" | "uploadMaxBytes">, logger: Logger = console): Router {
  const h = dpiaHandlers(db, config, logger);
  // The register of DPIAs is the board's: school users are kept out (register.read), as from suppliers.
  const read = [requireLogin, requirePermission("register.read")];
  const write = [requireLogin, requirePermission("register.write")];
  // The form is multipart (it carries the DPIA report): the global CSRF check parsed it and checked the token.
  const upload = receiveUpload("document");
  return Router()
    .get("/dpias", ...read, h.index)
    .get("/applications/:id/dpia", ...read, h.show)
    .get("/applications/:id/dpia/edit", ...write, h.editForm)
    .post("/applications/:id/dpia", ...write, upload, h.update)
    .get("/applications/:id/dpia/document", ...read, h.download);
}
