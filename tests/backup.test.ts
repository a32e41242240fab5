// Backup and restore: a consistent online backup while another connection writes, the restore round trip
// (data and documents as at the backup), refusal of damaged, foreign and unknown-version files and of a
// database in use, the admin's download in the browser, and the two commands.
import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { eq } from "drizzle-orm";
import { SYSTEM_ACTOR } from "../src/audit/audit.service";
import { createBackup } from "../src/backup/backup.service";
import { assertNotInUse, BackupRefusedError, restoreBackup, verifyBackup } from "../src/backup/restore.service";
import { ensureBoard } from "../src/board/board.repository";
import { migrateDatabase, openDatabase } from "../src/db/client";
import { auditLog, suppliers } from "../src/db/schema";
import { seedReferenceData } from "../src/db/seed/reference";
import { documentPath, storeDocument } from "../src/documents/documents.service";
import { buildTestApp, csrfFrom, loginAs, makeUser } from "./helpers/app";

jest.setTimeout(60_000);

const ROOT = resolve(__dirname, "..");
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ibp-backup-test-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n`);
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** A register on disk, as the server has it: WAL mode, migrated, with two signed documents. */
function liveRegister() {
  const databasePath = join(dir, "data", "ibp.sqlite");
  const documentsDir = join(dir, "data", "documents");
  const connection = openDatabase(databasePath);
  migrateDatabase(connection);
  seedReferenceData(connection.db);
  ensureBoard(connection.db, "Stichting Back-up");
  connection.db.insert(suppliers).values([{ name: "Iddink" }, { name: "Topicus" }]).run();
  const documents = [pdf("verwerkersovereenkomst Iddink UNIQUE-MARKER-ONE"), pdf("verwerkersovereenkomst Topicus")];
  for (const [i, content] of documents.entries()) storeDocument(connection.db, documentsDir, SYSTEM_ACTOR, { content, originalName: `vo-${i}.pdf` });
  return { connection, databasePath, documentsDir, documents };
}

/** Another connection in another thread, inserting a supplier and its application in one transaction, as fast as it can. */
function startWriter(databasePath: string) {
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    const Database = require(workerData.driver);
    const db = new Database(workerData.path);
    db.pragma("busy_timeout = 5000");
    const supplier = db.prepare("insert into suppliers (name) values (?)");
    const application = db.prepare("insert into applications (name, supplier_id) values (?, ?)");
    const pair = db.transaction((n) => application.run("Schrijver-app " + n, supplier.run("Schrijver " + n).lastInsertRowid));
    let n = 0, stop = false;
    parentPort.on("message", () => { stop = true; });
    (function loop() {
      for (let i = 0; i < 10 && !stop; i++) pair(n++);
      if (stop) { db.close(); parentPort.postMessage({ done: n }); return; }
      parentPort.postMessage({ n });
      setImmediate(loop);
    })();
  `;
  const worker = new Worker(code, { eval: true, workerData: { path: databasePath, driver: require.resolve("better-sqlite3") } });
  let written = 0;
  const firstWrites = new Promise<void>((res) => worker.on("message", (m: { n?: number }) => (written = m.n ?? written) >= 20 && res()));
  const stop = () =>
    new Promise<number>((res) => {
      worker.on("message", (m: { done?: number }) => {
        if (m.done === undefined) return;
        void worker.terminate();
        res(m.done);
      });
      worker.postMessage("stop");
    });
  return { firstWrites, stop, written: () => written };
}

const count = (db: Database.Database, sql: string) => db.prepare(sql).pluck().get() as number;

