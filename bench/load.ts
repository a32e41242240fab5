// Load and faults: `npm run bench:load` (options: --duration=30, --connections=50, --warmup=3, --rounds=3,
// --seed=1, --fresh, --profile, --max-old-space-size=<MB>).
//
// The register runs in a process of its own as in production: compiled to dist/ first, then bench/load-server.cjs
// through start(), with node's flags from the `start` script and NODE_ENV=production, LOG_LEVEL=silent, on a copy of the large board (data/bench.sqlite, made or reused as
// bench/run.ts does), so the load generator does not share its event loop. Three parts, all against 127.0.0.1:
//
// 1. Load: autocannon, --duration seconds with --connections connections, each its own logged-in session: first
//    the application list alone (budget: at least 500 requests/s, 0 errors), then a mix of people at work (per
//    round of ten requests: four list pages, four application pages, one edit form and its save, half of them a
//    supplier and half an application). A save sends the version its form showed; 409 is the expected answer when
//    someone saved in between, anything else than 200/303/409 or a socket error is an error. The register's
//    memory is read from /proc/<pid>/status (VmRSS every 100 ms, VmHWM at the end; budget 200 MB).
// 2. Concurrency: 20 editors each save 25 times one of the same 5 suppliers with the version they just read.
//    Every 303 must be in the database and the audit log, the versions must add up, and every other save 409.
// 3. Crash: writers create suppliers, the register is killed with SIGKILL in the middle, restarted on the same
//    file, and the file must pass integrity_check and foreign_key_check with every acknowledged (303) supplier and
//    its audit entry present. --rounds times.
//
// It reports; budgets never fail it (exit 0). Exit 1 only when a correctness check fails: an acknowledged change
// lost, a wrong status, a damaged database.
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { verifyAuditChain } from "../src/audit/audit.chain";
import { hashPassword } from "../src/auth/passwords";
import { openDatabase } from "../src/db/client";
import { insertUser } from "../src/users/users.repository";
import { mulberry32 } from "./generate";
import {
  Browser,
  buildRegister,
  CACHE,
  ensureCachedBoard,
  fieldValue,
  formFields,
  loginMany,
  type Memory,
  PASSWORD,
  percentile,
  printTable,
  ROOT,
  ServerProcess,
  sleep,
  startFlags,
  withValues,
} from "./load-support";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const DURATION = option("duration", 30);
const CONNECTIONS = option("connections", 50);
const WARMUP = option("warmup", 3);
const ROUNDS = option("rounds", 3);
const SEED = option("seed", 1);
const FRESH = args.includes("--fresh");
/** Also write the load register's CPU profile to data/load-profiles/ (open in Chrome DevTools or speedscope). */
const PROFILE = args.includes("--profile");
/** Runs the load register with this --max-old-space-size (MB) instead of the start script's, to see what the cap does. */
const MAX_OLD_SPACE = option("max-old-space-size", 0);

/** autocannon's time-out per request (its default): a request not answered within it counts as an error. */
const TIMEOUT_S = 10;
const LIST_BUDGET_RPS = 500;
const MEMORY_BUDGET_MB = 200;
const EDITORS = 20;
const EDITS_EACH = 25;
const SHARED_SUPPLIERS = 5;
const CRASH_WRITERS = 8;
const USERS = 10;

