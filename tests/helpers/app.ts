// One helper that boots the app on a clean in-memory database built from the real migrations.
import request from "supertest";
import { createApp, type App } from "../../src/app";
import { hashPassword } from "../../src/auth/passwords";
import { ensureBoard } from "../../src/board/board.repository";
import { loadConfig, type Config } from "../../src/config";
import { migrateDatabase, openDatabase, type Connection, type Db } from "../../src/db/client";
import type { Role } from "../../src/db/enums";
import { schools, settings } from "../../src/db/schema";
import { seedReferenceData } from "../../src/db/seed/reference";
import { insertUser } from "../../src/users/users.repository";

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", SESSION_SECRET: "test-secret-test-secret-test-secret!!" }),
    databasePath: ":memory:",
    ...overrides,
  };
}

export const quietLogger = { info: () => {}, error: () => {} };

export type TestContext = { app: App; db: Db; connection: Connection; config: Config; close: () => void };

/** A migrated register with its reference data and board, made once per test file and copied for each test. */
let image: Buffer | undefined;
function preparedImage(): Buffer {
  if (!image) {
    const connection = openDatabase(":memory:");
    migrateDatabase(connection);
    seedReferenceData(connection.db);
    ensureBoard(connection.db, "Stichting Testbestuur");
    twoFactorOptional(connection.db);
    image = connection.sqlite.serialize();
    connection.close();
  }
  return image;
}

export function buildTestApp(overrides: Partial<Config> = {}): TestContext {
  const config = testConfig(overrides);
  const connection = openDatabase(preparedImage());
  const app = createApp({ connection, config, logger: quietLogger });
  return {
    app,
    db: connection.db,
    connection,
    config,
    close: () => {
      app.close();
      connection.close();
    },
  };
}

/** Most tests sign in with a password alone; the two-factor tests switch the compulsory set-up back on. */
export function twoFactorOptional(db: Db): void {
  db.insert(settings).values({ key: "twoFactorRoles", value: "" }).run();
}

let schoolSeq = 0;
export function makeSchool(db: Db, overrides: Partial<typeof schools.$inferInsert> = {}) {
  schoolSeq += 1;
  const letters = String.fromCharCode(65 + (schoolSeq % 26)) + String.fromCharCode(65 + (Math.floor(schoolSeq / 26) % 26));
  return db
    .insert(schools)
    .values({ name: `Testschool ${schoolSeq}`, brin: `${String(10 + (schoolSeq % 90))}${letters}`, sector: "po", ...overrides })
    .returning()
    .get();
}

export const PASSWORD = "correct-horse-battery-staple";

let userSeq = 0;
export async function makeUser(db: Db, role: Role, options: { schoolIds?: number[]; email?: string; password?: string } = {}) {
  userSeq += 1;
  const email = options.email ?? `${role}${userSeq}@test.example`;
  const user = insertUser(db, {
    email,
    name: `${role} ${userSeq}`,
    role,
    passwordHash: await hashPassword(options.password ?? PASSWORD),
    schoolIds: options.schoolIds,
  });
  return { ...user, password: options.password ?? PASSWORD };
}

/** The CSRF token of the form on a page. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error("Geen CSRF-token op de pagina");
  return match[1];
}

/** A logged-in browser: an agent with the session cookie, and the current CSRF token. */
export async function loginAs(app: App, user: { email: string; password: string }) {
  const agent = request.agent(app);
  const page = await agent.get("/login");
  const res = await agent.post("/login").type("form").send({ email: user.email, password: user.password, _csrf: csrfFrom(page.text) });
  if (res.status !== 303) throw new Error(`Inloggen mislukt (${res.status})`);
  const token = async (path = "/account") => csrfFrom((await agent.get(path)).text);
  const cookie = String(res.headers["set-cookie"]).split(";")[0]!;
  return { agent, token, cookie };
}

/** The page's text with HTML entities decoded (Handlebars writes = as &#x3D; inside attributes). */
export function decoded(html: string): string {
  return html
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** How many SQL statements run (prepared anew or cached) while `fn` runs: for checking there is no N+1. */
export async function countStatements(sqlite: Connection["sqlite"], fn: () => Promise<unknown>): Promise<number> {
  const proto = Object.getPrototypeOf(sqlite.prepare("select 1")) as Record<"all" | "get" | "run" | "iterate", (...args: unknown[]) => unknown>;
  const spies = (["all", "get", "run", "iterate"] as const).map((method) => jest.spyOn(proto, method));
  try {
    await fn();
    return spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

/** GET with the body as raw bytes, whatever the content type (report and document downloads). */
export function download(agent: ReturnType<typeof request.agent>, url: string): Promise<request.Response & { body: Buffer }> {
  return agent
    .get(url)
    .buffer(true)
    .parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => callback(null, Buffer.concat(chunks)));
    }) as unknown as Promise<request.Response & { body: Buffer }>;
}
