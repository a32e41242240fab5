// Command-line tools beside the running server (issue 17, item 8c): a tool opens only a register the server has
// brought up to date and never changes its schema, and every transaction takes the write lock at its start, so a
// tool's write between a save's read and its write makes the save wait instead of failing with SQLITE_BUSY_SNAPSHOT.
import Database from "better-sqlite3";
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createApp } from "../src/app";
import { runVerify } from "../src/audit/verify-cli";
import { ensureBoard } from "../src/board/board.repository";
import { migrateDatabase, MIGRATIONS_DIR, openRegister, openRegisterForTool, type Connection } from "../src/db/client";
import { DatabaseRefusedError } from "../src/db/migrate-state";
import { suppliers } from "../src/db/schema";
import { seedReferenceData } from "../src/db/seed/reference";
import { transactionSerial } from "../src/db/transactions";
import { loginAs, makeUser, quietLogger, testConfig, twoFactorOptional } from "./helpers/app";

const ROOT = join(__dirname, "..");

let dir: string;
let file: string;
const open: Connection[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ibp-db-tools-"));
  file = join(dir, "register.sqlite");
});
afterEach(() => {
  jest.restoreAllMocks();
  for (const connection of open.splice(0)) if (connection.sqlite.open) connection.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The register as the server's start-up leaves it: opened, migrated, triggers made. */
function serverConnection(path = file, migrationsFolder = MIGRATIONS_DIR): Connection {
  const connection = openRegister(path, { createRegister: false });
  migrateDatabase(connection, migrationsFolder);
  open.push(connection);
  return connection;
}

const schemaOf = (sqlite: Database.Database) => ({
  version: sqlite.pragma("schema_version", { simple: true }) as number,
  objects: sqlite.prepare("select type, name, sql from sqlite_master order by type, name").all(),
});

/** Whether another connection can take the write lock now, without waiting. */
function writeLockOf(path: string): "free" | string {
  const other = new Database(path);
  other.pragma("busy_timeout = 0");
  try {
    other.exec("begin immediate; rollback");
    return "free";
  } catch (err) {
    return (err as { code: string }).code;
  } finally {
    other.close();
  }
}

/** A copy of the migrations folder without its newest migration: a register as an older version left it. */
function olderMigrations(): string {
  const folder = join(dir, "migrations-older");
  cpSync(MIGRATIONS_DIR, folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: unknown[] };
  journal.entries.pop();
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

describe("transactions", () => {
  it("take the write lock when they begin, whatever form starts them, and nested ones stay savepoints", () => {
    const { db, sqlite } = serverConnection();
    const seen: string[] = [];
    db.transaction(() => seen.push(writeLockOf(file)));
    db.transaction(() => seen.push(writeLockOf(file)), { behavior: "deferred" });
    sqlite.transaction(() => seen.push(writeLockOf(file)))();
    sqlite.transaction(() => seen.push(writeLockOf(file))).deferred();
    expect(seen).toEqual(["SQLITE_BUSY", "SQLITE_BUSY", "SQLITE_BUSY", "SQLITE_BUSY"]);
    expect(writeLockOf(file)).toBe("free");

    db.transaction((tx) => {
      tx.insert(suppliers).values({ name: "Buiten" }).run();
      expect(() =>
        tx.transaction((inner) => {
          inner.insert(suppliers).values({ name: "Binnen" }).run();
          throw new Error("terug");
        }),
      ).toThrow("terug");
    });
    expect(db.select({ name: suppliers.name }).from(suppliers).all()).toEqual([{ name: "Buiten" }]);
  });

  it("are still numbered one by one, for the change history", () => {
    const { db, sqlite } = serverConnection();
    const serials: (number | undefined)[] = [];
    db.transaction(() => serials.push(transactionSerial(sqlite)));
    db.transaction((tx) => tx.transaction(() => serials.push(transactionSerial(sqlite))));
    serials.push(transactionSerial(sqlite));
    expect(serials[0]).toBeDefined();
    expect(serials[1]).toBe(serials[0]! + 1);
    expect(serials[2]).toBeUndefined();
  });
});

describe("a command-line tool", () => {
  it("opens the register without changing its schema: no migration, no triggers made anew", () => {
    const server = serverConnection();
    const before = schemaOf(server.sqlite);
    const lines: string[] = [];
    expect(runVerify(file, (line) => lines.push(line))).toBe(0);
    const tool = openRegisterForTool(file);
    open.push(tool);
    expect(schemaOf(server.sqlite)).toEqual(before);
  });

  it("refuses a register the server has not brought up to date, in Dutch, and changes nothing", () => {
    const server = serverConnection(file, olderMigrations());
    const before = schemaOf(server.sqlite);
    const applied = server.sqlite.prepare("select count(*) from __drizzle_migrations").pluck().get();
    expect(() => runVerify(file, () => {})).toThrow(DatabaseRefusedError);
    expect(() => runVerify(file, () => {})).toThrow(
      `De database ${file} is nog niet bijgewerkt naar deze versie van het IBP-register. Start eerst de server (npm start): die werkt de database bij.`,
    );
    expect(schemaOf(server.sqlite)).toEqual(before);
    expect(server.sqlite.prepare("select count(*) from __drizzle_migrations").pluck().get()).toBe(applied);
  });

  it("refuses a path without a register and creates none", () => {
    const missing = join(dir, "typfout.sqlite");
    expect(() => openRegisterForTool(missing)).toThrow(`Er is geen register op ${missing}: controleer DATABASE_PATH.`);
    expect(existsSync(missing)).toBe(false);
    const foreign = new Database(join(dir, "ander.sqlite"));
    foreign.exec("create table klanten (id integer)");
    foreign.close();
    expect(() => openRegisterForTool(join(dir, "ander.sqlite"))).toThrow("is een SQLite-database van een ander programma");
  });

  it("`npm run digest` refuses a register that is not up to date, with exit code 1, and leaves it as it was", async () => {
    const server = serverConnection(file, olderMigrations());
    const before = schemaOf(server.sqlite);
    const result = await promisify(execFile)(process.execPath, ["--import", "tsx", join(ROOT, "src", "reminders", "digest-cli.ts")], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "test", DATABASE_PATH: file, SMTP_HOST: "127.0.0.1", SMTP_PORT: "1" },
    }).then(
      () => ({ code: 0, err: "" }),
      (err: { code: number; stderr: string }) => ({ code: err.code, err: err.stderr }),
    );
    expect(result).toEqual({ code: 1, err: expect.stringContaining("is nog niet bijgewerkt naar deze versie van het IBP-register") });
    expect(schemaOf(server.sqlite)).toEqual(before);
  }, 30_000);

  it("`npm run backup` refuses a database that is not the register's, with exit code 1", async () => {
    const foreign = new Database(file);
    foreign.exec("create table klanten (id integer)");
    foreign.close();
    const result = await promisify(execFile)(process.execPath, ["--import", "tsx", join(ROOT, "src", "backup", "backup-cli.ts"), join(dir, "backups")], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "test", DATABASE_PATH: file, DOCUMENTS_DIR: join(dir, "documents") },
    }).then(
      () => ({ code: 0, err: "" }),
      (err: { code: number; stderr: string }) => ({ code: err.code, err: err.stderr }),
    );
    expect(result).toEqual({ code: 1, err: expect.stringContaining("is een SQLite-database van een ander programma") });
    expect(existsSync(join(dir, "backups"))).toBe(false);
  }, 30_000);
});

