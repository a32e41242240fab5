import { Router } from "express";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { receiveUpload } from "../documents/documents.middleware";
import { requireLogin, requirePermission } from "../http/auth";
import { agreementHandlers } from "./agreements.handlers";

type Logger = { error: (...args: unknown[]) => void };

export function agreementRoutes(db: Db, config: Pick<Config, "documentsDir" | "uploadMaxBytes">, logger: Logger = console): Router {
  const h = agreementHandlers(db, config, logger);
  // School users pass here; the handlers limit them to the agreements of their own schools.
  const read = [requireLogin, requirePermission("school.read")];
  const write = [requireLogin, requirePermission("register.write")];
  // The forms are multipart (they carry the signed PDF): the global CSRF check parsed them and checked the token.
  const upload = receiveUpload("document");
  return Router()
    .get("/agreements", ...read, h.index)
    .get("/agreements/new", ...write, h.newForm)
    .post("/agreements", ...write, upload, h.create)
    .get("/agreements/:id", ...read, h.show)
    .get("/agreements/:id/document", ...read, h.download)
    .get("/agreements/:id/edit", ...write, h.editForm)
    .post("/agreements/:id", ...write, upload, h.update)
    .get("/agreements/:id/new-version", ...write, h.newVersionForm)
    .get("/agreements/:id/delete", ...write, h.confirmDelete)
    .post("/agreements/:id/delete", ...write, h.destroy);
}
