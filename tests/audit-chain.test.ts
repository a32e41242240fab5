// The change history as a hash chain: every entry sealed in the transaction of its change, and a check that
// finds the first entry changed, removed or inserted with plain SQL.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { entryHash, sealAuditChain, verifyAuditChain, type RawEntry } from "../src/audit/audit.chain";
import { recordChange, SYSTEM_ACTOR } from "../src/audit/audit.service";
import { prepareAuditChain } from "../src/audit/audit.verify";
import { runVerify } from "../src/audit/verify-cli";
import { start } from "../src/server";
import { migrateDatabase, openDatabase, type Db } from "../src/db/client";
import { buildTestApp, loginAs, makeSchool, makeUser, testConfig, type TestContext } from "./helpers/app";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

const sql = () => ctx.connection.sqlite;
const entries = () => sql().prepare("select * from audit_log order by id").all() as RawEntry[];

function change(db: Db, n: number, summary = `Wijziging ${n}`) {
  recordChange(db, {
    actor: { id: null, label: "Test <test@example.org>" },
    action: "update",
    entityType: "supplier",
    entityId: n,
    summary,
    before: { name: `Oud ${n}`, at: new Date(Date.UTC(2026, 0, n)) },
    after: { name: `Nieuw ${n}`, nested: { b: 2, a: [1, "x"] } },
  });
}

function fiveChanges() {
  for (let n = 1; n <= 5; n += 1) change(ctx.db, n);
  return entries();
}

/** A forged entry with a correct hash, written with plain SQL, linked to `prevHash`. */
function forge(prevHash: string | null, summary = "Vervalst") {
  const { id } = sql()
    .prepare("insert into audit_log (at, actor, action, entity_type, entity_id, summary) values (?, 'Indringer', 'update', 'supplier', 99, ?) returning id")
    .get(Date.UTC(2026, 5, 1), summary) as { id: number };
  const row = sql().prepare("select * from audit_log where id = ?").get(id) as RawEntry;
  sql().prepare("update audit_log set hash = ?, prev_hash = ? where id = ?").run(entryHash(row, prevHash), prevHash, id);
  return id;
}

