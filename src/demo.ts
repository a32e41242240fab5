// `npm run demo`: starts the register on its own demo database (data/demo.sqlite), filled afresh with a
// fictional board, and prints where to log in as each role. Re-running starts from scratch. It never uses
// DATABASE_PATH: that may be a real register, and the demo deletes its database at every start.
import { rmSync } from "node:fs";
import { hashPassword } from "./auth/passwords";
import { loadConfig } from "./config";
import { DEMO_USERS, seedDemoBoard } from "./demo/demo-board";
import { labels } from "./i18n";
import { start, stopOnSignals } from "./server";

async function main(): Promise<void> {
  const base = loadConfig();
  const databasePath = "data/demo.sqlite";
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${databasePath}${suffix}`, { force: true });
  // A new register on purpose: on a fresh clone data/ does not exist yet, and the demo may make it.
  const config = { ...base, databasePath, createRegister: true, documentsDir: "data/demo-documents", adminEmail: undefined, adminPassword: undefined };

  const running = await start(config, (connection) => seedDemoBoard(connection.db, { now: new Date(), hashPassword }));
  const roles = labels("roles");
  console.log(`\nIBP-register (demo) draait op ${running.url}\n`);
  console.log("Inloggen als:");
  for (const user of DEMO_USERS) {
    console.log(`  ${roles[user.role].padEnd(16)} ${user.email.padEnd(26)} wachtwoord: ${user.password}`);
  }
  console.log(`\nDemodatabase: ${databasePath} (wordt bij elke start opnieuw gevuld). Stoppen: Ctrl+C.\n`);
  stopOnSignals(running);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
