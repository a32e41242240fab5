// The benchmarks of the register: `npm run bench` (options: --fresh, --n=50, --warmup=10, --seed=1,
// --history=100000,500000 for the sizes of the change history downloaded under the memory cap, 0 for none).
//
// A large board (bench/generate.ts) is generated into data/bench.sqlite, or that file is reused when it is
// newer than the migrations and the generator (--fresh regenerates it). Each run works on a copy in a
// temporary folder, so the users and sessions the bench makes never end up in the cached file.
//
// The app is built with createApp as in production (quiet log) and listens on 127.0.0.1. Per case, after a
// warm-up, N sequential requests are timed on the server side (process.hrtime from the moment the request
// reaches the server until the response is finished), next to a floor: one plain prepared SQL statement that
// reads the rows the page shows. The bench reports; it never fails on a budget (exit 0), only when a page
// answers something else than 200 (exit 1). A 404 means "page not built yet" and is reported as n/a.
import type Database from "better-sqlite3";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import { Session } from "node:inspector/promises";
import type { AddressInfo } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, type App } from "../src/app";
import { hashPassword } from "../src/auth/passwords";
import { computeEvaluation, ruleSettings } from "../src/compliance/compliance.service";
import { todayIso } from "../src/lib/dates";
import { getSettings } from "../src/settings/settings.service";
import { loadConfig } from "../src/config";
import { MIGRATIONS_DIR, openDatabase, type Connection } from "../src/db/client";
import { insertUser } from "../src/users/users.repository";
import { createBenchDatabase, type GenerateSummary } from "./generate";
import { downloadInChild, growHistory, START_FLAGS, type ChildDownload } from "./report-memory";
import { decoded } from "../tests/helpers/app";

process.env.NODE_ENV = "production";

const ROOT = join(__dirname, "..");
const CACHE = join(ROOT, "data", "bench.sqlite");
const CACHE_META = join(ROOT, "data", "bench.json");
const PASSWORD = "bench-wachtwoord-niet-geheim";
const SESSION_SECRET = "bench-session-secret-bench-session-secret";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const FRESH = args.includes("--fresh");
/** Also write each case's CPU profile to data/bench-profiles/ (open in Chrome DevTools or speedscope). */
const WRITE_PROFILES = args.includes("--profile");
const N = option("n", 50);
const WARMUP = option("warmup", 10);
const SEED = option("seed", 1);
/** Change histories of these sizes are downloaded in every format by a child process under the `npm start` flags. */
const HISTORY_SIZES = (args.find((a) => a.startsWith("--history="))?.split("=")[1] ?? "100000,500000")
  .split(",")
  .map(Number)
  .filter((n) => n > 0);
/** The most RSS a history download may take in that child. */
const HISTORY_RSS_BUDGET_MB = 250;

// ---------------------------------------------------------------------------------------------
// Memory: process.memoryUsage().rss, sampled after every request and on a timer

let peakRss = 0;
/** The peak since the last reset: per report download case. */
let casePeakRss = 0;
const sampleRss = () => {
  const rss = process.memoryUsage().rss;
  peakRss = Math.max(peakRss, rss);
  casePeakRss = Math.max(casePeakRss, rss);
};
setInterval(sampleRss, 20).unref();

// ---------------------------------------------------------------------------------------------
// Counting (and, on request, timing) the SQL statements executed. drizzle prepares a statement for every
// query it runs, but the hot paths reuse cached prepared statements, so every execution is counted.

type Profile = Map<string, { calls: number; ms: number }>;
type Counter = { statements: number; profile?: Profile; rawPrepare: (source: string) => Database.Statement };

function instrument(sqlite: Database.Database): Counter {
  const rawPrepare = sqlite.prepare.bind(sqlite) as (source: string) => Database.Statement;
  const counter: Counter = { statements: 0, rawPrepare };
  sqlite.prepare = ((source: string) => {
    const stmt = rawPrepare(source);
    instrumentStatement(stmt, source, counter);
    return stmt;
  }) as typeof sqlite.prepare;
  return counter;
}

