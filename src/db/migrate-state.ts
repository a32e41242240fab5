// What the file at DATABASE_PATH is, before anything opens it for real: nothing yet (a new register), this
// register's database (and whether its migrations are all applied), or something else. Only the server's start-up
// creates or migrates a register (src/server.ts); the command-line tools open only a register that is up to date,
// and change nothing in its schema. Infrastructure: imports no feature.
import Database from "better-sqlite3";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { t } from "../i18n";
import { MIGRATIONS_DIR } from "../paths";

export type DatabaseState =
  | { kind: "memory" }
  /** The folder the file would go in does not exist: most likely a mistyped path. */
  | { kind: "no-folder"; folder: string }
  /** No register yet: no file, an empty file, or an SQLite database without tables. */
  | { kind: "new" }
  | { kind: "not-sqlite" }
  /** An SQLite database of some other program (or of another drizzle application). */
  | { kind: "foreign" }
  /** This register's database: `pending` migrations of this code not yet applied, `newer` ones this code does not know. */
  | { kind: "register"; pending: number; newer: number };

/** A database file the register will not open, with the Dutch reason. */
export class DatabaseRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatabaseRefusedError";
  }
}

const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");

function startsLikeSqlite(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const read = readSync(fd, head, 0, head.length, 0);
    return read === head.length && head.equals(SQLITE_HEADER);
  } finally {
    closeSync(fd);
  }
}

/** The moments (drizzle's created_at) of this code's migrations, oldest first. */
function knownMigrations(migrationsFolder: string): number[] {
  return readMigrationFiles({ migrationsFolder }).map((m) => m.folderMillis);
}

/**
 * What `path` holds, judged without changing it: the file is only read (and opened only when it starts like an
 * SQLite file). A register is recognised by its migrations table, whose first entry is this code's first migration.
 */
export function inspectDatabase(path: string, migrationsFolder = MIGRATIONS_DIR): DatabaseState {
  if (path === ":memory:") return { kind: "memory" };
  const folder = dirname(resolve(path));
  if (!existsSync(folder)) return { kind: "no-folder", folder };
  if (!existsSync(path) || statSync(path).size === 0) return { kind: "new" };
  if (!statSync(path).isFile() || !startsLikeSqlite(path)) return { kind: "not-sqlite" };

  let sqlite: Database.Database | undefined;
  try {
    // Not read-only: a read-only connection to a WAL database leaves its -wal and -shm files behind. It only reads.
    sqlite = new Database(path, { fileMustExist: true });
    const tables = sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").pluck().all() as string[];
    // drizzle makes its table before the first migration's transaction: a first start that failed leaves it empty.
    const applied = tables.includes("__drizzle_migrations")
      ? (sqlite.prepare("select created_at from __drizzle_migrations order by created_at").pluck().all() as (number | string)[]).map(Number)
      : [];
    if (applied.length === 0) return tables.every((name) => name === "__drizzle_migrations") ? { kind: "new" } : { kind: "foreign" };
    const known = knownMigrations(migrationsFolder);
    if (applied[0] !== known[0]) return { kind: "foreign" };
    const newest = applied[applied.length - 1]!;
    return {
      kind: "register",
      // drizzle applies every migration newer than the newest applied one: those are the pending ones.
      pending: known.filter((when) => when > newest).length,
      newer: applied.filter((when) => !known.includes(when)).length,
    };
  } catch (err) {
    // A file with an SQLite header that SQLite cannot read as a database.
    if ((err as { code?: string }).code === "SQLITE_NOTADB" || (err as { code?: string }).code === "SQLITE_CORRUPT") return { kind: "not-sqlite" };
    throw err;
  } finally {
    sqlite?.close();
  }
}

/**
 * Refuses, with a Dutch message, to start the server on anything but a register or a place for a new one. A new
 * register in a folder that does not exist needs `createRegister` (CREATE_REGISTER=1): a mistyped path must not
 * quietly start an empty register. A file that is not this register's database is never opened, flag or not.
 */
export function assertServerMayOpen(path: string, options: { createRegister: boolean; migrationsFolder?: string }): DatabaseState {
  const state = inspectDatabase(path, options.migrationsFolder);
  switch (state.kind) {
    case "no-folder":
      if (!options.createRegister) throw new DatabaseRefusedError(t("database.refused.noFolder", { folder: state.folder, path }));
      return state;
    case "not-sqlite":
      throw new DatabaseRefusedError(t("database.refused.notSqlite", { path }));
    case "foreign":
      throw new DatabaseRefusedError(t("database.refused.foreign", { path }));
    case "register":
      if (state.newer > 0) throw new DatabaseRefusedError(t("database.refused.newer", { path }));
      return state;
    default:
      return state;
  }
}

/**
 * Refuses, with a Dutch message, to let a command-line tool open anything but a register whose migrations are all
 * applied. A tool never migrates or creates: that is the server's start-up, and a tool doing it beside a running
 * server changes the schema under the server's feet.
 */
export function assertToolMayOpen(path: string, migrationsFolder?: string): void {
  const state = inspectDatabase(path, migrationsFolder);
  switch (state.kind) {
    case "memory":
    case "no-folder":
    case "new":
      throw new DatabaseRefusedError(t("database.refused.missing", { path }));
    case "not-sqlite":
      throw new DatabaseRefusedError(t("database.refused.notSqlite", { path }));
    case "foreign":
      throw new DatabaseRefusedError(t("database.refused.foreign", { path }));
    case "register":
      if (state.newer > 0) throw new DatabaseRefusedError(t("database.refused.newer", { path }));
      if (state.pending > 0) throw new DatabaseRefusedError(t("database.refused.notMigrated", { path }));
  }
}
