// Start-up as the server does it: on an empty file, on an existing one, what it refuses to open (issue 17, item
// 8h), and migrations that keep data.
import Database from "better-sqlite3";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { loadConfig } from "../src/config";
import { memoByVersion, migrateDatabase, MIGRATIONS_DIR, openDatabase } from "../src/db/client";
import { start } from "../src/server";
import { testConfig } from "./helpers/app";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ibp-startup-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("start-up", () => {
  it("creates, migrates and seeds a new register in a new folder when told to, creates the first admin, and restarts on it keeping the data", async () => {
    const config = testConfig({
      databasePath: join(dir, "data", "register.sqlite"),
      createRegister: true,
      port: 0,
      adminEmail: "eerste@bestuur.example",
      adminPassword: "een-lang-wachtwoord",
    });
    const first = await start(config);
    const health = await request(first.url).get("/health");
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: "ok", database: "ok" });
    expect(first.connection.sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    await first.stop();

    const second = await start(config);
    const sqlite = second.connection.sqlite;
    expect(sqlite.prepare("select count(*) n from users").get()).toEqual({ n: 1 });
    expect(sqlite.prepare("select count(*) n from data_categories").get()).toEqual({ n: 16 });
    expect(sqlite.prepare("select count(*) n from fora_domains").get()).toEqual({ n: 6 });
    expect(sqlite.prepare("select email from users").get()).toEqual({ email: "eerste@bestuur.example" });
    await second.stop();
  });

  it("generates a strong admin password when none is configured and prints it once", async () => {
    const log = jest.spyOn(console, "log").mockImplementation(() => {});
    const config = testConfig({ databasePath: join(dir, "register.sqlite"), port: 0, adminEmail: undefined, adminPassword: undefined });
    const running = await start(config);
    const printed = log.mock.calls.map((c) => c.join(" ")).join("\n");
    log.mockRestore();
    const password = /Wachtwoord \(wordt maar één keer getoond\): (\S+)/.exec(printed)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
    const stored = running.connection.sqlite.prepare("select password_hash from users").get() as { password_hash: string };
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
    expect(stored.password_hash).not.toContain(password!);
    await running.stop();
  });

  it("answers the health check with 503 when the database is gone", async () => {
    const running = await start(testConfig({ databasePath: join(dir, "register.sqlite"), port: 0, adminPassword: "een-lang-wachtwoord" }));
    running.connection.sqlite.close();
    const res = await request(running.url).get("/health");
    expect(res.status).toBe(503);
    await new Promise<void>((resolve) => running.server.close(() => resolve()));
  });
});

describe("what DATABASE_PATH points at", () => {
  const config = (databasePath: string, overrides: Parameters<typeof testConfig>[0] = {}) =>
    testConfig({ databasePath, port: 0, adminPassword: "een-lang-wachtwoord", ...overrides });

  it("refuses a path whose folder does not exist, in Dutch, and creates nothing", async () => {
    const path = join(dir, "dat", "register.sqlite");
    await expect(start(config(path))).rejects.toThrow(`De map ${join(dir, "dat")} bestaat niet (DATABASE_PATH=${path})`);
    await expect(start(config(path))).rejects.toThrow("CREATE_REGISTER=1");
    expect(existsSync(join(dir, "dat"))).toBe(false);
  });

  it("reads CREATE_REGISTER from the environment, off unless set", () => {
    expect(loadConfig({}).createRegister).toBe(false);
    expect(loadConfig({ CREATE_REGISTER: "1" }).createRegister).toBe(true);
  });

  it("starts a new register on a file that does not exist yet in an existing folder, and on an empty file", async () => {
    for (const path of [join(dir, "nieuw.sqlite"), join(dir, "leeg.sqlite")]) {
      if (path.endsWith("leeg.sqlite")) writeFileSync(path, "");
      const running = await start(config(path));
      expect(running.connection.sqlite.prepare("select count(*) n from data_categories").get()).toEqual({ n: 16 });
      await running.stop();
    }
  });

  it("refuses an SQLite database of another program, even when told to create a register, and leaves it as it was", async () => {
    const path = join(dir, "ander.sqlite");
    const other = new Database(path);
    other.exec("create table klanten (id integer primary key, naam text); insert into klanten (naam) values ('Jansen');");
    other.close();
    const before = readFileSync(path);
    for (const createRegister of [false, true]) {
      await expect(start(config(path, { createRegister }))).rejects.toThrow(`Het bestand ${path} (DATABASE_PATH) is een SQLite-database van een ander programma`);
    }
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(["ander.sqlite"]);
  });

  it("refuses a database of another drizzle application, whose first migration is not the register's", async () => {
    const path = join(dir, "drizzle-app.sqlite");
    const other = new Database(path);
    other.exec("create table __drizzle_migrations (id integer primary key, hash text not null, created_at numeric); insert into __drizzle_migrations (hash, created_at) values ('abc', 1600000000000); create table posts (id integer);");
    other.close();
    await expect(start(config(path, { createRegister: true }))).rejects.toThrow("SQLite-database van een ander programma");
  });

  it("refuses a file that is not an SQLite database at all, and leaves it as it was", async () => {
    const path = join(dir, "register.sqlite");
    writeFileSync(path, "naam;leverancier\nSomtoday;Topicus\n");
    await expect(start(config(path, { createRegister: true }))).rejects.toThrow(`Het bestand ${path} (DATABASE_PATH) is geen SQLite-database`);
    expect(readFileSync(path, "utf8")).toBe("naam;leverancier\nSomtoday;Topicus\n");
  });

  it("refuses a register that a newer version of the code has migrated", async () => {
    const path = join(dir, "register.sqlite");
    const connection = openDatabase(path);
    migrateDatabase(connection);
    connection.sqlite.prepare("insert into __drizzle_migrations (hash, created_at) values ('nieuwer', 9999999999999)").run();
    connection.close();
    await expect(start(config(path))).rejects.toThrow(`De database ${path} is bijgewerkt door een nieuwere versie van het IBP-register`);
  });
});

