import { Router } from "express";
import { schemaVersion, type Connection } from "../db/client";

/** For load balancers and monitoring: answers without a session, and checks that the database answers. */
export function healthRoutes(connection: Connection): Router {
  return Router().get("/health", (_req, res) => {
    try {
      connection.sqlite.prepare("select 1").get();
      res.json({ status: "ok", database: "ok", schemaVersion: schemaVersion(connection) });
    } catch {
      res.status(503).json({ status: "error", database: "unavailable" });
    }
  });
}