describe("backup", () => {
  it("takes consistent backups while another connection keeps writing: each opens, passes the integrity check and holds the documents", async () => {
    const live = liveRegister();
    const writer = startWriter(live.databasePath);
    await writer.firstWrites;
    const backups = [];
    // 14:25 in Amsterdam (winter time): backup names are in Amsterdam time, whatever the machine's time zone.
    for (let i = 0; i < 3; i++) backups.push(await createBackup(live.connection.sqlite, { dir: join(dir, "backups"), documentsDir: live.documentsDir, now: new Date(Date.UTC(2026, 2, 1, 13, 25, i)) }));
    const total = await writer.stop();
    live.connection.close();

    expect(backups.map((b) => b.fileName)).toEqual(["ibp-backup-20260301-142500.sqlite", "ibp-backup-20260301-142501.sqlite", "ibp-backup-20260301-142502.sqlite"]);
    const pairs: number[] = [];
    for (const backup of backups) {
      expect(verifyBackup(backup.path).documents).toHaveLength(2);
      const copy = new Database(backup.path, { readonly: true });
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(copy.pragma("journal_mode", { simple: true })).toBe("delete");
      // One moment: never a supplier without the application written in the same transaction.
      const written = count(copy, "select count(*) from suppliers where name like 'Schrijver %'");
      expect(count(copy, "select count(*) from applications where name like 'Schrijver-app %'")).toBe(written);
      pairs.push(written);
      const docs = copy.prepare("select sha256, content from backup_documents order by sha256").all() as { sha256: string; content: Buffer }[];
      expect(docs.map((d) => d.sha256).sort()).toEqual(live.documents.map(sha).sort());
      for (const d of docs) expect(sha(d.content)).toBe(d.sha256);
      const manifest = copy.prepare("select * from backup_manifest").get() as Record<string, string>;
      expect(JSON.parse(manifest.counts!)).toMatchObject({ suppliers: written + 2, documents: 2 });
      expect(manifest.schema_version).toBe(count(copy, "select max(created_at) from __drizzle_migrations").toString());
      copy.close();
      expect(backup.sha256).toBe(sha(readFileSync(backup.path)));
    }
    // The writes went on during the backups, and the copies caught different moments of them.
    expect(pairs[0]).toBeGreaterThanOrEqual(20);
    expect(total).toBeGreaterThan(pairs[0]!);
    expect(pairs[2]).toBeGreaterThanOrEqual(pairs[0]!);
  });

  it("npm run backup writes a backup of the live database into the given folder", () => {
    const live = liveRegister();
    const out = join(dir, "nightly");
    const result = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), ["src/backup/backup-cli.ts", out], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "test", DATABASE_PATH: live.databasePath, DOCUMENTS_DIR: live.documentsDir },
      encoding: "utf8",
    });
    live.connection.close();
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Back-up gemaakt:");
    const files = readdirSync(out);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^ibp-backup-\d{8}-\d{6}\.sqlite$/);
    expect(verifyBackup(join(out, files[0]!)).documents).toHaveLength(2);
  });
});

