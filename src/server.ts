// Entry point: config → open database → migrate → reference data → first admin → createApp → listen → digest job.
// Closes cleanly on SIGTERM/SIGINT: stops accepting, lets requests finish, closes the database.
import type { Server } from "node:http";
import { createApp } from "./app";
import { prepareAuditChain } from "./audit/audit.verify";
import { ensureFirstAdmin } from "./auth/auth.service";
import { ensureBoard } from "./board/board.repository";
import { loadConfig, type Config } from "./config";
import { migrateDatabase, openRegister, type Connection } from "./db/client";
import { seedReferenceData } from "./db/seed/reference";
import { appLogger, createLogger } from "./http/logging";
import { startDigestJob } from "./reminders/reminders.digest";

export type Running = { server: Server; connection: Connection; url: string; stop: () => Promise<void> };

export async function start(config: Config, prepare?: (connection: Connection) => Promise<void> | void): Promise<Running> {
  const log = (...args: unknown[]) => config.logLevel === "info" && console.log(...args);
  // Requests, warnings and errors as JSON lines at LOG_LEVEL; the messages for the person starting the server stay plain text.
  const logger = createLogger(config);
  // Only this register's database, or a place for a new one: a mistyped path or a foreign file is refused.
  const connection = openRegister(config.databasePath, { createRegister: config.createRegister });
  migrateDatabase(connection);
  // Seals a history from before the chain; entries without a hash in a chained history are reported, not sealed.
  const chain = prepareAuditChain(connection.db);
  if (chain.warning && config.logLevel !== "silent") console.warn(chain.warning);
  seedReferenceData(connection.db);
  ensureBoard(connection.db);
  if (prepare) await prepare(connection);

  const admin = await ensureFirstAdmin(connection.db, { email: config.adminEmail, password: config.adminPassword });
  if (admin?.generatedPassword) {
    console.log(`\nEerste beheerder aangemaakt: ${admin.email}\nWachtwoord (wordt maar één keer getoond): ${admin.generatedPassword}\n`);
  } else if (admin) {
    log(`Eerste beheerder aangemaakt: ${admin.email} (wachtwoord uit ADMIN_PASSWORD)`);
  }

  const app = createApp({ connection, config, log: logger });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host === "0.0.0.0" || config.host === "127.0.0.1" ? "localhost" : config.host}:${port}`;

  // The reminder digest, once the server listens (a no-op without SMTP): its timers are unref'd.
  const digest = startDigestJob(connection.db, config, appLogger(logger));

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= new Promise<void>((resolve) => {
      // A digest round may be sending: it finishes before the database closes.
      const digestStopped = digest.stop();
      server.close(() => {
        void digestStopped.then(() => {
          app.close();
          connection.close();
          resolve();
        });
      });
      server.closeIdleConnections();
    }));
  return { server, connection, url, stop };
}

export function stopOnSignals(running: Running): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      console.log(`\n${signal} ontvangen: de server stopt.`);
      void running.stop().then(() => process.exit(0));
    });
  }
}

if (require.main === module) {
  const config = loadConfig();
  start(config)
    .then((running) => {
      console.log(`IBP-register draait op ${running.url} (database: ${config.databasePath})`);
      stopOnSignals(running);
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
