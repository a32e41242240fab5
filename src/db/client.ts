// Opening and migrating the database. Infrastructure: imports no feature.
import Database from "better-sqlite3";
import { count } from "drizzle-orm";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { assertServerMayOpen, assertToolMayOpen } from "./migrate-state";
import * as schema from "./schema";
import { countTransactions } from "./transactions";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";

export type Db = BetterSQLite3Database<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** A database or a transaction on it: repositories accept either. */
export type DbOrTx = Db | Tx;

export type Connection = { sqlite: Database.Database; db: Db; close: () => void };

export { MIGRATIONS_DIR } from "../paths";
import { MIGRATIONS_DIR } from "../paths";

/** Opens a database file, or a memory database: empty (":memory:") or a copy of a serialized image (tests). */
export function openDatabase(pathOrImage: string | Buffer): Connection {
  const path = typeof pathOrImage === "string" ? pathOrImage : ":memory:";
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const sqlite = new Database(pathOrImage);
  // WAL lets readers work while one writer writes; a memory database cannot use it.
  if (path !== ":memory:") sqlite.pragma("journal_mode = WAL");
  // The register holds personal data: its files are its owner's only, whatever the umask says.
  if (path !== ":memory:") {
    for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
  }
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  // The change history merges one record's entries per transaction (src/audit): it needs their numbers.
  countTransactions(sqlite);
  beginImmediately(sqlite);
  const db = drizzle(sqlite, { schema });
  return { sqlite, db, close: () => sqlite.close() };
}

/**
 * Every transaction on `sqlite` begins IMMEDIATE: it takes the write lock at its start, waiting (busy_timeout)
 * while another connection writes. A deferred transaction (SQLite's and drizzle's default: drizzle's session calls
 * `client.transaction(fn)[behavior ?? "deferred"]`) reads first and asks for the lock at its first write; when
 * another connection (a command-line tool beside the server) wrote in between, its snapshot is stale and SQLite
 * refuses at once with SQLITE_BUSY_SNAPSHOT, which no waiting can cure. Here, once for every caller, the default
 * and deferred forms are the immediate one; nested calls stay savepoints.
 */
function beginImmediately(sqlite: Database.Database): void {
  type Run = (this: unknown, ...args: unknown[]) => unknown;
  type Forms = Run & { immediate: Run; exclusive: Run; database: Database.Database };
  const make = sqlite.transaction.bind(sqlite) as unknown as (fn: Run) => Forms;
  sqlite.transaction = ((fn: Run) => {
    const made = make(fn);
    const immediate = made.immediate;
    const begin = function (this: unknown, ...args: unknown[]) {
      return immediate.apply(this, args);
    };
    const forms = { default: begin, deferred: begin, immediate, exclusive: made.exclusive, database: made.database };
    return Object.defineProperties(begin, Object.getOwnPropertyDescriptors(forms));
  }) as unknown as typeof sqlite.transaction;
}

/**
 * The server's start-up opens DATABASE_PATH: only this register's database, or a place for a new one (a new folder
 * only with `createRegister`); anything else is refused with a Dutch message (src/db/migrate-state.ts). The caller
 * migrates (migrateDatabase).
 */
export function openRegister(path: string, options: { createRegister: boolean }): Connection {
  assertServerMayOpen(path, options);
  return openDatabase(path);
}

/**
 * A command-line tool opens DATABASE_PATH: only a register with every migration applied. It never migrates nor
 * remakes the triggers: beside a running server that would change the schema under the server's feet.
 */
export function openRegisterForTool(path: string): Connection {
  assertToolMayOpen(path);
  return openDatabase(path);
}

/**
 * Runs the migrations in `migrations/`. drizzle's migrator wraps them in a transaction, and inside a
 * transaction `PRAGMA foreign_keys = OFF` does nothing: a migration that rebuilds a parent table would
 * then cascade-delete its children. So foreign keys go off on the connection first, the result is
 * checked with foreign_key_check, and they go on again (see ../shared/stack.md).
 */
export function migrateDatabase(database: Connection, migrationsFolder = MIGRATIONS_DIR): void {
  const { sqlite, db } = database;
  sqlite.pragma("foreign_keys = OFF");
  try {
    migrate(db, { migrationsFolder });
    const violations = sqlite.pragma("foreign_key_check") as unknown[];
    if (violations.length > 0) {
      throw new Error(`Migratie laat ${violations.length} verwijzingen zonder doel achter: ${JSON.stringify(violations.slice(0, 5))}`);
    }
  } finally {
    sqlite.pragma("foreign_keys = ON");
  }
  installTriggers(sqlite);
}

/** Tables whose changes do not change what the register says: sessions, logs, tokens' last use, mail. */
const NOT_COUNTED = new Set(["sessions", "audit_log", "register_state", "report_downloads", "api_tokens", "mail_outbox", "reminders_sent"]);

/** Columns whose changes do not count either: sign-in bookkeeping (last log-in, the last two-factor step used). */
const NOT_COUNTED_COLUMNS: Record<string, string[]> = { users: ["last_login_at", "totp_last_step"] };

