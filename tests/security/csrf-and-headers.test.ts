// CSRF is refused on every state-changing route, and every response (pages, errors, files, health, static)
// carries the security headers.
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import request from "supertest";
import { createToken } from "../../src/api/tokens.service";
import { loadCurrentUser } from "../../src/auth/auth.service";
import { hashPassword } from "../../src/auth/passwords";
import { users } from "../../src/db/schema";
import { DEMO_USERS, seedDemoBoard } from "../../src/demo/demo-board";
import { buildTestApp, loginAs, type TestContext } from "../helpers/app";
import { POLICY, routesOf } from "./policy";

let ctx: TestContext;
beforeAll(async () => {
  ctx = buildTestApp();
  await seedDemoBoard(ctx.db, { now: new Date(), hashPassword });
});
afterAll(() => ctx.close());

const admin = () => loginAs(ctx.app, DEMO_USERS.find((u) => u.role === "admin")!);
/** State-changing routes of the browser interface (the JSON API authenticates with tokens, not cookies). */
const stateChanging = () => routesOf(ctx.app).filter((r) => !r.startsWith("GET ") && !r.includes(" /api/") && r !== "POST /login");

it("finds the state-changing routes to check", () => {
  expect(stateChanging().length).toBeGreaterThan(40);
});

/** A fingerprint of everything the register keeps: every table, of sessions only who is signed in where. */
function stateOf(): string {
  const sql = ctx.connection.sqlite;
  const hash = createHash("sha256");
  const tables = sql.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").pluck().all() as string[];
  for (const table of tables) {
    // A refused request still pushes its session's idle expiry on (rolling sessions): that is not a change of state.
    const query = table === "sessions" ? "select sid, user_id from sessions order by sid" : `select * from "${table}" order by rowid`;
    hash.update(`${table}\n`);
    for (const row of sql.prepare(query).raw().iterate()) hash.update(JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString("hex") : v)));
  }
  return hash.digest("hex");
}

type Agent = Awaited<ReturnType<typeof loginAs>>["agent"];
type Session = Awaited<ReturnType<typeof loginAs>>;
/** How a request carries its body; `token` goes where that body type can carry it (else in the header). */
const BODY_TYPES: Record<string, (agent: Agent, path: string, token: string | undefined, fileField: string) => ReturnType<Agent["post"]>> = {
  urlencoded: (agent, path, token) => agent.post(path).type("form").send({ version: "1", name: "x", ...(token ? { _csrf: token } : {}) }),
  "multipart with a field": (agent, path, token) => {
    const req = agent.post(path);
    if (token) req.field("_csrf", token);
    return req.field("version", "1").field("name", "x");
  },
  "multipart with a file": (agent, path, token, fileField) => {
    const req = agent.post(path);
    if (token) req.field("_csrf", token);
    return req.field("version", "1").field("name", "x").field("kind", "applications").attach(fileField, Buffer.from("Applicatie;Leverancier\r\nX;Y\r\n"), "x.csv");
  },
  JSON: (agent, path, token) => agent.post(path).send({ version: 1, name: "x", ...(token ? { _csrf: token } : {}) }),
  "text/plain": (agent, path, token) => {
    const req = agent.post(path).set("Content-Type", "text/plain");
    if (token) req.set("X-CSRF-Token", token);
    return req.send(`_csrf=${token ?? ""}&version=1&name=x`);
  },
  "no body": (agent, path, token) => {
    const req = agent.post(path);
    if (token) req.set("X-CSRF-Token", token);
    return req;
  },
};

