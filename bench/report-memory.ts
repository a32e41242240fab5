// Report downloads under the memory cap of `npm start` (--max-old-space-size=160 --max-semi-space-size=4): a
// long change history, made by copying the audit entries of a generated board, downloaded over HTTP by a child
// process that runs with exactly those flags, so a report that holds its whole table crashes that child, not
// the bench. The child prints one JSON line: status, size and SHA-256 of the body (and the one in its header),
// server time and its peak RSS, sampled every 10 ms.
//
//   npx tsx bench/report-memory.ts <board.sqlite> --entries=100000 [--format=csv|xlsx|pdf]   (grows the file, downloads)
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createApp } from "../src/app";
import { hashPassword } from "../src/auth/passwords";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/client";
import { insertUser } from "../src/users/users.repository";

/** The node flags of `npm start` (package.json). */
export const START_FLAGS = ["--max-old-space-size=160", "--max-semi-space-size=4"];

/** Adds copies of the existing audit entries (with later ids, same moments) until the history holds `entries`. */
export function growHistory(path: string, entries: number): number {
  const sqlite = new Database(path);
  try {
    const count = () => sqlite.prepare("select count(*) from audit_log").pluck().get() as number;
    const copy = sqlite.prepare(
      `insert into audit_log (at, user_id, actor, action, entity_type, entity_id, summary, before, after, hash, prev_hash)
       select at, user_id, actor, action, entity_type, entity_id, summary, before, after, hash, prev_hash from audit_log order by id limit ?`,
    );
    let n = count();
    if (n === 0) throw new Error("De geschiedenis is leeg: niets om te kopiëren");
    while (n < entries) {
      copy.run(Math.min(n, entries - n));
      n = count();
    }
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    return n;
  } finally {
    sqlite.close();
  }
}

export type ChildDownload = {
  ok: boolean;
  status?: number;
  bytes?: number;
  sha256?: string;
  headerSha256?: string;
  ms?: number;
  peakRssMb?: number;
  /** RSS just before the download (the register signed in and idle). */
  startRssMb?: number;
  /** Why the child failed: its exit code or signal and the end of its error output. */
  error?: string;
};

/** Downloads a report in a child process under the `npm start` flags and returns what it measured. */
export function downloadInChild(dbPath: string, report: string, format: string): Promise<ChildDownload> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...START_FLAGS, "--import", "tsx", join(__dirname, "report-memory.ts"), "--child", dbPath, report, format], {
      cwd: join(__dirname, ".."),
      env: { ...process.env, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")));
    child.on("close", (code, signal) => {
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (code === 0 && line) return resolve(JSON.parse(line) as ChildDownload);
      const tail = err.trim().split("\n").filter((l) => /heap|memory|error/i.test(l)).slice(-2).join(" | ") || err.trim().split("\n").slice(-2).join(" | ");
      resolve({ ok: false, error: `${signal ?? `exit ${code}`}: ${tail.slice(0, 300)}` });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The child: the register on the file, a privacy officer signed in through the login form, one download.

async function child(dbPath: string, report: string, format: string): Promise<void> {
  let peak = 0;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  setInterval(sample, 10).unref();
  const connection = openDatabase(dbPath);
  const password = "bench-wachtwoord-niet-geheim";
  const email = `bench.report.${process.pid}@bench.example`;
  // The bench signs in with a password alone: two-factor is required of no role on this copy.
  connection.sqlite.prepare("insert into settings (key, value) values ('twoFactorRoles', '') on conflict(key) do update set value = excluded.value").run();
  insertUser(connection.db, { email, name: "Bench Rapportage", role: "privacy_officer", passwordHash: await hashPassword(password) });
  const config = loadConfig({ NODE_ENV: "production", LOG_LEVEL: "silent", SESSION_SECRET: "bench-session-secret-bench-session-secret", DATABASE_PATH: dbPath });
  const app = createApp({ connection, config });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  type Answer = { status: number; headers: http.IncomingHttpHeaders; text: string; bytes: number; sha256: string };
  const send = (method: string, path: string, cookie?: string, form?: Record<string, string>) =>
    new Promise<Answer>((resolve, reject) => {
      const body = form ? new URLSearchParams(form).toString() : undefined;
      const headers: http.OutgoingHttpHeaders = { accept: "text/html" };
      if (cookie) headers.cookie = cookie;
      if (body) Object.assign(headers, { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) });
      const req = http.request({ host: "127.0.0.1", port, method, path, headers, agent }, (res) => {
        // The body is hashed and counted, not kept: the client must not be what fills the heap.
        const hash = createHash("sha256");
        let bytes = 0;
        let text = "";
        const keepText = !String(res.headers["content-type"] ?? "").includes("sheet") && res.headers["content-disposition"] === undefined;
        res.on("data", (chunk: Buffer) => {
          hash.update(chunk);
          bytes += chunk.length;
          if (keepText) text += chunk.toString("utf8");
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, bytes, sha256: hash.digest("hex") }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });
  const cookieOf = (a: Answer) => (a.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]!).find((c) => c.startsWith("ibp.sid="));

  const page = await send("GET", "/login");
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (!token) throw new Error("Geen CSRF-token op /login");
  const decoded = token.replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))).replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#39;/g, "'");
  const login = await send("POST", "/login", cookieOf(page), { email, password, _csrf: decoded });
  const cookie = cookieOf(login) ?? cookieOf(page);
  if (login.status !== 303 || !cookie) throw new Error(`Inloggen mislukt: status ${login.status}`);

  const startRss = process.memoryUsage().rss;
  sample();
  const started = process.hrtime.bigint();
  const res = await send("GET", `/reports/${report}/download?format=${format}`, cookie);
  if (res.status !== 200) console.error(res.status, res.headers.location, res.text.slice(0, 300));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  sample();
  const result: ChildDownload = {
    ok: res.status === 200 && res.headers["x-content-sha256"] === res.sha256 && Number(res.headers["content-length"]) === res.bytes,
    status: res.status,
    bytes: res.bytes,
    sha256: res.sha256,
    headerSha256: String(res.headers["x-content-sha256"] ?? ""),
    ms,
    peakRssMb: peak / 1024 / 1024,
    startRssMb: startRss / 1024 / 1024,
  };
  console.log(JSON.stringify(result));
  agent.destroy();
  server.close();
  app.close();
  connection.close();
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const positional = args.filter((a) => !a.startsWith("--"));
  if (args.includes("--child")) {
    const [dbPath, report, format] = positional as [string, string, string];
    child(dbPath, report, format).catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  } else {
    const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
    const path = positional[0];
    if (!path) {
      console.error("Gebruik: npx tsx bench/report-memory.ts <bestuur.sqlite> --entries=100000 [--format=csv|xlsx|pdf] [--report=history]");
      process.exit(2);
    }
    const entries = growHistory(path, Number(option("entries") ?? 100_000));
    const formats = option("format") ? [option("format")!] : ["csv", "xlsx", "pdf"];
    void (async () => {
      for (const format of formats) {
        const r = await downloadInChild(path, option("report") ?? "history", format);
        console.log(`${option("report") ?? "history"} ${format} (${entries} entries): ${JSON.stringify(r)}`);
      }
    })();
  }
}