function instrumentStatement(stmt: Database.Statement, source: string, counter: Counter): void {
  const methods = stmt as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of ["all", "get", "run", "iterate"]) {
    const original = methods[method]!.bind(stmt);
    methods[method] = (...params: unknown[]) => {
      counter.statements += 1;
      if (!counter.profile) return original(...params);
      const profile = counter.profile;
      const started = process.hrtime.bigint();
      try {
        return original(...params);
      } finally {
        const entry = profile.get(source) ?? { calls: 0, ms: 0 };
        entry.calls += 1;
        entry.ms += Number(process.hrtime.bigint() - started) / 1e6;
        profile.set(source, entry);
      }
    };
  }
}

// ---------------------------------------------------------------------------------------------
// A register on a file, served on 127.0.0.1, with a tiny HTTP client that keeps cookies per user

type Reply = { status: number; body: string; bytes: number; cookies: string[]; serverMs: number; roundTripMs: number; statements: number };

class Register {
  readonly connection: Connection;
  readonly counter: Counter;
  private readonly app: App;
  private readonly server: http.Server;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly finished = new Map<string, { serverMs: number; statements: number }>();
  private readonly waiting = new Map<string, () => void>();
  private sequence = 0;
  port = 0;

  constructor(path: string) {
    this.connection = openDatabase(path);
    this.counter = instrument(this.connection.sqlite);
    const config = loadConfig({ NODE_ENV: "production", LOG_LEVEL: "silent", SESSION_SECRET, DATABASE_PATH: path, DOCUMENTS_DIR: join(path, "..", "documents") });
    this.app = createApp({ connection: this.connection, config, logger: { info: () => {}, error: () => {} } });
    this.server = http.createServer((req, res) => {
      const started = process.hrtime.bigint();
      const before = this.counter.statements;
      const id = String(req.headers["x-bench-id"] ?? "");
      res.on("finish", () => {
        this.finished.set(id, { serverMs: Number(process.hrtime.bigint() - started) / 1e6, statements: this.counter.statements - before });
        this.waiting.get(id)?.();
      });
      this.app(req, res);
    });
    // The client's keep-alive connection waits while in-process cases run (seconds): the server must not close it.
    this.server.keepAliveTimeout = 120_000;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.agent.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.app.close();
    this.connection.close();
  }

  async send(method: "GET" | "POST", path: string, options: { cookie?: string; form?: Record<string, string> } = {}): Promise<Reply> {
    const id = String((this.sequence += 1));
    const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
    const headers: http.OutgoingHttpHeaders = { "x-bench-id": id, accept: "text/html" };
    if (options.cookie) headers.cookie = options.cookie;
    if (body) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      headers["content-length"] = Buffer.byteLength(body);
    }
    const started = process.hrtime.bigint();
    const { status, text, bytes, cookies } = await new Promise<{ status: number; text: string; bytes: number; cookies: string[] }>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, text: body.toString("utf8"), bytes: body.length, cookies: res.headers["set-cookie"] ?? [] });
        });
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });
    const roundTripMs = Number(process.hrtime.bigint() - started) / 1e6;
    const server = await this.serverSide(id);
    sampleRss();
    return { status, body: text, bytes, cookies, roundTripMs, ...server };
  }

  private serverSide(id: string): Promise<{ serverMs: number; statements: number }> {
    return new Promise((resolve) => {
      const take = () => {
        const result = this.finished.get(id)!;
        this.finished.delete(id);
        this.waiting.delete(id);
        resolve(result);
      };
      if (this.finished.has(id)) take();
      else this.waiting.set(id, take);
    });
  }

  /** Logs in through the login form (CSRF token from its hidden _csrf field) and returns the session cookie. */
  async login(email: string, password: string): Promise<string> {
    const page = await this.send("GET", "/login");
    let cookie = sessionCookie(page.cookies);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (!token) throw new Error("Geen CSRF-token op /login");
    const res = await this.send("POST", "/login", { cookie, form: { email, password, _csrf: decoded(token) } });
    if (res.status !== 303) throw new Error(`Inloggen als ${email} mislukt: status ${res.status}`);
    cookie = sessionCookie(res.cookies) ?? cookie;
    if (!cookie) throw new Error("Geen sessiecookie na inloggen");
    return cookie;
  }
}

function sessionCookie(cookies: string[]): string | undefined {
  return cookies.map((c) => c.split(";")[0]!).find((c) => c.startsWith("ibp.sid="));
}

// ---------------------------------------------------------------------------------------------
// Where the JavaScript time goes: a CPU profile per case, summed by self time per package or src/ folder

type CpuProfile = { nodes: { id: number; hitCount?: number; callFrame: { functionName: string; url: string } }[] };

