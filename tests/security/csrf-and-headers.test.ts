// CSRF is refused on every state-changing route, and every response (pages, errors, files, health, static)
// carries the security headers.
import { hashPassword } from "../../src/auth/passwords";
import { DEMO_USERS, seedDemoBoard } from "../../src/demo/demo-board";
import { buildTestApp, loginAs, type TestContext } from "../helpers/app";
import { routesOf } from "./policy";

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

describe("CSRF", () => {
  it("refuses every state-changing route without a token with 403, for a user who may use it", async () => {
    const { agent } = await admin();
    const refused: string[] = [];
    for (const route of stateChanging()) {
      const path = route.split(" ")[1]!.replace(":id", "1");
      const res = await agent.post(path).type("form").send({ version: "1", name: "x" });
      if (res.status !== 403) refused.push(`${route} → ${res.status}`);
    }
    expect(refused).toEqual([]);
  }, 60_000);

  it("refuses a multipart upload without a token with 403", async () => {
    const { agent } = await admin();
    const res = await agent.post("/agreements").field("reference", "X").attach("document", Buffer.from("%PDF-1.4\n%%EOF\n"), "x.pdf");
    expect(res.status).toBe(403);
  });

  it("refuses a token of another session", async () => {
    const first = await admin();
    const second = await admin();
    const res = await first.agent.post("/admin/board").type("form").send({ name: "x", version: 1, _csrf: await second.token() });
    expect(res.status).toBe(403);
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
