// createApp builds the register's Express app on a given database and configuration. It never listens:
// src/server.ts does, and the tests drive it through supertest.
import express, { type NextFunction, type Request, type Response } from "express";
import session from "express-session";
import helmet from "helmet";
import type { Logger } from "pino";
import { agreementRoutes } from "./agreements/agreements.routes";
import { applicationRoutes } from "./applications/applications.routes";
import { auditRoutes } from "./audit/audit.routes";
import { classificationRoutes } from "./classifications/classifications.routes";
import { complianceRoutes } from "./compliance/compliance.routes";
import { loadUser } from "./auth/auth.middleware";
import { authRoutes } from "./auth/auth.routes";
import { oidcRoutes } from "./auth/oidc.routes";
import { twoFactorRoutes } from "./auth/two-factor.routes";
import { findBoard } from "./board/board.repository";
import { boardRoutes } from "./board/board.routes";
import { categoryRoutes } from "./categories/categories.routes";
import type { Config } from "./config";
import { memoByVersion, type Connection } from "./db/client";
import { foraRoutes } from "./fora/fora.routes";
import { healthRoutes } from "./health/health.routes";
import { homeRoutes } from "./home/home.routes";
import { measureRoutes } from "./measures/measures.routes";
import { csrfProtection, exposeCsrfToken } from "./http/csrf";
import { errorHandler, notFound } from "./http/error-handler";
import { exposeFlash } from "./http/flash";
import { appLogger, createLogger, requestLogging, type AppLogger } from "./http/logging";
import { navigationFor } from "./http/navigation";
import { overviewRoutes } from "./overviews/overviews.routes";
import { breachRoutes } from "./breaches/breaches.routes";
import { dpiaRoutes } from "./dpias/dpias.routes";
import { retentionRoutes } from "./retention/retention.routes";
import { intakeRoutes } from "./intake/intake.routes";
import { reminderRoutes } from "./reminders/reminders.routes";
import { reportRoutes } from "./reports/reports.routes";
import { apiRoutes } from "./api/api.routes";
import { tokenRoutes } from "./api/tokens.routes";
import { backupRoutes } from "./backup/backup.routes";
import { importRoutes } from "./imports/imports.routes";
import { SqliteSessionStore } from "./http/session-store";
import "./http/session-types";
import "./http/validation";
import { createViews, VIEWS_DIR } from "./http/views";
import { schoolRoutes } from "./schools/schools.routes";
import { requireTwoFactorEnrolment } from "./auth/sign-in";
import { settingsRoutes } from "./settings/settings.routes";
import { supplierRoutes } from "./suppliers/suppliers.routes";
import { userRoutes } from "./users/users.routes";

export type AppDeps = {
  connection: Connection;
  config: Config;
  /** The app's own errors; by default written to `log`. */
  logger?: AppLogger;
  /** Where request lines (and by default the app's errors) go; by default standard output at LOG_LEVEL. */
  log?: Logger;
};

export { PUBLIC_DIR } from "./paths";
import { PUBLIC_DIR } from "./paths";

export function createApp({ connection, config, log = createLogger(config), logger = appLogger(log) }: AppDeps) {
  const { db } = connection;
  const views = createViews();
  const idleMs = config.sessionIdleMinutes * 60 * 1000;
  const sessionStore = new SqliteSessionStore(db, idleMs);

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy ? 1 : false);
  app.engine("hbs", views.engine);
  app.set("view engine", "hbs");
  app.set("views", VIEWS_DIR);
  app.set("view cache", true);

  // First, so every response carries its request id and every request is logged, refused ones too.
  app.use(requestLogging(log, { slowMs: config.logSlowMs }));

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'"],
          "style-src": ["'self'"],
          "img-src": ["'self'", "data:"],
          "font-src": ["'self'"],
          "form-action": ["'self'"],
          "frame-ancestors": ["'none'"],
          "base-uri": ["'none'"],
          "object-src": ["'none'"],
        },
      },
      strictTransportSecurity: config.cookieSecure,
      referrerPolicy: { policy: "same-origin" },
    }),
  );
  app.use("/static", express.static(PUBLIC_DIR, { maxAge: config.env === "production" ? "1d" : 0, index: false }));
  app.use(healthRoutes(connection));

  // The JSON API authenticates by personal token only: before the session (a cookie never counts) and CSRF,
  // and before the body parsers (it parses JSON itself, once the token and permission are checked).
  app.use("/api/v1", apiRoutes(db, logger));
  app.use(express.urlencoded({ extended: true, limit: "1mb", parameterLimit: 5000 }));
  app.use(express.json({ limit: "1mb" }));
  app.use(
    session({
      name: "ibp.sid",
      store: sessionStore,
      secret: config.sessionSecret,
      resave: false,
      saveUninitialized: false,
      // rolling: every response pushes the expiry on, so the cookie's maxAge is the idle timeout.
      rolling: true,
      cookie: { httpOnly: true, sameSite: "lax", secure: config.cookieSecure, maxAge: idleMs },
    }),
  );
  app.use(loadUser(db, config.sessionMaxHours * 60 * 60 * 1000));
  app.use(exposeFlash, exposeCsrfToken, (req: Request, res: Response, next: NextFunction) => {
    res.locals.boardName = memoByVersion(db, "boardName", () => findBoard(db)?.name);
    res.locals.nav = navigationFor(res.locals.user, req.path);
    next();
  });
  app.use(csrfProtection(config));
  app.use(requireTwoFactorEnrolment(db));

  app.use(oidcRoutes(db, config, logger));
  app.use(authRoutes(db, config, sessionStore));
  app.use(userRoutes(db, { publicUrl: config.publicUrl, ssoConfigured: Boolean(config.oidc) }));
  app.use(twoFactorRoutes(db, config));
  app.use(homeRoutes(db));
  app.use(schoolRoutes(db));
  app.use(auditRoutes(db));
  app.use(boardRoutes(db));
  app.use(supplierRoutes(db));
  app.use(agreementRoutes(db, config, logger));
  app.use(applicationRoutes(db));
  app.use(classificationRoutes(db));
  app.use(complianceRoutes(db));
  app.use(settingsRoutes(db));
  app.use(categoryRoutes(db));
  app.use(measureRoutes(db));
  app.use(foraRoutes(db));
  app.use(overviewRoutes(db));
  app.use(dpiaRoutes(db, config, logger));
  app.use(breachRoutes(db));
  app.use(retentionRoutes(db));
  app.use(intakeRoutes(db));
  app.use(reminderRoutes(db, config));
  app.use(reportRoutes(db));
  app.use(importRoutes(db, config));
  app.use(tokenRoutes(db));
  app.use(backupRoutes(db, config));

  app.use(notFound);
  app.use(errorHandler({ showStack: config.env !== "production", logger }));

  return Object.assign(app, { close: () => sessionStore.close(), views });
}

export type App = ReturnType<typeof createApp>;