async function cpuProfile(label: string, run: () => Promise<unknown> | unknown, rounds: number): Promise<{ label: string; areas: [string, number][]; functions: [string, number][] }> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  for (let i = 0; i < rounds; i += 1) await run();
  const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: CpuProfile };
  session.disconnect();
  if (WRITE_PROFILES) {
    const dir = join(ROOT, "data", "bench-profiles");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${label.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "")}.cpuprofile`), JSON.stringify(profile));
  }
  // Shares of the busy samples (idle left out): the profiler slows the code down, so absolute times would mislead.
  const busy = profile.nodes.filter((node) => node.hitCount && node.callFrame.functionName !== "(idle)");
  const totalHits = busy.reduce((sum, node) => sum + node.hitCount!, 0) || 1;
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const node of busy) {
    const { functionName, url } = node.callFrame;
    const path = url.replace(/^file:\/\//, "").replace(`${ROOT}/`, "");
    const area = !path
      ? functionName.startsWith("(") ? functionName : "(native, o.a. better-sqlite3)"
      : path.startsWith("node_modules/")
        ? path.split("/").slice(0, path.split("/")[1]!.startsWith("@") ? 3 : 2).join("/")
        : path.startsWith("node:")
          ? "node (intern)"
          : path.split("/").slice(0, 2).join("/");
    const share = (100 * node.hitCount!) / totalHits;
    areas.set(area, (areas.get(area) ?? 0) + share);
    // Line numbers are those of tsx's transpiled code: the file names the place well enough.
    const fn = `${functionName || "(anoniem)"}${path ? ` (${path.replace(/^node_modules\//, "")})` : ""}`;
    functions.set(fn, (functions.get(fn) ?? 0) + share);
  }
  const top = (m: Map<string, number>, k: number) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k);
  return { label, areas: top(areas, 6), functions: top(functions, 6) };
}

// ---------------------------------------------------------------------------------------------
// Figures

const median = (xs: number[]) => percentile(xs, 50);
function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const ms = (x: number) => (Number.isNaN(x) ? "-" : x < 10 ? `${x.toFixed(2)} ms` : `${x.toFixed(1)} ms`);

type Result = {
  label: string;
  budget?: number;
  note?: string;
  median?: number;
  p95?: number;
  roundTrip?: number;
  floor?: number;
  statements?: number;
  failed?: string;
};

/** Times a prepared statement N times (after a warm-up): the floor of a case. */
function floorOf(counter: Counter, sql: string, params: unknown[] = []): number {
  const stmt = counter.rawPrepare(sql);
  for (let i = 0; i < WARMUP; i += 1) stmt.all(...params);
  const times: number[] = [];
  for (let i = 0; i < N; i += 1) {
    const started = process.hrtime.bigint();
    stmt.all(...params);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(times);
}

async function measurePage(
  register: Register,
  label: string,
  path: string,
  cookie: string,
  budget: number | undefined,
  floorSql: string,
  floorParams: unknown[] = [],
  beforeEach?: () => void,
): Promise<Result> {
  const first = await register.send("GET", path, { cookie });
  if (first.status === 404) return { label, budget, note: "n/a (404)" };
  if (first.status !== 200) return { label, budget, failed: `GET ${path} gaf status ${first.status}: ${first.body.replace(/\s+/g, " ").slice(0, 300)}` };
  for (let i = 1; i < WARMUP; i += 1) await register.send("GET", path, { cookie });
  const server: number[] = [];
  const roundTrip: number[] = [];
  const statements: number[] = [];
  for (let i = 0; i < N; i += 1) {
    beforeEach?.();
    const res = await register.send("GET", path, { cookie });
    if (res.status !== 200) return { label, budget, failed: `GET ${path} gaf status ${res.status} bij meting ${i + 1}` };
    server.push(res.serverMs);
    roundTrip.push(res.roundTripMs);
    statements.push(res.statements);
  }
  return {
    label,
    budget,
    median: median(server),
    p95: percentile(server, 95),
    roundTrip: median(roundTrip),
    floor: floorOf(register.counter, floorSql, floorParams),
    statements: Math.max(...statements),
  };
}

/** Report downloads take up to a second each: fewer rounds than the pages. */
const REPORT_N = Math.min(N, 10);
const REPORT_WARMUP = Math.min(WARMUP, 3);

type DownloadResult = Result & { bytes?: number; startMb?: number; peakMb?: number };

/**
 * A report download as measurePage measures a page (server time, round trip, statements, a floor), with fewer
 * rounds, plus the size of the file and the peak RSS of the process while this case ran.
 */
async function measureDownload(register: Register, label: string, path: string, cookie: string, budget: number, floorSql: string): Promise<DownloadResult> {
  const startRss = process.memoryUsage().rss;
  casePeakRss = startRss;
  const first = await register.send("GET", path, { cookie });
  if (first.status === 404) return { label, budget, note: "n/a (404)" };
  if (first.status !== 200) return { label, budget, failed: `GET ${path} gaf status ${first.status}: ${first.body.replace(/\s+/g, " ").slice(0, 300)}` };
  for (let i = 1; i < REPORT_WARMUP; i += 1) await register.send("GET", path, { cookie });
  const server: number[] = [];
  const roundTrip: number[] = [];
  const statements: number[] = [];
  for (let i = 0; i < REPORT_N; i += 1) {
    const res = await register.send("GET", path, { cookie });
    if (res.status !== 200) return { label, budget, failed: `GET ${path} gaf status ${res.status} bij meting ${i + 1}` };
    server.push(res.serverMs);
    roundTrip.push(res.roundTripMs);
    statements.push(res.statements);
  }
  return {
    label,
    budget,
    median: median(server),
    p95: percentile(server, 95),
    roundTrip: median(roundTrip),
    floor: floorOf(register.counter, floorSql),
    statements: Math.max(...statements),
    bytes: first.bytes,
    startMb: startRss / 1024 / 1024,
    peakMb: casePeakRss / 1024 / 1024,
  };
}

function measureInProcess(register: Register, label: string, budget: number | undefined, run: () => unknown, floorSql: string): Result {
  for (let i = 0; i < WARMUP; i += 1) run();
  const times: number[] = [];
  let statements = 0;
  for (let i = 0; i < N; i += 1) {
    const before = register.counter.statements;
    const started = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    statements = Math.max(statements, register.counter.statements - before);
    sampleRss();
  }
  return { label, budget, median: median(times), p95: percentile(times, 95), floor: floorOf(register.counter, floorSql), statements };
}

function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(headers));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}

// ---------------------------------------------------------------------------------------------
// The register under test

function newestInput(): number {
  const files = [join(__dirname, "generate.ts"), ...listFiles(MIGRATIONS_DIR)];
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

type CacheMeta = GenerateSummary & { generatedAt: string };

function ensureCachedBoard(): { meta: CacheMeta; reused: boolean } {
  if (!FRESH && existsSync(CACHE) && existsSync(CACHE_META) && statSync(CACHE).mtimeMs > newestInput()) {
    const meta = JSON.parse(readFileSync(CACHE_META, "utf8")) as CacheMeta;
    if (meta.seed === SEED && meta.scale === 1) return { meta, reused: true };
  }
  console.log(`Groot bestuur genereren in ${CACHE} ...`);
  const summary = createBenchDatabase(CACHE, { seed: SEED });
  const meta = { ...summary, generatedAt: new Date().toISOString() };
  writeFileSync(CACHE_META, `${JSON.stringify(meta, null, 2)}\n`);
  sampleRss();
  return { meta, reused: false };
}

type Picks = { schoolId: number; schoolApps: number; quietSchoolId: number; quietSchoolApps: number; applicationId: number; applicationName: string; oneAppSupplier?: number; fewAppsSupplier?: number };

function pick(register: Register): Picks {
  const q = <T>(sql: string) => register.counter.rawPrepare(sql).get() as T | undefined;
  const perSchool = `select x.school_id as id, count(*) as n from application_schools x join applications a on a.id = x.application_id
    where a.archived_at is null group by x.school_id order by n`;
  const busy = q<{ id: number; n: number }>(`${perSchool} desc, id limit 1`)!;
  const quiet = q<{ id: number; n: number }>(`${perSchool} asc, id limit 1`)!;
  const app = q<{ id: number; name: string }>(`select a.id, a.name from applications a
    where a.archived_at is null and a.lifecycle = 'in_gebruik' and a.processes_personal_data = 1
    order by 10 * (select count(*) from agreement_applications where application_id = a.id)
           + 10 * (select count(*) from classifications where application_id = a.id)
           + 3 * (select count(*) from application_data where application_id = a.id)
           + (select count(*) from audit_log where entity_type = 'application' and entity_id = a.id)
           + (select count(*) from application_schools where application_id = a.id) / 10 desc, a.id limit 1`)!;
  const supplierWith = (n: number) =>
    q<{ id: number }>(`select supplier_id as id from applications where archived_at is null group by supplier_id having count(*) = ${n} order by supplier_id limit 1`)?.id;
  return {
    schoolId: busy.id,
    schoolApps: busy.n,
    quietSchoolId: quiet.id,
    quietSchoolApps: quiet.n,
    applicationId: app.id,
    applicationName: app.name,
    oneAppSupplier: supplierWith(1),
    fewAppsSupplier: supplierWith(3),
  };
}

async function addUsers(register: Register, passwordHash: string, schoolId: number) {
  const { db } = register.connection;
  // The bench signs in with a password alone: two-factor is required of no role on its copy of the board.
  register.connection.sqlite.prepare("insert into settings (key, value) values ('twoFactorRoles', '') on conflict(key) do update set value = excluded.value").run();
  const officer = insertUser(db, { email: "bench.privacy@bench.example", name: "Bench Privacy Officer", role: "privacy_officer", passwordHash });
  const school = insertUser(db, { email: "bench.school@bench.example", name: "Bench Schoolcontact", role: "school", passwordHash, schoolIds: [schoolId] });
  return {
    officer: await register.login(officer.email, PASSWORD),
    school: await register.login(school.email, PASSWORD),
  };
}

const rowsOnListPage = (html: string) => (html.match(/<th scope="row"><a href="\/applications\/\d+"/g) ?? []).length;

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  // Other processes on the machine disturb the figures: the load average says how much.
  const loadAvgAtStart = loadavg().map((x) => x.toFixed(2)).join(" / ");
  const { meta, reused } = ensureCachedBoard();
  const work = mkdtempSync(join(tmpdir(), "ibp-bench-"));
  let exitCode = 0;
  const registers: Register[] = [];
  try {
    const largePath = join(work, "bench.sqlite");
    copyFileSync(CACHE, largePath);
    const large = new Register(largePath);
    registers.push(large);
    await large.listen();
    const picks = pick(large);
    const passwordHash = await hashPassword(PASSWORD);
    const cookies = await addUsers(large, passwordHash, picks.schoolId);

    const LIST = "/applications?lifecycle=in_gebruik&sort=supplier&dir=desc&page=2";
    const results: Result[] = [];
    results.push(
      await measurePage(large, "dashboard (privacy officer)", "/", cookies.officer, 50,
        `select s.id, s.name, s.brin, s.location, s.sector, s.city, count(x.id) as n from schools s
         left join application_schools x on x.school_id = s.id where s.archived_at is null group by s.id order by s.name`),
    );
    results.push(
      await measurePage(large, "applicatielijst (gefilterd, gesorteerd, pagina 2)", LIST, cookies.officer, 20,
        `select a.id, a.name, a.lifecycle, a.processes_personal_data, s.id as supplier_id, s.name as supplier_name from applications a
         join suppliers s on s.id = a.supplier_id where a.archived_at is null and a.lifecycle = 'in_gebruik'
         order by lower(s.name) desc, a.id limit 50 offset 50`),
    );
    results.push(
      await measurePage(large, `applicatiepagina (#${picks.applicationId})`, `/applications/${picks.applicationId}`, cookies.officer, 10,
        "select a.*, s.name as supplier_name from applications a join suppliers s on s.id = a.supplier_id where a.id = ?", [picks.applicationId]),
    );
    const schoolFloor = `select a.id, a.name, a.lifecycle, s.name as supplier_name, x.since, x.until, x.local_contact from application_schools x
      join applications a on a.id = x.application_id join suppliers s on s.id = a.supplier_id
      where x.school_id = ? and a.archived_at is null order by a.name`;
    results.push(
      await measurePage(large, `schooloverzicht (school, ${picks.schoolApps} appl.)`, `/schools/${picks.schoolId}`, cookies.school, 50, schoolFloor, [picks.schoolId]),
    );
    // The pages as the first reader after a change sees them: the cached evaluation is stale every time.
    const change = () => large.connection.sqlite.prepare("update register_state set version = version + 1").run();
    results.push(
      await measurePage(large, "dashboard, direct na een wijziging", "/", cookies.officer, undefined, "select 1", [], change),
    );
    results.push(
      // The list body is kept per register state: the first reader after a change queries and renders it.
      await measurePage(large, "applicatielijst, direct na een wijziging", LIST, cookies.officer, 20, "select 1", [], change),
    );
    results.push(
      await measurePage(large, `schooloverzicht, direct na een wijziging`, `/schools/${picks.schoolId}`, cookies.school, undefined, schoolFloor, [picks.schoolId], change),
    );
    results.push(
      await measurePage(large, "dekkingsmatrix", "/overviews/coverage", cookies.officer, undefined,
        `select ad.application_id, ad.data_category_id from application_data ad join applications a on a.id = ad.application_id
         where a.archived_at is null group by ad.application_id, ad.data_category_id`),
    );
    results.push(
      // Uncached: the evaluation as it runs after every change to the register.
      measureInProcess(large, "evaluatie alle applicaties (in-process)", 100, () => computeEvaluation(large.connection.db, ruleSettings(getSettings(large.connection.db)), todayIso()),
        `select a.id, a.name, a.lifecycle, a.processes_personal_data, ad.data_category_id from applications a
         left join application_data ad on ad.application_id = a.id`),
    );

    // Report downloads of all applications (src/reports): the spreadsheet, the CSV and the PDF summary.
    const reportFloor = `select a.id, a.name, a.lifecycle, s.name from applications a join suppliers s on s.id = a.supplier_id where a.archived_at is null`;
    const downloads: DownloadResult[] = [];
    for (const [format, budget, what] of [["xlsx", 1500, "XLSX"], ["csv", 300, "CSV"], ["pdf", 1000, "PDF-samenvatting"]] as const) {
      downloads.push(await measureDownload(large, `rapportage applicaties, ${what}`, `/reports/applications/download?format=${format}`, cookies.officer, budget, reportFloor));
    }
    results.push(...downloads);

    // The change history at 100,000 and 500,000 entries (copies of the generated ones), downloaded in each format
    // by a child process with the heap limits of `npm start`: a report that holds its table crashes that child.
    const histories: { entries: number; format: string; result: ChildDownload }[] = [];
    for (const entries of HISTORY_SIZES) {
      const path = join(work, `history-${entries}.sqlite`);
      copyFileSync(CACHE, path);
      const held = growHistory(path, entries);
      for (const format of ["csv", "xlsx", "pdf"]) {
        histories.push({ entries: held, format, result: await downloadInChild(path, "history", format) });
      }
      rmSync(path, { force: true });
    }

    // N+1: statements per page for pages with more or fewer rows, on a large and a small board
    const smallPath = join(work, "small.sqlite");
    const smallSummary = createBenchDatabase(smallPath, { seed: SEED, scale: 0.1 });
    const small = new Register(smallPath);
    registers.push(small);
    await small.listen();
    const smallPicks = pick(small);
    const smallCookies = await addUsers(small, passwordHash, smallPicks.schoolId);
    const countRows: string[][] = [];
    const countPage = async (register: Register, size: string, path: string, cookie: string, rows: (html: string) => number) => {
      await register.send("GET", path, { cookie });
      const res = await register.send("GET", path, { cookie });
      countRows.push([size, path, res.status === 200 ? String(rows(res.body)) : `status ${res.status}`, String(res.statements)]);
    };
    const boards: [string, Register, Picks, { officer: string; school: string }, number][] = [
      ["groot", large, picks, cookies, meta.counts.applications ?? 0],
      ["klein", small, smallPicks, smallCookies, smallSummary.counts.applications ?? 0],
    ];
    for (const [name, register, p, c, apps] of boards) {
      const size = `${name} (${apps} appl.)`;
      await countPage(register, size, "/applications?lifecycle=in_gebruik&sort=supplier&dir=desc", c.officer, rowsOnListPage);
      await countPage(register, size, LIST, c.officer, rowsOnListPage);
      if (p.fewAppsSupplier) await countPage(register, size, `/applications?supplier=${p.fewAppsSupplier}`, c.officer, rowsOnListPage);
      if (p.oneAppSupplier) await countPage(register, size, `/applications?supplier=${p.oneAppSupplier}`, c.officer, rowsOnListPage);
      await countPage(register, size, "/applications?q=zzzz-bestaat-niet", c.officer, rowsOnListPage);
    }
    const schoolCounts: string[][] = [];
    for (const [name, register, p, , apps] of boards) {
      const officer = name === "groot" ? cookies.officer : smallCookies.officer;
      for (const [schoolId, n] of [[p.schoolId, p.schoolApps], [p.quietSchoolId, p.quietSchoolApps]] as const) {
        const res = await register.send("GET", `/schools/${schoolId}`, { cookie: officer });
        schoolCounts.push([`${name} (${apps} appl.)`, `/schools/${schoolId}`, String(n), res.status === 200 ? String(res.statements) : `status ${res.status}`]);
      }
    }

    // Where the time goes: the slowest statements per case, and a CPU profile per case (10 requests each)
    const profiles: [string, Profile, number][] = [];
    const cpu: Awaited<ReturnType<typeof cpuProfile>>[] = [];
    const cases: [string, () => Promise<unknown> | unknown][] = [
      ["dashboard (p", () => large.send("GET", "/", { cookie: cookies.officer })],
      ["applicatielijst", () => large.send("GET", LIST, { cookie: cookies.officer })],
      ["applicatiepagina", () => large.send("GET", `/applications/${picks.applicationId}`, { cookie: cookies.officer })],
      ["schooloverzicht", () => large.send("GET", `/schools/${picks.schoolId}`, { cookie: cookies.school })],
      ["dekkingsmatrix", () => large.send("GET", "/overviews/coverage", { cookie: cookies.officer })],
      ["evaluatie", () => computeEvaluation(large.connection.db, ruleSettings(getSettings(large.connection.db)), todayIso())],
    ];
    for (const r of results) {
      const run = cases.find(([prefix]) => r.label.startsWith(prefix))?.[1];
      if (r.median === undefined || !run) continue;
      const profile: Profile = new Map();
      large.counter.profile = profile;
      for (let i = 0; i < 10; i += 1) await run();
      large.counter.profile = undefined;
      profiles.push([r.label, profile, 10]);
      cpu.push(await cpuProfile(r.label, run, 10));
    }

    // Report ------------------------------------------------------------------------------------
    console.log("");
    console.log(
      `IBP-register benchmark, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, Node ${process.version}, ${cpus().length} cores` +
        ` (belasting bij de start ${loadAvgAtStart}), N=${N} (opwarmen ${WARMUP})`,
    );
    console.log(
      `Bestand: ${reused ? `hergebruikt ${CACHE} (gegenereerd ${meta.generatedAt})` : `nieuw gegenereerd ${CACHE}`}; generator: ${(meta.ms / 1000).toFixed(1)} s` +
        ` voor ${Object.entries(meta.counts).map(([k, v]) => `${v} ${k}`).join(", ")}`,
    );
    console.log(`Applicatiepagina: "${picks.applicationName}"; schooloverzicht: school #${picks.schoolId} (${picks.schoolApps} applicaties)`);
    console.log("");
    printTable(
      ["geval", "mediaan", "p95", "rondreis", "vloer (1 query)", "queries", "budget", "oordeel"],
      results.map((r) => [
        r.label,
        r.failed ? "FOUT" : r.note ?? ms(r.median ?? NaN),
        ms(r.p95 ?? NaN),
        ms(r.roundTrip ?? NaN),
        ms(r.floor ?? NaN),
        r.statements === undefined ? "-" : String(r.statements),
        r.budget === undefined ? "-" : `${r.budget} ms`,
        r.failed ? "FOUT" : r.median === undefined ? "n/a" : r.budget === undefined ? "-" : r.median <= r.budget ? "OK" : "OVER",
      ]),
    );
    console.log("(mediaan/p95: servertijd van binnenkomst tot verzonden antwoord; rondreis: mediaan gezien door de client; queries: SQL-statements per verzoek, incl. sessie)");
    console.log("");
    for (const r of results) {
      if (r.median !== undefined && r.budget !== undefined && r.median > r.budget) {
        console.log(`OVER BUDGET: ${r.label}: mediaan ${ms(r.median)} > ${r.budget} ms (p95 ${ms(r.p95 ?? NaN)})`);
      }
      if (r.failed) {
        console.log(`FOUT: ${r.label}: ${r.failed}`);
        exitCode = 1;
      }
    }
    console.log("");
    console.log(`Rapportages (N=${REPORT_N}, opwarmen ${REPORT_WARMUP}; RSS van het hele bench-proces bij de start van het geval en de piek tijdens het geval)`);
    printTable(
      ["rapportage", "mediaan", "p95", "budget", "bestand", "RSS start", "piek-RSS", "oordeel"],
      downloads.map((r) => [
        r.label,
        r.failed ? "FOUT" : r.note ?? ms(r.median ?? NaN),
        ms(r.p95 ?? NaN),
        `${r.budget} ms`,
        r.bytes === undefined ? "-" : `${(r.bytes / 1024).toFixed(0)} kB`,
        r.startMb === undefined ? "-" : `${r.startMb.toFixed(0)} MB`,
        r.peakMb === undefined ? "-" : `${r.peakMb.toFixed(0)} MB`,
        r.failed ? "FOUT" : r.median === undefined ? "n/a" : r.median <= r.budget! ? "OK" : "OVER",
      ]),
    );
    if (histories.length > 0) {
      console.log("");
      console.log(
        `Wijzigingshistorie downloaden in een kindproces met de vlaggen van npm start (${START_FLAGS.join(" ")}); piek-RSS van dat proces, bemonsterd per 10 ms, ten hoogste ${HISTORY_RSS_BUDGET_MB} MB`,
      );
      printTable(
        ["items", "formaat", "status", "tijd", "bestand", "RSS start", "piek-RSS", "oordeel"],
        histories.map(({ entries, format, result: r }) => [
          entries.toLocaleString("nl-NL"),
          format,
          r.error ? "CRASH" : String(r.status),
          r.ms === undefined ? "-" : `${(r.ms / 1000).toFixed(1)} s`,
          r.bytes === undefined ? "-" : `${(r.bytes / 1024 / 1024).toFixed(1)} MB`,
          r.startRssMb === undefined ? "-" : `${r.startRssMb.toFixed(0)} MB`,
          r.peakRssMb === undefined ? "-" : `${r.peakRssMb.toFixed(0)} MB`,
          !r.ok ? "FOUT" : r.peakRssMb! <= HISTORY_RSS_BUDGET_MB ? "OK" : "OVER",
        ]),
      );
      for (const { entries, format, result: r } of histories) {
        if (r.ok) continue;
        console.log(`FOUT: wijzigingshistorie ${entries} items, ${format}: ${r.error ?? `status ${r.status}, hash of lengte klopt niet met de kopregels`}`);
        exitCode = 1;
      }
    }
    console.log("");
    console.log("SQL-statements per pagina (N+1-controle: het aantal hoort niet mee te groeien met de getoonde rijen of de omvang van het bestuur)");
    printTable(["bestuur", "pagina", "rijen", "statements"], countRows);
    console.log("");
    printTable(["bestuur", "schooloverzicht", "applicaties van de school", "statements"], schoolCounts);
    console.log("");
    console.log("Traagste statements per geval (profiel van 10 verzoeken; ms per verzoek)");
    for (const [label, profile, rounds] of profiles) {
      const total = [...profile.values()].reduce((sum, e) => sum + e.ms, 0);
      console.log(`  ${label}: ${(total / rounds).toFixed(2)} ms SQL per verzoek`);
      for (const [sql, e] of [...profile.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 3)) {
        console.log(`    ${(e.ms / rounds).toFixed(2).padStart(7)} ms  ${String(e.calls / rounds).padStart(4)}x  ${sql.replace(/\s+/g, " ").slice(0, 200)}`);
      }
    }
    console.log("");
    console.log("Waar de tijd heen gaat (CPU-profiel van 10 verzoeken; aandeel eigen tijd, per pakket of map en per functie)");
    for (const c of cpu) {
      console.log(`  ${c.label}: ${c.areas.map(([area, share]) => `${area} ${share.toFixed(0)}%`).join(", ")}`);
      console.log(`    functies: ${c.functions.map(([fn, share]) => `${fn} ${share.toFixed(0)}%`).join("; ")}`);
    }
    if (WRITE_PROFILES) console.log(`  (profielen in ${join(ROOT, "data", "bench-profiles")})`);
    console.log("");
    sampleRss();
    console.log(
      `Piek-RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MB (process.memoryUsage().rss, bemonsterd); OS maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB;` +
        ` totale looptijd ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  } finally {
    for (const register of registers) await register.close();
    rmSync(work, { recursive: true, force: true });
  }
  process.exitCode = exitCode;
}

main().catch((err: unknown) => {
  console.error("Benchmark afgebroken:", err);
  process.exitCode = 1;
});