describe("CSRF", () => {
  /** The victims: an admin, and a school user for the routes only a school user may use. */
  const victims: Partial<Record<"admin" | "school", Session>> = {};
  /** A token that is valid, but in another session (the attacker's own). */
  let foreignToken: string;
  let apiToken: { token: string; id: number };
  let pendingImport: string;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    victims.admin = await admin();
    victims.school = await loginAs(ctx.app, DEMO_USERS.find((u) => u.role === "school")!);
    foreignToken = await (await admin()).token();
    const adminUser = ctx.db.select().from(users).where(eq(users.email, DEMO_USERS.find((u) => u.role === "admin")!.email)).get()!;
    const made = createToken(ctx.db, loadCurrentUser(ctx.db, adminUser.id)!, { name: "Koppeling" });
    apiToken = { token: made.token, id: made.row.id };
    const upload = await victims.admin.agent
      .post("/imports")
      .field("_csrf", await victims.admin.token("/imports"))
      .field("kind", "applications")
      .attach("file", Buffer.from("Applicatie;Leverancier\r\nNieuwe app;Nieuwe leverancier\r\n"), "apps.csv");
    expect(upload.status).toBe(303);
    pendingImport = /\/imports\/([0-9a-f]{32})/.exec(String(upload.headers.location))![1]!;
    const sql = ctx.connection.sqlite;
    const first = (q: string) => (sql.prepare(q).get() as { id: number }).id;
    for (const [kind, table] of [["schools", "schools"], ["applications", "applications"], ["agreements", "agreements"], ["suppliers", "suppliers"], ["categories", "data_categories"], ["measures", "security_measures"], ["fora", "fora_functions"], ["breaches", "breaches"], ["retention", "retention_rules"]] as const) {
      ids[kind] = first(`select id from ${table} order by id limit 1`);
    }
    ids.intake = first("select id from intake_requests where school_id in (select school_id from user_schools where user_id = (select id from users where role = 'school' limit 1)) order by id limit 1");
  });

  /** The route's path with ids of records that exist, so that a handler reached would really act. */
  function pathFor(route: string): string {
    const path = route.split(" ")[1]!;
    const kind = path.split("/")[1]!;
    if (path.startsWith("/account/tokens/")) return path.replace(":id", String(apiToken.id));
    if (path.startsWith("/imports/")) return path.replace(":id", pendingImport);
    return path.replace(":id", String(ids[kind] ?? 1));
  }
  const victimFor = (route: string) => {
    const roles = POLICY[route]?.roles;
    return Array.isArray(roles) && !roles.includes("admin") ? victims.school! : victims.admin!;
  };

  it.each([
    ["without a token", () => undefined],
    ["with another session's token", () => foreignToken],
  ])("refuses every state-changing route with every body type %s with 403, and nothing changes", async (_how, tokenOf) => {
    const failures: string[] = [];
    for (const route of stateChanging()) {
      const path = pathFor(route);
      for (const [bodyType, send] of Object.entries(BODY_TYPES)) {
        const before = stateOf();
        const res = await send(victimFor(route).agent, path, tokenOf(), route === "POST /imports" ? "file" : "document");
        const changed = stateOf() !== before;
        if (res.status !== 403 || changed) failures.push(`${route} (${bodyType}) → ${res.status}${changed ? ", state changed" : ""}`);
      }
    }
    expect(failures).toEqual([]);
    // The victims' sessions survived all of it (POST /logout among them).
    expect((await victims.admin!.agent.get("/account")).status).toBe(200);
    expect((await victims.school!.agent.get("/account")).status).toBe(200);
  }, 60_000);

  describe.each(["multipart with a field", "multipart with a file", "no body"])("sent as %s without a token", (bodyType) => {
    const send = (route: string) => BODY_TYPES[bodyType]!(victims.admin!.agent, pathFor(route), undefined, "document");

    it("POST /account/tokens/:id/revoke leaves the API token working", async () => {
      expect((await send("POST /account/tokens/:id/revoke")).status).toBe(403);
      const res = await request(ctx.app).get("/api/v1/schools").set("Authorization", `Bearer ${apiToken.token}`);
      expect(res.status).toBe(200);
    });

    it("POST /logout leaves the session signed in", async () => {
      expect((await send("POST /logout")).status).toBe(403);
      const res = await victims.admin!.agent.get("/account");
      expect(res.status).toBe(200);
      expect(res.text).toContain("Anouk Bakker");
    });

    it("POST /admin/backup hands out no backup", async () => {
      const res = await send("POST /admin/backup");
      expect(res.status).toBe(403);
      expect(res.headers["content-disposition"]).toBeUndefined();
      expect(String(res.headers["content-type"])).toMatch(/^text\/html/);
    });

    it("POST /imports/:id/cancel leaves the import waiting", async () => {
      expect((await send("POST /imports/:id/cancel")).status).toBe(403);
      expect((await victims.admin!.agent.get(`/imports/${pendingImport}`)).status).toBe(200);
    });
  });

  it("refuses a multipart request of a browser without a session at once, and keeps no session for it", async () => {
    const sessions = () => (ctx.connection.sqlite.prepare("select count(*) n from sessions").get() as { n: number }).n;
    const before = sessions();
    const res = await request(ctx.app).post("/agreements").field("_csrf", "raad-maar").attach("document", Buffer.from("%PDF-1.4\n%%EOF\n"), "x.pdf");
    expect(res.status).toBe(403);
    expect(res.headers["set-cookie"]).toBeUndefined();
    expect(sessions()).toBe(before);
  });

  it("still accepts a multipart form with the session's own token", async () => {
    const { agent, token } = victims.admin!;
    const res = await agent.post("/admin/board").field("_csrf", await token("/admin/board")).field("name", "");
    expect(res.status).toBe(422);
  });
});

describe("security headers", () => {
  it.each([
    ["a page", "/"],
    ["the log-in page", "/login"],
    ["a 404 page", "/bestaat-niet"],
    ["a 403 page", "/admin/settings"],
    ["the health check", "/health"],
    ["a stylesheet", "/static/app.css"],
  ])("are sent on %s", async (_what, path) => {
    const { agent } = await loginAs(ctx.app, DEMO_USERS.find((u) => u.role === "auditor")!);
    const res = await agent.get(path);
    expect(res.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(res.headers["content-security-policy"]).not.toMatch(/unsafe-(inline|eval)/);
    expect(res.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["referrer-policy"]).toBe("same-origin");
    expect(res.headers["x-powered-by"]).toBeUndefined();
  });

  it("are sent on every GET route of the register for an admin", async () => {
    const { agent } = await admin();
    const missing: string[] = [];
    for (const route of routesOf(ctx.app).filter((r) => r.startsWith("GET ") && !r.includes(" /api/"))) {
      const res = await agent.get(route.split(" ")[1]!.replace(":id", "1"));
      if (!res.headers["content-security-policy"] || res.headers["x-content-type-options"] !== "nosniff") missing.push(route);
    }
    expect(missing).toEqual([]);
  }, 60_000);
});

describe("session cookie", () => {
  it("is HttpOnly and SameSite=Lax, and Secure when the register runs behind HTTPS", async () => {
    const plain = await (await import("supertest")).default(ctx.app).get("/login");
    expect(String(plain.headers["set-cookie"])).toMatch(/HttpOnly; SameSite=Lax/);
    const secure = buildTestApp({ cookieSecure: true, trustProxy: true });
    try {
      const res = await (await import("supertest")).default(secure.app).get("/login").set("X-Forwarded-Proto", "https");
      expect(String(res.headers["set-cookie"])).toMatch(/; Secure/);
      expect(res.headers["strict-transport-security"]).toContain("max-age=");
    } finally {
      secure.close();
    }
  });
});