/** Frozen snapshots are immutable: the database itself refuses to change or delete them. */
const IMMUTABLE = ["snapshots", "snapshot_files"];

/**
 * Triggers made at every start: snapshots refuse changes, and register_state.version rises on every change to a
 * register table. They are (re)made at
 * every start rather than in a migration: a table rebuild by a later migration drops its triggers, and
 * making them here means a new table is counted without anyone remembering to.
 */
export function installTriggers(sqlite: Database.Database): void {
  sqlite.prepare("insert or ignore into register_state (id, version) values (1, 0)").run();
  const tables = sqlite
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'")
    .pluck()
    .all() as string[];
  for (const table of IMMUTABLE.filter((name) => tables.includes(name))) {
    for (const event of ["update", "delete"]) {
      sqlite.exec(
        `create trigger if not exists "immutable_${table}_${event}" before ${event} on "${table}"
         begin select raise(abort, 'Een vastgestelde rapportage kan niet worden gewijzigd of verwijderd.'); end`,
      );
    }
  }
  for (const table of tables.filter((name) => !NOT_COUNTED.has(name))) {
    const ignored = NOT_COUNTED_COLUMNS[table];
    if (ignored) {
      // Remade at every start, so that a column added later is counted.
      const columns = (sqlite.pragma(`table_info("${table}")`) as { name: string }[]).map((c) => c.name).filter((name) => !ignored.includes(name));
      sqlite.exec(`drop trigger if exists "register_changed_${table}_update"`);
      sqlite.exec(
        `create trigger "register_changed_${table}_update" after update of ${columns.map((name) => `"${name}"`).join(", ")} on "${table}"
         begin update register_state set version = version + 1 where id = 1; end`,
      );
    }
    for (const event of ignored ? ["insert", "delete"] : ["insert", "update", "delete"]) {
      sqlite.exec(
        `create trigger if not exists "register_changed_${table}_${event}" after ${event} on "${table}"
         begin update register_state set version = version + 1 where id = 1; end`,
      );
    }
  }
}

/** The register's change counter (see installTriggers). */
export function registerVersion(db: DbOrTx): number {
  return (cachedStatement(clientOf(db), "select version from register_state where id = 1").pluck().get() as number | undefined) ?? 0;
}

type Memo = { version: number; values: Map<string, unknown> };
const memos = new WeakMap<Database.Database, Memo>();
/** Option lists, signed-in users and list pages of one register state; at the limit it starts afresh. */
const MEMO_LIMIT = 500;

/**
 * `compute()`, kept per connection under `key` until the register changes (the change counter above): for what
 * nearly every request reads (option lists, settings, the board's name, the signed-in user) and for list bodies
 * (src/http/kept-pages.ts). Inside a transaction it always computes: a write there may still roll back. The
 * result is shared and frozen (shallowly).
 */
export function memoByVersion<T>(db: DbOrTx, key: string, compute: () => T): T {
  const client = clientOf(db);
  if (client.inTransaction) return compute();
  const version = registerVersion(db);
  let memo = memos.get(client);
  if (memo?.version !== version) memos.set(client, (memo = { version, values: new Map() }));
  if (memo.values.has(key)) return memo.values.get(key) as T;
  const value = compute();
  if (typeof value === "object" && value !== null) Object.freeze(value);
  if (memo.values.size >= MEMO_LIMIT) memo.values.clear();
  memo.values.set(key, value);
  return value;
}

/** The newest migration applied, for /health and backups. */
export function schemaVersion(database: Connection): string | null {
  try {
    const row = database.sqlite
      .prepare("select hash, created_at from __drizzle_migrations order by created_at desc limit 1")
      .get() as { hash: string; created_at: number } | undefined;
    return row ? String(row.created_at) : null;
  } catch {
    return null;
  }
}

/** Number of rows in a table (drizzle's $count is a promise-like builder; this is synchronous). */
export function countRows(db: DbOrTx, table: SQLiteTable): number {
  return db.select({ n: count() }).from(table).get()?.n ?? 0;
}

/**
 * The better-sqlite3 connection behind a drizzle database or transaction, for the few hot paths that use
 * cached prepared statements and raw rows (drizzle builds and prepares every query anew, and maps each
 * row to an object: on tens of thousands of rows that is most of the time). A transaction shares its
 * database's connection, so statements run inside it.
 */
export function clientOf(db: DbOrTx): Database.Database {
  const direct = (db as { $client?: Database.Database }).$client;
  if (direct) return direct;
  const session = (db as unknown as { session?: { client?: Database.Database } }).session;
  if (!session?.client) throw new Error("Geen SQLite-verbinding gevonden");
  return session.client;
}

const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A prepared statement, prepared once per connection and reused. */
export function cachedStatement(client: Database.Database, sql: string): Database.Statement {
  let cache = statementCache.get(client);
  if (!cache) statementCache.set(client, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = client.prepare(sql)));
  return statement;
}
