// What bench/load.ts needs around the load itself: the cached large board, the register as a child process
// (with its memory read from /proc), a small HTTP client that keeps one session like a browser, and reading a
// form back from its HTML. Everything talks to 127.0.0.1 only, and every wait has a time limit.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { MIGRATIONS_DIR } from "../src/db/client";
import { decoded } from "../tests/helpers/app";
import { createBenchDatabase, type GenerateSummary } from "./generate";

export const ROOT = join(__dirname, "..");
export const CACHE = join(ROOT, "data", "bench.sqlite");
const CACHE_META = join(ROOT, "data", "bench.json");
export const PASSWORD = "bench-wachtwoord-niet-geheim";
export const SESSION_SECRET = "bench-session-secret-bench-session-secret";
const HOST = "127.0.0.1";

// ---------------------------------------------------------------------------------------------
// The large board, shared with bench/run.ts: data/bench.sqlite is reused while it is newer than the migrations
// and the generator (the same rule as bench/run.ts, which does not export it).

export type CacheMeta = GenerateSummary & { generatedAt: string };

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

export function ensureCachedBoard(options: { seed: number; fresh: boolean }): { meta: CacheMeta; reused: boolean } {
  const newestInput = Math.max(...[join(__dirname, "generate.ts"), ...listFiles(MIGRATIONS_DIR)].map((f) => statSync(f).mtimeMs));
  if (!options.fresh && existsSync(CACHE) && existsSync(CACHE_META) && statSync(CACHE).mtimeMs > newestInput) {
    const meta = JSON.parse(readFileSync(CACHE_META, "utf8")) as CacheMeta;
    if (meta.seed === options.seed && meta.scale === 1) return { meta, reused: true };
  }
  console.log(`Groot bestuur genereren in ${CACHE} ...`);
  // Generated next to the cache and then renamed, so a bench/run.ts starting meanwhile never copies half a file.
  const partial = `${CACHE}.${process.pid}.tmp`;
  try {
    const summary = createBenchDatabase(partial, { seed: options.seed });
    renameSync(partial, CACHE);
    const meta = { ...summary, generatedAt: new Date().toISOString() };
    writeFileSync(CACHE_META, `${JSON.stringify(meta, null, 2)}\n`);
    return { meta, reused: false };
  } finally {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${partial}${suffix}`, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The register in a process of its own

export type Memory = { rssKb: number; hwmKb: number };

/** Compiles the register to dist/ (`npm run build`), as production runs it. */
export function buildRegister(): void {
  execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
}

/** Node's own flags in the start script (`node <flags> dist/src/server.js`): the bench runs with the same. */
export function startFlags(): string[] {
  const start = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.start ?? "";
  return start.split(/\s+/).filter((word) => word.startsWith("--"));
}

function readMemory(pid: number): Memory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { rssKb: kb("VmRSS"), hwmKb: kb("VmHWM") };
  } catch {
    return undefined; // the process is gone
  }
}

export class ServerProcess {
  readonly url: string;
  /** Highest VmRSS seen since the last resetPeak(), sampled every 100 ms. */
  peakRssKb = 0;
  lastMemory: Memory | undefined;
  private readonly sampler: NodeJS.Timeout;
  private readonly heapWaiters: ((usage: NodeJS.MemoryUsage) => void)[] = [];
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly stderr: () => string,
    exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  ) {
    this.url = `http://${HOST}:${port}`;
    this.exited = exited;
    this.sampler = setInterval(() => this.sample(), 100);
    this.sampler.unref();
    this.sample();
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      for (let nl = out.indexOf("\n"); nl >= 0; nl = out.indexOf("\n")) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line.startsWith("MEMORY ")) this.heapWaiters.shift()?.(JSON.parse(line.slice(7)) as NodeJS.MemoryUsage);
      }
    });
  }

  /**
   * The register's own process.memoryUsage() (heap, external), asked for on its stdin; with `gc` after a full
   * garbage collection (the live heap). Undefined when no answer comes within 10 s.
   */
  async heap(gc = false): Promise<NodeJS.MemoryUsage | undefined> {
    const answer = new Promise<NodeJS.MemoryUsage>((resolve) => this.heapWaiters.push(resolve));
    this.child.stdin!.write(gc ? "memory gc\n" : "memory\n");
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 10_000)));
    const usage = await Promise.race([answer, late]);
    clearTimeout(timer);
    return usage;
  }

  /**
   * Waits until the register has worked off what it had queued (requests of connections the load generator already
   * closed are still handled): a fresh connection gets its /health answered only when the event loop has room.
   */
  async settle(timeoutMs = 30_000): Promise<void> {
    const browser = new Browser(this.port, timeoutMs);
    try {
      await browser.get("/health");
      await sleep(300);
    } finally {
      browser.close();
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  /**
   * Starts bench/load-server.cjs (the compiled register) on `databasePath` with `node` (one process: its pid is the
   * register's, so /proc/<pid> is the register's memory) and waits until it listens (at most `timeoutMs`).
   */
  static async start(databasePath: string, documentsDir: string, options: { timeoutMs?: number; nodeArgs?: string[] } = {}): Promise<ServerProcess> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      NODE_ENV: "production",
      LOG_LEVEL: "silent",
      SESSION_SECRET,
      COOKIE_SECURE: "false",
      HOST,
      PORT: "0",
      DATABASE_PATH: databasePath,
      DOCUMENTS_DIR: documentsDir,
    };
    if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
    if (process.env.HOME) env.HOME = process.env.HOME;
    const child = spawn(
      process.execPath,
      // --expose-gc only makes gc() callable (for `memory gc`); the collector itself runs as it would without it.
      ["--expose-gc", ...(options.nodeArgs ?? []), join(__dirname, "load-server.cjs")],
      { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] },
    );
    live.add(child);
    // Its stdin is how the bench asks for memory figures; after a SIGKILL a write there fails, which is fine.
    child.stdin!.on("error", () => undefined);
    let errText = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      errText = (errText + chunk.toString("utf8")).slice(-4000);
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once("exit", (code, signal) => {
        live.delete(child);
        resolve({ code, signal });
      }),
    );
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`De server luisterde niet binnen ${timeoutMs / 1000} s. ${errText}`));
      }, timeoutMs);
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString("utf8");
        const match = /LISTENING (\d+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`De server stopte bij de start (code ${code}, signaal ${signal}): ${errText}`));
      });
    });
    return new ServerProcess(child, port, () => errText, exited);
  }

  sample(): Memory | undefined {
    const memory = readMemory(this.pid);
    if (memory) {
      this.lastMemory = memory;
      this.peakRssKb = Math.max(this.peakRssKb, memory.rssKb);
    }
    return memory;
  }

  resetPeak(): void {
    this.peakRssKb = 0;
    this.sample();
  }

  errorOutput(): string {
    return this.stderr();
  }

  /** The crash: SIGKILL, and wait until the process is gone. */
  async kill(): Promise<void> {
    clearInterval(this.sampler);
    this.child.kill("SIGKILL");
    await this.exited;
  }

  /** A clean stop (SIGTERM: the server finishes its requests and closes the database); SIGKILL after 15 s. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.sample();
    clearInterval(this.sampler);
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 15_000);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
}

/** Children still running: killed when this process ends in any way, so no register is left behind. */
const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