describe("a save while a command-line tool works beside the server", () => {
  it("succeeds: the tool that writes between the save's read and its write waits for the save instead of breaking it", async () => {
    const connection = serverConnection();
    seedReferenceData(connection.db);
    ensureBoard(connection.db, "Stichting Testbestuur");
    twoFactorOptional(connection.db);
    const app = createApp({ connection, config: testConfig({ databasePath: file }), logger: quietLogger });
    try {
      const { agent, token } = await loginAs(app, await makeUser(connection.db, "privacy_officer"));
      const csrf = await token();

      // The save has read (is the name unique?) and is about to insert: now a tool opens the register and writes,
      // as `npm run digest` queues its mail. Its busy_timeout is 0 here because it runs on the server's own thread;
      // as a process of its own it would wait (busy_timeout 5 s) until the save commits.
      const prepare = connection.sqlite.prepare.bind(connection.sqlite);
      let toolWrite: string | undefined;
      jest.spyOn(connection.sqlite, "prepare").mockImplementation(((source: string) => {
        if (toolWrite === undefined && connection.sqlite.inTransaction && /^insert into "suppliers"/i.test(source)) {
          const tool = openRegisterForTool(file);
          open.push(tool);
          tool.sqlite.pragma("busy_timeout = 0");
          try {
            tool.sqlite.prepare("insert into sessions (sid, data, expires_at) values ('tool', '{}', 0)").run();
            toolWrite = "written";
          } catch (err) {
            toolWrite = (err as { code: string }).code;
          }
        }
        return prepare(source);
      }) as typeof connection.sqlite.prepare);

      const res = await agent.post("/suppliers").type("form").send({ name: "Topicus", covenantStatus: "deelnemer", _csrf: csrf });
      expect(res.status).toBe(303);
      expect(toolWrite).toBe("SQLITE_BUSY");
      expect(connection.db.select({ name: suppliers.name }).from(suppliers).all()).toEqual([{ name: "Topicus" }]);
      // Once the save has committed, the tool writes.
      expect(writeLockOf(file)).toBe("free");
    } finally {
      app.close();
    }
  });
});