describe("the hash chain of the change history", () => {
  it("seals every entry with a SHA-256 over its content, linked to the previous entry's hash", () => {
    const log = fiveChanges();
    expect(log[0]!.prev_hash).toBeNull();
    for (let i = 1; i < log.length; i += 1) expect(log[i]!.prev_hash).toBe(log[i - 1]!.hash);
    for (const e of log) {
      expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(e.hash).toBe(entryHash(e, e.prev_hash));
    }
    expect(new Set(log.map((e) => e.hash)).size).toBe(5);
  });

  it("hashes a canonical form, so the same content with its keys in another order gives the same hash", () => {
    const [first] = fiveChanges();
    const reordered = { ...first!, after: JSON.stringify({ nested: { a: [1, "x"], b: 2 }, name: "Nieuw 1" }) };
    expect(entryHash(reordered, null)).toBe(first!.hash);
    expect(entryHash({ ...first!, summary: "Anders" }, null)).not.toBe(first!.hash);
  });

  it("passes on a clean log and reports the newest entry's hash", () => {
    const log = fiveChanges();
    const result = verifyAuditChain(ctx.db);
    expect(result).toMatchObject({ ok: true, total: 5, checked: 5, lastId: log[4]!.id, lastHash: log[4]!.hash });
    expect(result.problem).toBeUndefined();
  });

  it("passes on an empty log", () => {
    expect(verifyAuditChain(ctx.db)).toMatchObject({ ok: true, total: 0, lastId: null });
  });

  it("finds an entry whose content was changed with SQL", () => {
    const log = fiveChanges();
    sql().prepare("update audit_log set summary = 'Niets aan de hand' where id = ?").run(log[2]!.id);
    expect(verifyAuditChain(ctx.db)).toMatchObject({ ok: false, checked: 2, problem: { kind: "altered", id: log[2]!.id, previousId: log[1]!.id } });
  });

  it("finds an entry whose before/after values were changed, even when the JSON stays valid", () => {
    const log = fiveChanges();
    sql().prepare(`update audit_log set after = json_set(after, '$.name', 'Anders') where id = ?`).run(log[3]!.id);
    expect(verifyAuditChain(ctx.db).problem).toEqual({ kind: "altered", id: log[3]!.id, previousId: log[2]!.id });
  });

  it("finds an entry that was removed, pointing to the entry after the gap", () => {
    const log = fiveChanges();
    sql().prepare("delete from audit_log where id = ?").run(log[2]!.id);
    expect(verifyAuditChain(ctx.db).problem).toEqual({ kind: "removed", id: log[3]!.id, previousId: log[1]!.id });
  });

  it("finds the first entry removed", () => {
    const log = fiveChanges();
    sql().prepare("delete from audit_log where id = ?").run(log[0]!.id);
    expect(verifyAuditChain(ctx.db).problem).toEqual({ kind: "removed", id: log[1]!.id, previousId: null });
  });

  it("finds an entry changed and re-hashed, at the entry after it", () => {
    const log = fiveChanges();
    sql().prepare("update audit_log set summary = 'Anders' where id = ?").run(log[1]!.id);
    const changed = sql().prepare("select * from audit_log where id = ?").get(log[1]!.id) as RawEntry;
    sql().prepare("update audit_log set hash = ? where id = ?").run(entryHash(changed, changed.prev_hash), changed.id);
    expect(verifyAuditChain(ctx.db).problem).toEqual({ kind: "removed", id: log[2]!.id, previousId: log[1]!.id });
  });

  it("finds a forged entry appended with a correct hash that claims an earlier entry as its predecessor", () => {
    const log = fiveChanges();
    const forged = forge(log[2]!.hash);
    expect(verifyAuditChain(ctx.db).problem).toEqual({ kind: "inserted", id: forged, previousId: log[4]!.id });
  });

  it("finds a forged entry put between two entries, which the chain runs past", () => {
    fiveChanges();
    // Make room in the ids: move the last two entries up, then fill the gap.
    sql().prepare("update audit_log set id = id + 10 where id >= 4").run();
    const log = entries();
    sql()
      .prepare("insert into audit_log (id, at, actor, action, entity_type, summary, hash, prev_hash) values (4, 0, 'Indringer', 'update', 'x', 'Vervalst', ?, ?)")
      .run("f".repeat(64), log[2]!.hash);
    const result = verifyAuditChain(ctx.db);
    expect(result.problem).toEqual({ kind: "inserted", id: 4, previousId: log[2]!.id });
  });

  it("finds an entry without a hash written between sealed entries", () => {
    fiveChanges();
    sql().prepare("insert into audit_log (at, actor, action, entity_type, summary) values (0, 'Indringer', 'update', 'x', 'Zonder hash')").run();
    const raw = entries().at(-1)!.id;
    change(ctx.db, 6);
    expect(verifyAuditChain(ctx.db).problem).toEqual({ kind: "inserted", id: raw, previousId: raw - 1 });
  });

  it("reports entries from before the chain as unsealed, and seals them in id order on request", () => {
    for (let n = 0; n < 3; n += 1) sql().prepare("insert into audit_log (at, actor, action, entity_type, summary) values (?, 'Oud', 'create', 'school', 'Van vóór de keten')").run(n);
    expect(verifyAuditChain(ctx.db).problem).toMatchObject({ kind: "unsealed", id: 1 });
    expect(sealAuditChain(ctx.db)).toBe(3);
    change(ctx.db, 1);
    const log = entries();
    expect(log[0]!.prev_hash).toBeNull();
    expect(log[3]!.prev_hash).toBe(log[2]!.hash);
    expect(verifyAuditChain(ctx.db)).toMatchObject({ ok: true, total: 4 });
    expect(sealAuditChain(ctx.db)).toBe(0);
  });

  it("does not seal an unsealed entry between sealed ones: that one stays reported", () => {
    fiveChanges();
    sql().prepare("insert into audit_log (at, actor, action, entity_type, summary) values (0, 'Indringer', 'update', 'x', 'Zonder hash')").run();
    change(ctx.db, 6);
    expect(sealAuditChain(ctx.db)).toBe(0);
    expect(verifyAuditChain(ctx.db).ok).toBe(false);
  });

  it("seals the entries a real change writes through the app, in the same transaction", async () => {
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
    const res = await agent.post("/suppliers").type("form").send({ name: "Heutink", covenantStatus: "geen", _csrf: await token() });
    expect(res.status).toBe(303);
    const [entry] = entries();
    expect(entry!.entity_type).toBe("supplier");
    expect(entry!.hash).toBe(entryHash(entry!, null));
  });
});

