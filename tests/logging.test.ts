// The register's log: one line per request with what an operator needs and no personal data, the request id
// header, slow requests at warn, and LOG_LEVEL over the request lines and the app's own errors.
import request from "supertest";
import { createToken } from "../src/api/tokens.service";
import { createApp, type App } from "../src/app";
import { ensureBoard } from "../src/board/board.repository";
import type { Config } from "../src/config";
import { migrateDatabase, openDatabase, type Connection } from "../src/db/client";
import { seedReferenceData } from "../src/db/seed/reference";
import { createLogger } from "../src/http/logging";
import type { CurrentUser } from "../src/http/policy";
import { loginAs, makeUser, testConfig, twoFactorOptional } from "./helpers/app";

type Line = { level: number; msg: string; req?: { id: string; method: string; path: string; query?: string[] }; res?: { statusCode: number }; responseTime?: number; userId?: number; err?: { stack: string } };

let connection: Connection;
let app: App;
let lines: Line[];
let written: string[];

/** The app with its log at `overrides.logLevel`, written to a stream the test reads. */
function build(overrides: Partial<Config> = {}) {
  const config = testConfig({ logLevel: "info", ...overrides });
  connection = openDatabase(":memory:");
  migrateDatabase(connection);
  seedReferenceData(connection.db);
  ensureBoard(connection.db, "Stichting Testbestuur");
  twoFactorOptional(connection.db);
  written = [];
  lines = [];
  const stream = {
    write: (chunk: string) => {
      written.push(chunk);
      lines.push(JSON.parse(chunk) as Line);
    },
  };
  app = createApp({ connection, config, log: createLogger(config, stream) });
}

afterEach(() => {
  app.close();
  connection.close();
});

const requestLines = (path: string) => lines.filter((l) => l.req?.path === path);

describe("request log", () => {
  it("writes one line per request with its id, method, path, query names, status, time and user id, and no e-mail, name, search words or cookie", async () => {
    build();
    const user = await makeUser(connection.db, "privacy_officer", { email: "jan.jansen@school.example" });
    const { agent, cookie } = await loginAs(app, user);
    const res = await agent.get("/applications?q=Pietje%20Puk&page=1");
    expect(res.status).toBe(200);

    const logged = requestLines("/applications");
    expect(logged).toHaveLength(1);
    const line = logged[0]!;
    expect(line).toMatchObject({ level: 30, req: { id: res.headers["x-request-id"], method: "GET", path: "/applications", query: ["q", "page"] }, res: { statusCode: 200 }, userId: user.id });
    expect(typeof line.responseTime).toBe("number");
    const everything = written.join("");
    for (const personal of ["jan.jansen", user.name, "Pietje", cookie.split("=")[1]!, "ibp.sid", "cookie", "authorization"]) {
      expect(everything.toLowerCase()).not.toContain(personal.toLowerCase());
    }
  });

  it("logs an API request with the token's user id and without the token", async () => {
    build();
    const user = await makeUser(connection.db, "privacy_officer", { email: "api.gebruiker@school.example" });
    const { token } = createToken(connection.db, { id: user.id, name: user.name, email: user.email, role: user.role, schoolIds: [] } as CurrentUser, { name: "test" });
    const res = await request(app).get("/api/v1/applications?q=Puk").set("Authorization", `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(requestLines("/api/v1/applications")).toEqual([expect.objectContaining({ userId: user.id, req: expect.objectContaining({ query: ["q"] }), res: { statusCode: 200 } })]);
    for (const secret of [token, "Bearer", "api.gebruiker", "Puk"]) expect(written.join("")).not.toContain(secret);
  });

  it("logs an invitation link without its token", async () => {
    build();
    const token = "k3J9sQ0pX7vL2mN8bR4tY6wZ1cF5gH0aE9dU3iO7";
    await request(app).get(`/invite/${token}`);
    expect(requestLines("/invite/:token")).toHaveLength(1);
    expect(written.join("")).not.toContain(token);
  });

  it("sends the request id as X-Request-Id, keeping a plain incoming one and replacing any other", async () => {
    build();
    const kept = await request(app).get("/login").set("X-Request-Id", "lb-7f3a.42");
    expect(kept.headers["x-request-id"]).toBe("lb-7f3a.42");
    expect(requestLines("/login")[0]?.req?.id).toBe("lb-7f3a.42");

    const replaced = await request(app).get("/login").set("X-Request-Id", 'x" injected=1 <script>');
    expect(replaced.headers["x-request-id"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(written.join("")).not.toContain("injected");

    const fresh = await request(app).get("/login");
    expect(fresh.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(fresh.headers["x-request-id"]).not.toBe(replaced.headers["x-request-id"]);
  });

  it("logs a request that took LOG_SLOW_MS or longer at warn (0: every request)", async () => {
    build({ logSlowMs: 0 });
    await request(app).get("/login");
    expect(requestLines("/login")).toEqual([expect.objectContaining({ level: 40, msg: "traag verzoek", res: { statusCode: 200 } })]);
  });

  it("logs a request under LOG_SLOW_MS at info", async () => {
    build({ logSlowMs: 10 * 60 * 1000 });
    await request(app).get("/login");
    expect(requestLines("/login")).toEqual([expect.objectContaining({ level: 30, msg: "verzoek afgehandeld" })]);
  });
});

describe("LOG_LEVEL", () => {
  /** A server error: the suppliers table is gone under a signed-in user's list page. */
  async function serverError() {
    const user = await makeUser(connection.db, "privacy_officer");
    const { agent } = await loginAs(app, user);
    connection.sqlite.exec("pragma foreign_keys = off; drop table suppliers");
    return agent.get("/suppliers?q=geheim");
  }

  it("writes nothing at all at silent, not even a server error", async () => {
    build({ logLevel: "silent" });
    expect((await serverError()).status).toBe(500);
    expect(written).toEqual([]);
  });

  it("at error writes the app's own error with its stack and request id, and the failed request, but no other request", async () => {
    build({ logLevel: "error" });
    const res = await serverError();
    expect(res.status).toBe(500);
    const id = res.headers["x-request-id"] as string;
    const appError = lines.find((l) => !l.req && l.level === 50);
    expect(appError?.msg).toBe(`GET /suppliers (verzoek ${id})`);
    expect(appError?.err?.stack).toContain("suppliers");
    expect(requestLines("/suppliers")).toEqual([expect.objectContaining({ level: 50, res: { statusCode: 500 } })]);
    expect(lines.every((l) => l.level >= 50)).toBe(true);
    expect(written.join("")).not.toContain("geheim");
  });
});