describe("migrations", () => {
  it("keep child rows when a later migration rebuilds their parent table", () => {
    const file = join(dir, "register.sqlite");
    const connection = openDatabase(file);
    migrateDatabase(connection);
    const { sqlite } = connection;
    sqlite.prepare("insert into suppliers (name) values ('Leverancier')").run();
    sqlite.prepare("insert into schools (name, brin, sector) values ('School', '12AB', 'po')").run();
    sqlite.prepare("insert into applications (name, supplier_id) values ('App', 1)").run();
    sqlite.prepare("insert into application_schools (application_id, school_id) values (1, 1)").run();
    sqlite.prepare("insert into application_data (application_id, data_category_id, data_subject_id) select 1, c.id, s.id from (select 1 id) c, (select 1 id) s where 0").run();
    connection.close();

    // A migration as drizzle-kit writes a table rebuild: new table, copy, drop, rename. application_schools
    // cascades on the delete of its application, so this would empty it if foreign keys stayed on.
    const folder = join(dir, "migrations");
    cpSync(MIGRATIONS_DIR, folder, { recursive: true });
    const journalPath = join(folder, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { idx: number; when: number; tag: string; breakpoints: boolean; version: string }[] };
    const last = journal.entries[journal.entries.length - 1]!;
    const tag = "9999_rebuild_applications";
    const createSql = (sqlite0: Database.Database) =>
      (sqlite0.prepare("select sql from sqlite_master where name = 'applications'").get() as { sql: string }).sql;
    const probe = new Database(file);
    const original = createSql(probe);
    probe.close();
    writeFileSync(
      join(folder, `${tag}.sql`),
      [
        "PRAGMA foreign_keys=OFF;",
        original.replace("CREATE TABLE `applications`", "CREATE TABLE `__new_applications`"),
        "INSERT INTO `__new_applications` SELECT * FROM `applications`;",
        "DROP TABLE `applications`;",
        "ALTER TABLE `__new_applications` RENAME TO `applications`;",
        "PRAGMA foreign_keys=ON;",
      ].join("\n--> statement-breakpoint\n"),
    );
    journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag });
    writeFileSync(journalPath, JSON.stringify(journal));

    const again = openDatabase(file);
    migrateDatabase(again, folder);
    expect(again.sqlite.prepare("select count(*) n from application_schools").get()).toEqual({ n: 1 });
    expect(again.sqlite.prepare("select count(*) n from applications").get()).toEqual({ n: 1 });
    expect(again.sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    again.close();
  });
});

describe("the change counter", () => {
  it("counts changes to register tables, not to sessions or the audit log, and survives a restart", () => {
    const file = join(dir, "register.sqlite");
    const connection = openDatabase(file);
    migrateDatabase(connection);
    const version = () => (connection.sqlite.prepare("select version from register_state").get() as { version: number }).version;
    const start = version();
    connection.sqlite.prepare("insert into suppliers (name) values ('Leverancier')").run();
    connection.sqlite.prepare("update suppliers set notes = 'x'").run();
    expect(version()).toBe(start + 2);
    connection.sqlite.prepare("insert into sessions (sid, data, expires_at) values ('s', '{}', 0)").run();
    connection.sqlite.prepare("insert into audit_log (at, actor, action, entity_type, summary) values (0, 'x', 'create', 'x', 'x')").run();
    expect(version()).toBe(start + 2);
    connection.close();
    const again = openDatabase(file);
    migrateDatabase(again);
    again.sqlite.prepare("delete from suppliers").run();
    expect((again.sqlite.prepare("select version from register_state").get() as { version: number }).version).toBe(start + 3);
    again.close();
  });

  it("does not count a log-in's time, but does count any other change to a user", () => {
    const connection = openDatabase(join(dir, "register.sqlite"));
    migrateDatabase(connection);
    const version = () => (connection.sqlite.prepare("select version from register_state").get() as { version: number }).version;
    connection.sqlite.prepare("insert into users (email, name, role, password_hash) values ('a@school.example', 'A', 'auditor', 'x')").run();
    const start = version();
    connection.sqlite.prepare("update users set last_login_at = 1").run();
    expect(version()).toBe(start);
    connection.sqlite.prepare("update users set name = 'B', last_login_at = 2").run();
    connection.sqlite.prepare("update users set disabled_at = 3").run();
    expect(version()).toBe(start + 2);
    connection.close();
  });

  it("serves kept values until the register changes, and never keeps what a transaction read", () => {
    const connection = openDatabase(join(dir, "register.sqlite"));
    migrateDatabase(connection);
    let computed = 0;
    const count = () =>
      memoByVersion(connection.db, "suppliers", () => {
        computed += 1;
        return (connection.sqlite.prepare("select count(*) as n from suppliers").get() as { n: number }).n;
      });
    expect([count(), count()]).toEqual([0, 0]);
    expect(computed).toBe(1);
    // A write that rolls back brings the counter back: what was read inside it must not be served afterwards.
    expect(() =>
      connection.sqlite.transaction(() => {
        connection.sqlite.prepare("insert into suppliers (name) values ('Teruggedraaid')").run();
        expect(count()).toBe(1);
        throw new Error("terugdraaien");
      })(),
    ).toThrow("terugdraaien");
    expect(count()).toBe(0);
    connection.sqlite.prepare("insert into suppliers (name) values ('Blijvend')").run();
    expect(count()).toBe(1);
    expect(computed).toBe(3);
    connection.close();
  });
});