describe("restore", () => {
  async function backupOf(live: ReturnType<typeof liveRegister>) {
    return createBackup(live.connection.sqlite, { dir: join(dir, "backups"), documentsDir: live.documentsDir });
  }

  it("puts data and documents back as they were at the backup, keeping the previous database beside it", async () => {
    const live = liveRegister();
    const backup = await backupOf(live);
    // Life goes on: a supplier added, one removed, a document lost.
    live.connection.db.insert(suppliers).values({ name: "Na de back-up" }).run();
    live.connection.db.delete(suppliers).where(eq(suppliers.name, "Topicus")).run();
    const lost = documentPath(live.documentsDir, sha(live.documents[0]!));
    rmSync(lost);
    live.connection.close();

    // 09:00 in Amsterdam (summer time).
    const result = restoreBackup({ file: backup.path, databasePath: live.databasePath, documentsDir: live.documentsDir, now: new Date("2026-06-01T07:00:00Z") });
    expect(result.documentsWritten).toBe(1);
    expect(result.previousPath).toBe(`${live.databasePath}.before-restore-20260601-090000`);

    const restored = openDatabase(live.databasePath);
    migrateDatabase(restored);
    const names = restored.db.select().from(suppliers).all().map((s) => s.name).sort();
    expect(names).toEqual(["Iddink", "Topicus"]);
    expect(restored.sqlite.prepare("select name from sqlite_master where name like 'backup_%'").all()).toEqual([]);
    expect(restored.sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
    restored.close();
    expect(sha(readFileSync(lost))).toBe(sha(live.documents[0]!));

    const previous = new Database(result.previousPath!, { readonly: true });
    expect(previous.prepare("select name from suppliers order by name").pluck().all()).toEqual(["Iddink", "Na de back-up"]);
    previous.close();
  });

  it("refuses a backup whose tables do not hold the row counts its manifest states", async () => {
    const live = liveRegister();
    const backup = await backupOf(live);
    live.connection.close();
    const edited = new Database(backup.path);
    edited.pragma("foreign_keys = OFF");
    const table = Object.entries(verifyBackup(backup.path).counts).find(([name, count]) => count > 0 && !name.startsWith("__"))![0];
    edited.exec(`delete from "${table}" where rowid = (select max(rowid) from "${table}")`);
    edited.close();
    expect(() => verifyBackup(backup.path)).toThrow(/niet compleet/);
  });

  it("refuses a damaged backup: truncated, or with a byte of a document changed", async () => {
    const live = liveRegister();
    const backup = await backupOf(live);
    live.connection.close();
    const before = readFileSync(live.databasePath);

    const truncated = join(dir, "afgekapt.sqlite");
    writeFileSync(truncated, readFileSync(backup.path));
    truncateSync(truncated, Math.floor(readFileSync(truncated).length / 2));
    expect(() => verifyBackup(truncated)).toThrow(BackupRefusedError);
    expect(() => verifyBackup(truncated)).toThrow("beschadigd");

    const flipped = readFileSync(backup.path);
    const at = flipped.indexOf("UNIQUE-MARKER-ONE");
    expect(at).toBeGreaterThan(0);
    flipped[at] = flipped[at]! ^ 0xff;
    const flippedPath = join(dir, "omgezet.sqlite");
    writeFileSync(flippedPath, flipped);
    expect(() => restoreBackup({ file: flippedPath, databasePath: live.databasePath, documentsDir: live.documentsDir })).toThrow(/Document [0-9a-f]{64} in de back-up is beschadigd/);

    const header = readFileSync(backup.path);
    header.write("Geen SQLite!!!!", 0, "latin1");
    const headerPath = join(dir, "kop.sqlite");
    writeFileSync(headerPath, header);
    expect(() => verifyBackup(headerPath)).toThrow("beschadigd");

    // Nothing was touched.
    expect(readFileSync(live.databasePath).equals(before)).toBe(true);
    expect(readdirSync(join(dir, "data")).filter((f) => f.includes("before-restore"))).toEqual([]);
  });

  it("refuses a file that is not a backup of the register, and one of a schema version this code does not know", async () => {
    const live = liveRegister();
    const backup = await backupOf(live);
    live.connection.close();
    const plain = join(dir, "gewoon.sqlite");
    const other = new Database(plain);
    other.exec("create table t (x); insert into t values (1);");
    other.close();
    expect(() => verifyBackup(plain)).toThrow("Dit bestand is geen back-up van het IBP-register.");
    const text = join(dir, "tekst.sqlite");
    writeFileSync(text, "dit is geen database");
    expect(() => verifyBackup(text)).toThrow(BackupRefusedError);

    const future = join(dir, "toekomst.sqlite");
    writeFileSync(future, readFileSync(backup.path));
    const db = new Database(future);
    db.prepare("insert into __drizzle_migrations (hash, created_at) values ('x', 9999999999999)").run();
    db.prepare("update backup_manifest set schema_version = '9999999999999'").run();
    db.close();
    expect(() => verifyBackup(future)).toThrow("databaseversie 9999999999999");
  });

  it("refuses to restore into a database that is in use, idle or writing, and leaves everything as it was", async () => {
    const live = liveRegister();
    const backup = await backupOf(live);
    rmSync(live.documentsDir, { recursive: true });
    // The server's connection is open (idle, in WAL mode).
    expect(() => restoreBackup({ file: backup.path, databasePath: live.databasePath, documentsDir: live.documentsDir })).toThrow(
      /De database .* is in gebruik\. Stop eerst het IBP-register/,
    );
    // A write in progress.
    live.connection.sqlite.exec("BEGIN IMMEDIATE");
    expect(() => assertNotInUse(live.databasePath)).toThrow("in gebruik");
    live.connection.sqlite.exec("ROLLBACK");
    expect(existsSync(live.documentsDir)).toBe(false);
    expect(live.connection.db.select().from(suppliers).all()).toHaveLength(2);
    live.connection.close();
    // Once stopped, it goes.
    expect(() => assertNotInUse(live.databasePath)).not.toThrow();
  });

  it("npm run restore refuses a damaged file with a Dutch message and exit code 1, and restores a good one", async () => {
    const live = liveRegister();
    const backup = await backupOf(live);
    live.connection.db.insert(suppliers).values({ name: "Later" }).run();
    live.connection.close();
    const damaged = join(dir, "kapot.sqlite");
    writeFileSync(damaged, readFileSync(backup.path).subarray(0, 4096));
    const run = (file: string) =>
      spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), ["src/backup/restore-cli.ts", file], {
        cwd: ROOT,
        env: { ...process.env, NODE_ENV: "test", DATABASE_PATH: live.databasePath, DOCUMENTS_DIR: live.documentsDir },
        encoding: "utf8",
      });
    const refused = run(damaged);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("Niet teruggezet: Het back-upbestand is beschadigd");
    const done = run(backup.path);
    expect(done.stderr).toBe("");
    expect(done.status).toBe(0);
    expect(done.stdout).toContain("is teruggezet in");
    const restored = new Database(live.databasePath, { readonly: true });
    expect(restored.prepare("select count(*) from suppliers where name = 'Later'").pluck().get()).toBe(0);
    restored.close();
  });
});