describe("an entry without a hash in a history that has the chain (issue 17, item 8e)", () => {
  /** Five sealed changes and then one entry written with plain SQL, without a hash. */
  function unsealedAtTheEnd() {
    fiveChanges();
    return (sql().prepare("insert into audit_log (at, actor, action, entity_type, summary) values (0, 'Indringer', 'update', 'x', 'Zonder hash') returning id").get() as { id: number }).id;
  }

  it("is not sealed when the server starts, and the start names it", () => {
    const raw = unsealedAtTheEnd();
    const atStart = prepareAuditChain(ctx.db);
    expect(atStart.sealed).toBe(0);
    expect(atStart.warning).toContain(`1 item(s) zonder hash (#${raw})`);
    expect(entries().at(-1)!.hash).toBeNull();
    expect(verifyAuditChain(ctx.db)).toMatchObject({ ok: false, problem: { kind: "unsealed", id: raw } });
  });

  it("is named as a fault on /audit/verify, also once sealed entries follow it", async () => {
    const raw = unsealedAtTheEnd();
    const { agent } = await loginAs(ctx.app, await makeUser(ctx.db, "auditor"));
    let res = await agent.get("/audit/verify");
    expect(res.text).toContain("De wijzigingshistorie is niet intact.");
    expect(res.text).toContain(`Item #${raw} en de items daarna hebben geen hash: ze zijn buiten het register om geschreven.`);
    expect(res.text).toContain(`1 item(s) zonder hash: #${raw}.`);
    change(ctx.db, 6);
    res = await agent.get("/audit/verify");
    expect(res.text).toContain(`Item #${raw} is tussengevoegd`);
    expect(res.text).toContain(`1 item(s) zonder hash: #${raw}.`);
  });

  it("is named by npm run audit:verify, which exits 1", () => {
    const dir = mkdtempSync(join(tmpdir(), "ibp-unsealed-"));
    try {
      const path = join(dir, "register.sqlite");
      const connection = openDatabase(path);
      migrateDatabase(connection);
      change(connection.db, 1);
      const raw = (connection.sqlite.prepare("insert into audit_log (at, actor, action, entity_type, summary) values (0, 'Indringer', 'update', 'x', 'Zonder hash') returning id").get() as { id: number }).id;
      connection.close();
      const lines: string[] = [];
      expect(runVerify(path, (line) => lines.push(line))).toBe(1);
      expect(lines.join("\n")).toContain(`1 item(s) zonder hash: #${raw}.`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is reported in the server's log at start, and stays unsealed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ibp-unsealed-"));
    const warn = jest.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const path = join(dir, "register.sqlite");
      const connection = openDatabase(path);
      migrateDatabase(connection);
      change(connection.db, 1);
      const raw = (connection.sqlite.prepare("insert into audit_log (at, actor, action, entity_type, summary) values (0, 'Indringer', 'update', 'x', 'Zonder hash') returning id").get() as { id: number }).id;
      connection.close();
      const running = await start(testConfig({ databasePath: path, port: 0, logLevel: "error", adminPassword: "een-lang-wachtwoord" }));
      try {
        expect(warn.mock.calls.map((c) => c.join(" ")).join("\n")).toContain(`1 item(s) zonder hash (#${raw})`);
        expect(running.connection.sqlite.prepare("select hash from audit_log where id = ?").pluck().get(raw)).toBeNull();
      } finally {
        await running.stop();
      }
    } finally {
      warn.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("one entry per record per transaction, and the chain", () => {
  const actor = { id: null, label: "Test <test@example.org>" };
  const edit = (db: Db, field: string, from: string, to: string) =>
    recordChange(db, { actor, action: "update", entityType: "supplier", entityId: 1, summary: `Wijziging ${field}`, before: { [field]: from }, after: { [field]: to } });

  it("merges a record's entries of one transaction, keeping the earliest before and the latest after, and the chain holds", () => {
    change(ctx.db, 9);
    sql().transaction(() => {
      edit(ctx.db, "name", "A", "B");
      change(ctx.db, 7);
      edit(ctx.db, "name", "B", "C");
      edit(ctx.db, "kvk", "1", "2");
    })();
    const log = entries().filter((e) => e.entity_id === 1);
    expect(log).toHaveLength(1);
    expect(JSON.parse(log[0]!.before!)).toEqual({ name: "A", kvk: "1" });
    expect(JSON.parse(log[0]!.after!)).toEqual({ name: "C", kvk: "2" });
    expect(log[0]!.summary).toBe("Wijziging name");
    expect(verifyAuditChain(ctx.db)).toMatchObject({ ok: true, total: 3 });
  });

  it("drops what a rolled-back savepoint merged, and does not merge into an entry a savepoint took back", () => {
    sql().transaction(() => {
      edit(ctx.db, "name", "A", "B");
      expect(() =>
        sql().transaction(() => {
          edit(ctx.db, "kvk", "1", "2");
          throw new Error("terug");
        })(),
      ).toThrow("terug");
      recordChange(ctx.db, { actor, action: "update", entityType: "supplier", entityId: 2, summary: "Ander record" });
      expect(() =>
        sql().transaction(() => {
          recordChange(ctx.db, { actor, action: "update", entityType: "supplier", entityId: 3, summary: "Eerste van 3", after: { name: "X" } });
          throw new Error("terug");
        })(),
      ).toThrow("terug");
      // The id the rolled-back entry of record 3 had now goes to record 4; record 3 gets an entry of its own.
      recordChange(ctx.db, { actor, action: "update", entityType: "supplier", entityId: 4, summary: "Record 4" });
      recordChange(ctx.db, { actor, action: "update", entityType: "supplier", entityId: 3, summary: "Tweede van 3", after: { name: "Y" } });
    })();
    const log = entries();
    expect(log.map((e) => [e.entity_id, e.summary])).toEqual([
      [1, "Wijziging name"],
      [2, "Ander record"],
      [4, "Record 4"],
      [3, "Tweede van 3"],
    ]);
    expect(JSON.parse(log[0]!.after!)).toEqual({ name: "B" });
    expect(verifyAuditChain(ctx.db)).toMatchObject({ ok: true, total: 4 });
  });

  it("does not merge entries of different actors", () => {
    sql().transaction(() => {
      edit(ctx.db, "name", "A", "B");
      recordChange(ctx.db, { actor: SYSTEM_ACTOR, action: "update", entityType: "supplier", entityId: 1, summary: "Door het systeem", after: { kvk: "2" } });
    })();
    expect(entries()).toHaveLength(2);
  });
});

describe("the page /audit/verify", () => {
  it("tells an auditor the history is intact, with the newest hash", async () => {
    const log = fiveChanges();
    const { agent } = await loginAs(ctx.app, await makeUser(ctx.db, "auditor"));
    const res = await agent.get("/audit/verify");
    expect(res.status).toBe(200);
    expect(res.text).toContain("De wijzigingshistorie is intact: alle 5 items sluiten op elkaar aan.");
    expect(res.text).toContain(log[4]!.hash);
  });

  it("names the first altered entry in Dutch", async () => {
    const log = fiveChanges();
    sql().prepare("update audit_log set actor = 'Iemand anders' where id = ?").run(log[1]!.id);
    const { agent } = await loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
    const res = await agent.get("/audit/verify");
    expect(res.text).toContain("De wijzigingshistorie is niet intact.");
    expect(res.text).toContain(`Item #${log[1]!.id} is gewijzigd: de hash past niet bij de inhoud.`);
  });

  it("is refused to a school user", async () => {
    const school = makeSchool(ctx.db);
    const { agent } = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [school.id] }));
    expect((await agent.get("/audit/verify")).status).toBe(403);
  });
});

describe("npm run audit:verify", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ibp-chain-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function fileDatabase(): { path: string; ids: number[] } {
    const path = join(dir, "register.sqlite");
    const connection = openDatabase(path);
    migrateDatabase(connection);
    for (let n = 1; n <= 3; n += 1) recordChange(connection.db, { actor: SYSTEM_ACTOR, action: "create", entityType: "school", entityId: n, summary: `School ${n}` });
    const ids = (connection.sqlite.prepare("select id from audit_log order by id").all() as { id: number }[]).map((r) => r.id);
    connection.close();
    return { path, ids };
  }

  it("returns 0 on an intact history and 1 with the first bad entry", () => {
    const { path, ids } = fileDatabase();
    const lines: string[] = [];
    expect(runVerify(path, (line) => lines.push(line))).toBe(0);
    expect(lines[0]).toBe("De wijzigingshistorie is intact: alle 3 items sluiten op elkaar aan.");

    const tamper = openDatabase(path);
    tamper.sqlite.prepare("delete from audit_log where id = ?").run(ids[1]);
    tamper.close();
    lines.length = 0;
    expect(runVerify(path, (line) => lines.push(line))).toBe(1);
    expect(lines.join("\n")).toContain(`Vóór item #${ids[2]} ontbreekt iets`);
  });

  it("exits with those codes when run as a command on the configured database", async () => {
    const { path, ids } = fileDatabase();
    const run = () =>
      promisify(execFile)(process.execPath, ["--import", "tsx", join(__dirname, "..", "src", "audit", "verify-cli.ts")], {
        env: { ...process.env, DATABASE_PATH: path, NODE_ENV: "test" },
      }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (err: { code: number; stdout: string }) => ({ code: err.code, out: err.stdout }),
      );
    expect(await run()).toMatchObject({ code: 0, out: expect.stringContaining("intact") });
    const tamper = openDatabase(path);
    tamper.sqlite.prepare("update audit_log set summary = 'x' where id = ?").run(ids[0]);
    tamper.close();
    expect(await run()).toMatchObject({ code: 1, out: expect.stringContaining(`Item #${ids[0]} is gewijzigd`) });
  }, 30_000);
});