// ---------------------------------------------------------------------------------------------
// A browser, as far as the register needs one: one session cookie, forms posted urlencoded, no redirects followed

export type Reply = { status: number; body: string; location?: string };

export class Browser {
  cookie = "";
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    private readonly port: number,
    private readonly timeoutMs = 15_000,
  ) {}

  close(): void {
    this.agent.destroy();
  }

  get(path: string): Promise<Reply> {
    return this.send("GET", path);
  }

  post(path: string, form: [string, string][]): Promise<Reply> {
    return this.send("POST", path, new URLSearchParams(form).toString());
  }

  private send(method: "GET" | "POST", path: string, body?: string): Promise<Reply> {
    const headers: http.OutgoingHttpHeaders = { accept: "text/html" };
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      headers["content-length"] = Buffer.byteLength(body);
    }
    return new Promise<Reply>((resolve, reject) => {
      const req = http.request({ host: HOST, port: this.port, method, path, headers, agent: this.agent, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const session = (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]!).find((c) => c.startsWith("ibp.sid="));
          if (session) this.cookie = session;
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), location: res.headers.location });
        });
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(new Error(`${method} ${path}: geen antwoord binnen ${this.timeoutMs / 1000} s`)));
      req.on("error", reject);
      req.end(body);
    });
  }

  /** Logs in through the login form, with the CSRF token from its hidden field, as a person would. */
  async login(email: string, password = PASSWORD): Promise<void> {
    const page = await this.get("/login");
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (!token) throw new Error(`Geen CSRF-token op /login (status ${page.status})`);
    const res = await this.post("/login", [
      ["email", email],
      ["password", password],
      ["_csrf", decoded(token)],
    ]);
    if (res.status !== 303) throw new Error(`Inloggen als ${email} mislukt: status ${res.status}`);
  }
}