describe("download in the browser", () => {
  it("lets an admin download a fresh backup as an attachment, recorded in the audit log", async () => {
    const ctx = buildTestApp({ documentsDir: join(dir, "docs") });
    try {
      storeDocument(ctx.db, join(dir, "docs"), SYSTEM_ACTOR, { content: pdf("download"), originalName: "vo.pdf" });
      const admin = await makeUser(ctx.db, "admin");
      const { agent } = await loginAs(ctx.app, admin);
      const page = await agent.get("/admin/backup");
      expect(page.status).toBe(200);
      const res = await agent
        .post("/admin/backup")
        .type("form")
        .send({ _csrf: csrfFrom(page.text) })
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on("data", (c: Buffer) => chunks.push(c));
          r.on("end", () => cb(null, Buffer.concat(chunks)));
        });
      expect(res.status).toBe(200);
      expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="ibp-backup-\d{8}-\d{6}\.sqlite"/);
      const file = join(dir, "download.sqlite");
      writeFileSync(file, res.body as Buffer);
      expect(sha(res.body as Buffer)).toBe(res.headers["x-content-sha256"]);
      expect(verifyBackup(file).documents).toHaveLength(1);
      const entry = ctx.db.select().from(auditLog).where(eq(auditLog.entityType, "backup")).get()!;
      expect(entry).toMatchObject({ userId: admin.id, action: "create" });
      expect(entry.summary).toContain(res.headers["x-content-sha256"]);
      expect((await agent.get("/admin/backup")).text).toContain(entry.summary);
    } finally {
      ctx.close();
    }
  });

  it("refuses the backup page and download to everyone but admins", async () => {
    const ctx = buildTestApp({ documentsDir: join(dir, "docs") });
    try {
      for (const role of ["privacy_officer", "auditor"] as const) {
        const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, role));
        expect((await agent.get("/admin/backup")).status).toBe(403);
        expect((await agent.post("/admin/backup").type("form").send({ _csrf: await token() })).status).toBe(403);
      }
      expect(ctx.db.select().from(auditLog).where(eq(auditLog.entityType, "backup")).all()).toHaveLength(0);
    } finally {
      ctx.close();
    }
  });
});