const random = mulberry32(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const load = () => loadavg().map((x) => x.toFixed(2)).join(" / ");
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const ms = (x: number) => (Number.isNaN(x) ? "-" : x < 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(0)} ms`);

/** A check of correctness: failing any of them makes the exit code 1. */
type Check = { label: string; ok: boolean; detail: string };
const checks: Check[] = [];
/** Node's flags for every start of the register: the start script's (see startFlags), or as the options say. */
let nodeArgs: string[] = [];
const check = (label: string, ok: boolean, detail: string) => {
  checks.push({ label, ok, detail });
  if (!ok) console.log(`FOUT: ${label}: ${detail}`);
};

// ---------------------------------------------------------------------------------------------
// The copy of the large board the register runs on, with bench users, and the records the load touches

type Picks = { readIds: number[]; writeSuppliers: number[]; writeApplications: number[]; sharedSuppliers: number[] };

async function prepareDatabase(path: string): Promise<{ emails: string[]; picks: Picks }> {
  const connection = openDatabase(path);
  try {
    const passwordHash = await hashPassword(PASSWORD);
    const emails = Array.from({ length: USERS }, (_, i) => `bench.load.${i + 1}@bench.example`);
    connection.sqlite.transaction(() => {
      emails.forEach((email, i) => insertUser(connection.db, { email, name: `Belastingtest ${i + 1}`, role: "privacy_officer", passwordHash }));
    })();
    const ids = (sql: string) => connection.sqlite.prepare(sql).pluck().all() as number[];
    const shuffled = <T>(xs: T[]) => xs.map((x) => [random(), x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x);
    const applicationIds = shuffled(ids("select id from applications where archived_at is null order by id"));
    const supplierIds = shuffled(ids("select id from suppliers where archived_at is null order by id"));
    return {
      emails,
      picks: {
        readIds: applicationIds.slice(0, 300),
        writeApplications: applicationIds.slice(300, 340),
        writeSuppliers: supplierIds.slice(0, 40),
        sharedSuppliers: supplierIds.slice(40, 40 + SHARED_SUPPLIERS),
      },
    };
  } finally {
    connection.close();
  }
}

/** A read-only look at the register's file while it runs (WAL: readers do not block the register). */
function inspect<T>(path: string, look: (sqlite: Database.Database) => T): T {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  try {
    sqlite.pragma("busy_timeout = 5000");
    return look(sqlite);
  } finally {
    sqlite.close();
  }
}

const maxAuditId = (sqlite: Database.Database) => (sqlite.prepare("select coalesce(max(id), 0) from audit_log").pluck().get() as number) ?? 0;

// ---------------------------------------------------------------------------------------------
// 1. Load

const LISTS = [
  "/applications",
  "/applications?lifecycle=in_gebruik&sort=supplier&dir=desc&page=2",
  "/applications?sort=schools&dir=desc&page=3",
  "/applications?personalData=ja&sort=lifecycle&page=5",
  "/applications?q=app&page=2",
];

type Kind = "lijst" | "applicatiepagina" | "bewerkformulier" | "opslaan";
type LoadFigures = {
  label: string;
  rps: number;
  total: number;
  p50: number;
  p99: number;
  errors: number;
  errorDetail: string;
  peakRssKb: number;
  loadAfter: string;
  kinds?: Map<Kind, { latencies: number[]; statuses: Map<number, number> }>;
};

type Acked = { kind: "supplier" | "application"; id: number; token: string };
const editKey = (e: { kind: string; id: number; token: string | null }) => `${e.kind}#${e.id}:${e.token}`;

function summarise(label: string, result: autocannon.Result & { answered: number[] }, server: ServerProcess, unexpected: Map<string, number>): LoadFigures {
  // Socket errors and timeouts (autocannon's `errors`), 5xx, and any status the sequence does not expect.
  const codes = Object.entries(result.statusCodeStats).map(([code, { count }]) => `${code}: ${count}`).join(", ");
  const unexpectedTotal = [...unexpected.values()].reduce((a, b) => a + b, 0);
  const errors = result.errors + unexpectedTotal;
  const detail = [
    `statussen ${codes}`,
    result.errors ? `${result.errors} socketfouten (waarvan ${result.timeouts} time-outs van ${TIMEOUT_S} s)` : "",
    // A saturated Node process takes about one new connection per turn of its event loop: connections opened
    // while it is busy wait in the kernel's accept queue, and autocannon counts each 10 s of waiting as a time-out.
    result.answered.some((n) => n === 0)
      ? `${result.answered.filter((n) => n === 0).length} van ${result.answered.length} verbindingen kregen geen enkel antwoord (niet aangenomen door de verzadigde server)`
      : "",
    unexpectedTotal ? `onverwacht: ${[...unexpected.entries()].map(([k, n]) => `${k} ${n}x`).join(", ")}` : "",
    result.resets ? `${result.resets} rondes opnieuw begonnen (geen formulier)` : "",
  ]
    .filter(Boolean)
    .join("; ");
  return {
    label,
    rps: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors,
    errorDetail: detail,
    peakRssKb: server.peakRssKb,
    loadAfter: load(),
  };
}

async function runList(server: ServerProcess, browsers: Browser[], seconds: number, connections: number) {
  const unexpected = new Map<string, number>();
  const answered: number[] = [];
  let next = 0;
  const instance = autocannon({
    url: server.url,
    connections,
    duration: seconds,
    timeout: TIMEOUT_S,
    setupClient: (client) => {
      const clientNo = next++;
      answered[clientNo] = 0;
      client.on("response", () => (answered[clientNo] = answered[clientNo]! + 1));
      const cookie = browsers[clientNo % browsers.length]!.cookie;
      client.setRequests([
        {
          method: "GET",
          headers: { cookie, accept: "text/html" },
          setupRequest: (req) => ({ ...req, path: pick(LISTS) }),
          onResponse: (status) => {
            if (status !== 200) unexpected.set(`lijst ${status}`, (unexpected.get(`lijst ${status}`) ?? 0) + 1);
          },
        },
      ]);
    },
  });
  const result = await instance;
  return Object.assign(result, { unexpected, answered });
}

async function runMix(server: ServerProcess, browsers: Browser[], picks: Picks, seconds: number) {
  const unexpected = new Map<string, number>();
  const kinds = new Map<Kind, { latencies: number[]; statuses: Map<number, number> }>();
  const acked: Acked[] = [];
  const conflicted: Acked[] = [];
  /** Saves sent but not answered when the run ended: they may or may not have been made. */
  const pending = new Set<string>();
  const answered: number[] = [];
  const note = (kind: Kind, status: number) => {
    const entry = kinds.get(kind) ?? { latencies: [], statuses: new Map<number, number>() };
    kinds.set(kind, entry);
    entry.statuses.set(status, (entry.statuses.get(status) ?? 0) + 1);
    const expected = kind === "opslaan" ? status === 303 || status === 409 : status === 200;
    if (!expected) unexpected.set(`${kind} ${status}`, (unexpected.get(`${kind} ${status}`) ?? 0) + 1);
  };
  let next = 0;
  const instance = autocannon({
    url: server.url,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: TIMEOUT_S,
    setupClient: (client) => {
      const clientNo = next++;
      answered[clientNo] = 0;
      const headers = { cookie: browsers[clientNo % browsers.length]!.cookie, accept: "text/html" };
      const state: { round: number; kind: Kind; target?: { kind: "supplier" | "application"; id: number }; form?: [string, string][]; token?: string } = {
        round: 0,
        kind: "lijst",
      };
      client.on("response", (_status: number, _bytes: number, responseTime: number) => {
        answered[clientNo] = answered[clientNo]! + 1;
        kinds.get(state.kind)?.latencies.push(responseTime);
      });
      const read = (kind: Kind, path: () => string): autocannon.Request => ({
        method: "GET",
        headers,
        setupRequest: (req) => ({ ...req, path: path() }),
        onResponse: (status) => {
          state.kind = kind;
          note(kind, status);
        },
      });
      const list = () => read("lijst", () => pick(LISTS));
      const page = () => read("applicatiepagina", () => `/applications/${pick(picks.readIds)}`);
      const action = () => `/${state.target!.kind === "supplier" ? "suppliers" : "applications"}/${state.target!.id}`;
      client.setRequests([
        list(),
        page(),
        list(),
        page(),
        list(),
        page(),
        list(),
        {
          method: "GET",
          headers,
          setupRequest: (req) => {
            state.round += 1;
            state.target = state.round % 2 === 0
              ? { kind: "supplier", id: pick(picks.writeSuppliers) }
              : { kind: "application", id: pick(picks.writeApplications) };
            return { ...req, path: `${action()}/edit` };
          },
          onResponse: (status, body) => {
            state.kind = "bewerkformulier";
            note("bewerkformulier", status);
            state.form = status === 200 ? formFields(body, action()) : undefined;
          },
        },
        page(),
        {
          method: "POST",
          headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
          setupRequest: (req) => {
            if (!state.form) return null;
            state.token = `belasting ${clientNo}-${state.round}`;
            pending.add(editKey({ ...state.target!, token: state.token }));
            const field = state.target!.kind === "supplier" ? "notes" : "description";
            return { ...req, path: action(), body: new URLSearchParams(withValues(state.form, { [field]: state.token })).toString() };
          },
          onResponse: (status) => {
            state.kind = "opslaan";
            note("opslaan", status);
            const edit = { ...state.target!, token: state.token! };
            pending.delete(editKey(edit));
            if (status === 303) acked.push(edit);
            if (status === 409) conflicted.push(edit);
            state.form = undefined;
          },
        },
      ]);
    },
  });
  const result = await instance;
  return Object.assign(result, { unexpected, kinds, acked, conflicted, pending, answered });
}

/**
 * Every acknowledged save of the mix is in the audit log with what it saved; no save that got 409 is; and every
 * other entry belongs to a save still unanswered when the run ended.
 */
function checkMixWrites(path: string, since: number, acked: Acked[], conflicted: Acked[], pending: Set<string>): void {
  const saved = inspect(path, (sqlite) =>
    sqlite
      .prepare(
        `select entity_type as kind, entity_id as id, coalesce(json_extract(after, '$.notes'), json_extract(after, '$.description')) as token
         from audit_log where id > ? and action = 'update' and entity_type in ('supplier', 'application')`,
      )
      .all(since) as { kind: string; id: number; token: string | null }[],
  );
  const inLog = new Set(saved.map(editKey));
  const ackedKeys = new Set(acked.map(editKey));
  const lost = acked.filter((e) => !inLog.has(editKey(e)));
  const phantom = conflicted.filter((e) => inLog.has(editKey(e)));
  const unanswered = saved.filter((e) => !ackedKeys.has(editKey(e)) && pending.has(editKey(e)));
  const unexplained = saved.filter((e) => !ackedKeys.has(editKey(e)) && !pending.has(editKey(e)));
  check(
    "mix: elke 303 in het auditlog, geen 409 opgeslagen",
    lost.length === 0 && phantom.length === 0 && unexplained.length === 0 && saved.length === acked.length + unanswered.length,
    `${acked.length} opgeslagen (303), ${conflicted.length} conflicten (409), ${saved.length} wijzigingen in het auditlog` +
      (pending.size ? ` (waarvan ${unanswered.length} van de ${pending.size} bij het einde onbeantwoorde)` : "") +
      (lost.length ? `; ontbreken: ${lost.slice(0, 3).map(editKey).join(", ")}` : "") +
      (phantom.length ? `; 409 toch opgeslagen: ${phantom.slice(0, 3).map(editKey).join(", ")}` : "") +
      (unexplained.length ? `; onverklaarde wijzigingen: ${unexplained.slice(0, 3).map(editKey).join(", ")}` : ""),
  );
}

// ---------------------------------------------------------------------------------------------
// 2. Concurrency: many editors, the same few records

async function concurrency(server: ServerProcess, path: string, emails: string[], suppliers: number[]) {
  const before = inspect(path, (sqlite) => ({
    auditId: maxAuditId(sqlite),
    versions: new Map(suppliers.map((id) => [id, sqlite.prepare("select version from suppliers where id = ?").pluck().get(id) as number])),
  }));
  const editors = await loginMany(server.port, emails, EDITORS);
  const deadline = Date.now() + 90_000;
  type Outcome = { supplierId: number; version: number; token: string; status: number | string };
  const outcomes: Outcome[] = [];
  const started = Date.now();
  await Promise.all(
    editors.map(async (editor, c) => {
      for (let i = 0; i < EDITS_EACH && Date.now() < deadline; i += 1) {
        const supplierId = suppliers[(c + i) % suppliers.length]!;
        const token = `gelijktijdig ${c}-${i}`;
        try {
          const form = await editor.get(`/suppliers/${supplierId}/edit`);
          const fields = form.status === 200 ? formFields(form.body, `/suppliers/${supplierId}`) : undefined;
          if (!fields) {
            outcomes.push({ supplierId, version: NaN, token, status: `formulier ${form.status}` });
            continue;
          }
          const res = await editor.post(`/suppliers/${supplierId}`, withValues(fields, { notes: token }));
          outcomes.push({ supplierId, version: Number(fieldValue(fields, "version")), token, status: res.status });
        } catch (err) {
          outcomes.push({ supplierId, version: NaN, token, status: `socketfout ${(err as Error).message}` });
        }
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  for (const editor of editors) editor.close();

  const after = inspect(path, (sqlite) => ({
    rows: new Map(
      suppliers.map((id) => [id, sqlite.prepare("select version, notes from suppliers where id = ?").get(id) as { version: number; notes: string | null }]),
    ),
    audit: sqlite
      .prepare(
        `select entity_id as id, json_extract(before, '$.version') as fromVersion, json_extract(after, '$.version') as toVersion,
                json_extract(after, '$.notes') as token
         from audit_log where id > ? and entity_type = 'supplier' and action = 'update'
           and entity_id in (select value from json_each(?)) order by id`,
      )
      .all(before.auditId, JSON.stringify(suppliers)) as { id: number; fromVersion: number; toVersion: number; token: string }[],
  }));
  const ok = outcomes.filter((o) => o.status === 303);
  const conflicts = outcomes.filter((o) => o.status === 409);
  const other = outcomes.filter((o) => o.status !== 303 && o.status !== 409);
  const problems: string[] = [];
  if (outcomes.length !== EDITORS * EDITS_EACH) problems.push(`${outcomes.length} van ${EDITORS * EDITS_EACH} bewerkingen gedaan (tijdslimiet)`);
  if (other.length) {
    const counts = new Map<string, number>();
    for (const o of other) counts.set(String(o.status), (counts.get(String(o.status)) ?? 0) + 1);
    problems.push(`andere antwoorden dan 303/409: ${[...counts.entries()].map(([s, n]) => `${s} ${n}x`).join(", ")}`);
  }
  const tokensInLog = new Set(after.audit.map((e) => `${e.id}:${e.token}`));
  const lost = ok.filter((o) => !tokensInLog.has(`${o.supplierId}:${o.token}`));
  if (lost.length) problems.push(`${lost.length} bevestigde wijzigingen niet in het auditlog`);
  const phantom = conflicts.filter((o) => tokensInLog.has(`${o.supplierId}:${o.token}`));
  if (phantom.length) problems.push(`${phantom.length} wijzigingen met 409 toch opgeslagen`);
  if (after.audit.length !== ok.length) problems.push(`${after.audit.length} auditregels voor ${ok.length} keer 303`);
  for (const id of suppliers) {
    const mine = ok.filter((o) => o.supplierId === id);
    const entries = after.audit.filter((e) => e.id === id);
    const start = before.versions.get(id)!;
    const row = after.rows.get(id)!;
    if (row.version !== start + mine.length) problems.push(`leverancier #${id}: versie ${row.version}, verwacht ${start} + ${mine.length}`);
    // The saved versions run on without a gap or a double: each save went from the version its form showed.
    const steps = entries.map((e) => `${e.fromVersion}>${e.toVersion}`).join(",");
    const expected = Array.from({ length: entries.length }, (_, k) => `${start + k}>${start + k + 1}`).join(",");
    if (steps !== expected) problems.push(`leverancier #${id}: versies in het auditlog ${steps}`);
    const read = new Set(mine.map((o) => o.version));
    if (read.size !== mine.length) problems.push(`leverancier #${id}: twee keer 303 op dezelfde versie`);
    const last = entries[entries.length - 1];
    if (last && row.notes !== last.token) problems.push(`leverancier #${id}: opgeslagen "${row.notes}", laatste 303 was "${last.token}"`);
  }
  check(
    `gelijktijdig: ${EDITORS} redacteuren x ${EDITS_EACH} wijzigingen van ${suppliers.length} leveranciers`,
    problems.length === 0,
    `${ok.length} x 303, ${conflicts.length} x 409, ${other.length} anders; ${after.audit.length} auditregels; in ${seconds.toFixed(1)} s` +
      (problems.length ? `; ${problems.join("; ")}` : ""),
  );
  return { ok: ok.length, conflicts: conflicts.length, other: other.length, audit: after.audit.length, seconds };
}

// ---------------------------------------------------------------------------------------------
// 3. Crash: SIGKILL during writes, restart on the same file

type Round = { acked: number; attempted: number; inFlight: number; committedUnacked: number; restartS: number; detail: string; ok: boolean };

async function crashRound(round: number, server: ServerProcess, path: string, documents: string, emails: string[], runId: string, chainBefore: boolean) {
  const writers = await loginMany(server.port, emails, CRASH_WRITERS);
  const tokens = await Promise.all(
    writers.map(async (w) => {
      const page = await w.get("/suppliers/new");
      const fields = formFields(page.body, "/suppliers");
      if (!fields) throw new Error(`Geen formulier op /suppliers/new (status ${page.status})`);
      return fieldValue(fields, "_csrf")!;
    }),
  );
  const acked: string[] = [];
  const attempted: string[] = [];
  const wrong: string[] = [];
  let killed = false;
  let inFlight = 0;
  const deadline = Date.now() + 20_000;
  const writing = writers.map(async (writer, w) => {
    for (let i = 0; i < 2000 && !killed && Date.now() < deadline; i += 1) {
      const name = `Crashtest ${runId} r${round} w${w} n${i}`;
      attempted.push(name);
      inFlight += 1;
      try {
        const res = await writer.post("/suppliers", [
          ["_csrf", tokens[w]!],
          ["name", name],
          ["covenantStatus", "geen"],
          ["notes", `crash ronde ${round}`],
        ]);
        if (res.status === 303) acked.push(name);
        else wrong.push(`${res.status}`);
      } catch {
        if (!killed) wrong.push("socketfout voor de kill");
        break;
      } finally {
        inFlight -= 1;
      }
    }
  });
  // Kill once writes are flowing: after at least 30 acknowledged saves (or 3 s), plus a random 0-250 ms.
  const killBy = Date.now() + 3000;
  while (acked.length < 30 && Date.now() < killBy && wrong.length === 0) await sleep(20);
  await sleep(random() * 250);
  const atKill = inFlight;
  const ackedAtKill = acked.length;
  killed = true;
  await server.kill();
  await Promise.all(writing);
  for (const w of writers) w.close();

  const restarted = Date.now();
  const next = await ServerProcess.start(path, documents, { nodeArgs });
  const restartS = (Date.now() - restarted) / 1000;
  const result = inspect(path, (sqlite) => {
    const integrity = (sqlite.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check);
    const foreign = sqlite.pragma("foreign_key_check") as unknown[];
    const find = sqlite.prepare(
      `select s.id, (select count(*) from audit_log a where a.entity_type = 'supplier' and a.entity_id = s.id and a.action = 'create') as audits
       from suppliers s where s.name = ?`,
    );
    const missing: string[] = [];
    const withoutAudit: string[] = [];
    for (const name of acked) {
      const row = find.get(name) as { id: number; audits: number } | undefined;
      if (!row) missing.push(name);
      else if (row.audits !== 1) withoutAudit.push(`${name} (${row.audits} auditregels)`);
    }
    const ackedSet = new Set(acked);
    const committedUnacked = attempted.filter((n) => !ackedSet.has(n) && find.get(n)).length;
    const chain = chainBefore ? verifyAuditChain(drizzle(sqlite)) : undefined;
    return { integrity, foreign, missing, withoutAudit, committedUnacked, chain };
  });
  // The restarted register answers, and the sessions of before the crash still hold (they live in the database).
  const probe = new Browser(next.port);
  probe.cookie = writers[0]!.cookie;
  const after = await probe.get("/suppliers?q=Crashtest").catch((err: Error) => ({ status: 0, body: err.message }));
  probe.close();

  const problems: string[] = [];
  if (result.integrity.join() !== "ok") problems.push(`integrity_check: ${result.integrity.slice(0, 3).join("; ")}`);
  if (result.foreign.length) problems.push(`foreign_key_check: ${result.foreign.length} rijen`);
  if (result.missing.length) problems.push(`${result.missing.length} bevestigde leveranciers ontbreken (${result.missing.slice(0, 3).join(", ")})`);
  if (result.withoutAudit.length) problems.push(`zonder auditregel: ${result.withoutAudit.slice(0, 3).join(", ")}`);
  if (wrong.length) problems.push(`antwoorden anders dan 303 voor de kill: ${wrong.slice(0, 5).join(", ")}`);
  if (result.chain && !result.chain.ok) problems.push(`hashketen van het auditlog: ${result.chain.problem?.kind} bij #${result.chain.problem?.id}`);
  if (after.status !== 200) problems.push(`na de herstart: GET /suppliers gaf ${after.status}`);
  if (ackedAtKill === 0) problems.push("geen enkele schrijfactie bevestigd voor de kill");
  const detail =
    `${acked.length} bevestigd van ${attempted.length} verzonden, ${atKill} onderweg bij de kill, ${result.committedUnacked} opgeslagen zonder antwoord; ` +
    `integrity_check ${result.integrity.join() === "ok" ? "ok" : "FOUT"}, foreign_key_check ${result.foreign.length ? "FOUT" : "leeg"}` +
    (result.chain ? `, hashketen ${result.chain.ok ? "ok" : "FOUT"}` : "") +
    `, herstart ${restartS.toFixed(1)} s` +
    (problems.length ? `; ${problems.join("; ")}` : "");
  check(`crash ${round}: SIGKILL tijdens schrijven, herstart`, problems.length === 0, detail);
  return { server: next, round: { acked: acked.length, attempted: attempted.length, inFlight: atKill, committedUnacked: result.committedUnacked, restartS, detail, ok: problems.length === 0 } satisfies Round };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  const loadAtStart = load();
  const { meta, reused } = ensureCachedBoard({ seed: SEED, fresh: FRESH });
  const work = mkdtempSync(join(tmpdir(), "ibp-load-"));
  const path = join(work, "register.sqlite");
  const documents = join(work, "documents");
  mkdirSync(documents);
  let server: ServerProcess | undefined;
  try {
    copyFileSync(CACHE, path);
    const { emails, picks } = await prepareDatabase(path);

    console.log("Register bouwen (npm run build) ...");
    buildRegister();
    console.log(`Register starten (eigen proces) op een kopie van ${CACHE} ...`);
    const startedAt = Date.now();
    const profileDir = join(ROOT, "data", "load-profiles");
    const production = startFlags().filter((flag) => !(MAX_OLD_SPACE > 0 && flag.startsWith("--max-old-space-size=")));
    nodeArgs = [...production, ...(MAX_OLD_SPACE > 0 ? [`--max-old-space-size=${MAX_OLD_SPACE}`] : [])];
    server = await ServerProcess.start(path, documents, { nodeArgs: [...nodeArgs, ...(PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [])] });
    const startS = (Date.now() - startedAt) / 1000;
    // The register's memory after each step: where the peak comes from.
    const phases: [string, Memory | undefined, NodeJS.MemoryUsage | undefined][] = [];
    const phase = async (label: string) => phases.push([label, server?.sample(), await server?.heap()]);
    await phase("na de start");
    const browsers = await loginMany(server.port, emails, CONNECTIONS);
    await phase(`na ${CONNECTIONS} log-ins`);

    // 1. Load --------------------------------------------------------------------------------
    if (WARMUP > 0) {
      console.log(`Opwarmen (${WARMUP} s) ...`);
      await runList(server, browsers, WARMUP, 10);
      await server.settle();
      await phase("na het opwarmen");
    }
    console.log(`Applicatielijst: ${DURATION} s, ${CONNECTIONS} verbindingen ...`);
    server.resetPeak();
    const listResult = await runList(server, browsers, DURATION, CONNECTIONS);
    const list = summarise("applicatielijst alleen", listResult, server, listResult.unexpected);
    await server.settle();
    await phase("na de lijst-run");

    console.log(`Mix van lezen en bewerken: ${DURATION} s, ${CONNECTIONS} verbindingen ...`);
    server.resetPeak();
    const auditBeforeMix = inspect(path, maxAuditId);
    const mixResult = await runMix(server, browsers, picks, DURATION);
    const mix = { ...summarise("mix (90% lezen, 10% opslaan)", mixResult, server, mixResult.unexpected), kinds: mixResult.kinds };
    await server.settle();
    await phase("na de mix");
    checkMixWrites(path, auditBeforeMix, mixResult.acked, mixResult.conflicted, mixResult.pending);
    for (const b of browsers) b.close();

    // 2. Concurrency -------------------------------------------------------------------------
    console.log(`Gelijktijdig bewerken: ${EDITORS} x ${EDITS_EACH} op ${SHARED_SUPPLIERS} leveranciers ...`);
    const concurrent = await concurrency(server, path, emails, picks.sharedSuppliers);
    await phase("na de gelijktijdigheidstest");
    // The live heap once everything is collected: if it stays near its size after the start, nothing leaks and
    // the growth above is garbage V8 has not collected yet (its heap limit here is large).
    const liveHeap = await server.heap(true);

    const hwmKb = server.lastMemory?.hwmKb ?? NaN;
    const peakDuringLoadKb = Math.max(list.peakRssKb, mix.peakRssKb);
    const stopped = await server.stop();
    server = undefined;
    check("nette stop (SIGTERM)", stopped.code === 0, `exitcode ${stopped.code}, signaal ${stopped.signal}`);

    // 3. Crash -------------------------------------------------------------------------------
    const chain = inspect(path, (sqlite) => verifyAuditChain(drizzle(sqlite)));
    if (!chain.ok) console.log(`Let op: de hashketen van het auditlog klopte al niet voor de crashes (${chain.problem?.kind} bij #${chain.problem?.id}); niet meegeteld.`);
    const runId = Date.now().toString(36);
    const rounds: Round[] = [];
    console.log(`Crash: ${ROUNDS} x SIGKILL tijdens ${CRASH_WRITERS} schrijvers ...`);
    server = await ServerProcess.start(path, documents, { nodeArgs });
    for (let round = 1; round <= ROUNDS; round += 1) {
      const outcome = await crashRound(round, server, path, documents, emails, runId, chain.ok);
      server = outcome.server;
      rounds.push(outcome.round);
    }
    await server.stop();
    server = undefined;

    // Report ---------------------------------------------------------------------------------
    const memoryMb = hwmKb / 1024;
    console.log("");
    console.log(
      `IBP-register belasting en storingen, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, Node ${process.version}, ` +
        `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "?"}); load average bij de start ${loadAtStart}, aan het eind ${load()}`,
    );
    console.log(
      `Bestand: ${reused ? `hergebruikt ${CACHE} (gegenereerd ${meta.generatedAt})` : `nieuw gegenereerd ${CACHE}`}: ` +
        `${meta.counts.applications} applicaties, ${meta.counts.suppliers} leveranciers, ${meta.counts.auditLog} auditregels; ` +
        `register in een eigen proces (node ${nodeArgs.join(" ")}${nodeArgs.length ? " " : ""}bench/load-server.cjs op dist/, NODE_ENV=production), start ${startS.toFixed(1)} s, ` +
        `RSS na de start ${phases[0]?.[1] ? mb(phases[0][1].rssKb) : "?"}`,
    );
    console.log(`autocannon: ${DURATION} s per run, ${CONNECTIONS} verbindingen, elk een eigen sessie; lijsten: ${LISTS.join(" ")}`);
    console.log("");
    printTable(
      ["meting", "verzoeken/s", "p50", "p99", "verzoeken", "fouten", "budget", "oordeel", "load avg na"],
      [
        [list.label, list.rps.toFixed(0), ms(list.p50), ms(list.p99), String(list.total), String(list.errors), `>= ${LIST_BUDGET_RPS}/s, 0 fouten`,
          list.rps >= LIST_BUDGET_RPS && list.errors === 0 ? "OK" : "OVER", list.loadAfter],
        [mix.label, mix.rps.toFixed(0), ms(mix.p50), ms(mix.p99), String(mix.total), String(mix.errors), "0 fouten", mix.errors === 0 ? "OK" : "OVER", mix.loadAfter],
        ...[...mix.kinds.entries()].map(([kind, k]) => [
          `  waarvan ${kind}`,
          "",
          ms(percentile(k.latencies, 50)),
          ms(percentile(k.latencies, 99)),
          String(k.latencies.length),
          [...k.statuses.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}: ${n}`).join(" "),
          "",
          "",
          "",
        ]),
        ["geheugen register (VmHWM, piek)", "", "", "", "", "", `<= ${MEMORY_BUDGET_MB} MB`, memoryMb <= MEMORY_BUDGET_MB ? "OK" : "OVER", mb(hwmKb)],
        ["  piek-RSS tijdens de runs (VmRSS)", "", "", "", "", "", "", "", mb(peakDuringLoadKb)],
      ],
    );
    console.log(`  lijst: ${list.errorDetail}`);
    console.log(`  mix: ${mix.errorDetail}`);
    console.log("  geheugen van het register per stap (VmRSS / VmHWM uit /proc; heap gebruikt / heap totaal / extern uit process.memoryUsage()):");
    for (const [label, m, heap] of phases) {
      const inMb = (bytes: number) => `${(bytes / 1048576).toFixed(0)}`;
      console.log(
        `    ${label.padEnd(28)} ${m ? `${mb(m.rssKb)} / ${mb(m.hwmKb)}` : "?"}` +
          (heap ? `; heap ${inMb(heap.heapUsed)} / ${inMb(heap.heapTotal)} MB, extern ${inMb(heap.external)} MB` : ""),
      );
    }
    if (liveHeap) console.log(`    ${"na een volledige GC".padEnd(28)} heap ${(liveHeap.heapUsed / 1048576).toFixed(0)} / ${(liveHeap.heapTotal / 1048576).toFixed(0)} MB (de levende heap)`);
    if (PROFILE) console.log(`  CPU-profiel van het register in ${profileDir}`);
    console.log("");
    printTable(
      ["controle", "oordeel", "uitkomst"],
      checks.map((c) => [c.label, c.ok ? "OK" : "FOUT", c.detail]),
    );
    console.log("");
    console.log(
      `Gelijktijdig: ${concurrent.ok} x 303, ${concurrent.conflicts} x 409 in ${concurrent.seconds.toFixed(1)} s; ` +
        `crashes: ${rounds.map((r) => `${r.acked} bevestigd/${r.inFlight} onderweg`).join(", ")}; totale looptijd ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
  } finally {
    if (server) await server.stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error("Belastingtest afgebroken:", err);
  process.exitCode = 1;
});