/** Logs in `count` browsers (a few at a time: every log-in verifies an argon2 hash on the server). */
export async function loginMany(port: number, emails: string[], count: number): Promise<Browser[]> {
  const browsers: Browser[] = [];
  for (let i = 0; i < count; i += 5) {
    const batch = Array.from({ length: Math.min(5, count - i) }, (_, k) => {
      const browser = new Browser(port);
      browsers.push(browser);
      return browser.login(emails[(i + k) % emails.length]!);
    });
    await Promise.all(batch);
  }
  return browsers;
}

// ---------------------------------------------------------------------------------------------
// A form read back from the page, as the browser would send it

const attribute = (tag: string, name: string) => {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? decoded(match[1]!) : undefined;
};

/**
 * The fields the form posting to `action` would send unchanged: text and hidden inputs, ticked checkboxes,
 * the selected option of each select (the first when none is), and textareas. Undefined when the page has
 * no such form.
 */
export function formFields(html: string, action: string): [string, string][] | undefined {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) return undefined;
  const end = html.indexOf("</form>", start);
  const form = html.slice(start, end < 0 ? undefined : end);
  const fields: { at: number; name: string; value: string }[] = [];
  for (const match of form.matchAll(/<input\b[^>]*>/g)) {
    const tag = match[0];
    const name = attribute(tag, "name");
    const type = attribute(tag, "type") ?? "text";
    if (!name || ["submit", "button", "file", "reset", "image"].includes(type)) continue;
    if ((type === "checkbox" || type === "radio") && !/\schecked\b/.test(tag)) continue;
    fields.push({ at: match.index, name, value: attribute(tag, "value") ?? (type === "checkbox" ? "on" : "") });
  }
  for (const match of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attribute(match[1]!, "name");
    if (!name) continue;
    const options = [...match[2]!.matchAll(/<option\b([^>]*)>/g)].map((o) => o[1]!);
    const chosen = options.find((o) => /\sselected\b/.test(o)) ?? options[0];
    fields.push({ at: match.index, name, value: chosen === undefined ? "" : (attribute(chosen, "value") ?? "") });
  }
  for (const match of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attribute(match[1]!, "name");
    if (name) fields.push({ at: match.index, name, value: decoded(match[2]!) });
  }
  return fields.sort((a, b) => a.at - b.at).map((f) => [f.name, f.value]);
}

/** The form's fields with some replaced (or added). */
export function withValues(fields: [string, string][], values: Record<string, string>): [string, string][] {
  const out = fields.filter(([name]) => !(name in values));
  return [...out, ...Object.entries(values)];
}

export const fieldValue = (fields: [string, string][], name: string) => fields.find(([n]) => n === name)?.[1];

// ---------------------------------------------------------------------------------------------
// Figures

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(headers));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}

/** Waits `ms`, for spacing out the steps of a test. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
