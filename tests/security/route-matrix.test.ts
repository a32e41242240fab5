// Every route against every role, compared with the intended policy (tests/security/policy.ts). A route
// without an entry fails the suite, so a new route cannot slip in unreviewed. School users are also tried with
// another school's ids on every route they may use.
import { eq } from "drizzle-orm";
import request from "supertest";
import { hashPassword } from "../../src/auth/passwords";
import { intakeRequests, userSchools, users } from "../../src/db/schema";
import { DEMO_USERS, seedDemoBoard } from "../../src/demo/demo-board";
import { buildTestApp, loginAs, type TestContext } from "../helpers/app";
import { ALL, POLICY, routesOf } from "./policy";

let ctx: TestContext;
/** Ids per kind of record: `own` belongs to the school user's school, `other` to another school. */
const ids: Record<string, { own: number; other: number }> = {};

beforeAll(async () => {
  ctx = buildTestApp();
  await seedDemoBoard(ctx.db, { now: new Date(), hashPassword });
  const sql = ctx.connection.sqlite;
  const schoolUser = ctx.db.select().from(users).where(eq(users.role, "school")).get()!;
  const own = ctx.db.select().from(userSchools).where(eq(userSchools.userId, schoolUser.id)).get()!.schoolId;
  const one = (q: string, ...p: unknown[]) => (sql.prepare(q).get(...p) as { id: number }).id;
  ids.schools = { own, other: one("select id from schools where id <> ? limit 1", own) };
  ids.applications = {
    own: one("select application_id id from application_schools where school_id = ? limit 1", own),
    other: one("select id from applications where id not in (select application_id from application_schools where school_id = ?) limit 1", own),
  };
  const withDocument = "select a.id from agreements a";
  ids.agreements = {
    own: one(`${withDocument} join agreement_applications aa on aa.agreement_id = a.id where aa.application_id in (select application_id from application_schools where school_id = ?) limit 1`, own),
    other: one(`${withDocument} where a.id not in (select agreement_id from agreement_applications where application_id in (select application_id from application_schools where school_id = ?)) limit 1`, own),
  };
  const intake = ctx.db.select().from(intakeRequests).all();
  ids.intake = { own: intake.find((r) => r.schoolId === own)?.id ?? 1, other: intake.find((r) => r.schoolId !== own)?.id ?? 1 };
  for (const [kind, table] of [["suppliers", "suppliers"], ["categories", "data_categories"], ["measures", "security_measures"], ["fora", "fora_functions"], ["breaches", "breaches"], ["retention", "retention_rules"]]) {
    const id = one(`select id from ${table} limit 1`);
    ids[kind!] = { own: id, other: id };
  }
});
afterAll(() => ctx.close());

/** `missing` is an id no record has. */
function pathFor(route: string, which: "own" | "other" | "missing"): string {
  const path = route.split(" ")[1]!;
  const kind = path.split("/")[1] === "fora" ? "fora" : path.split("/")[1]!;
  return path
    .replace(":id", String(which === "missing" ? 999999 : (ids[kind]?.[which] ?? 1)))
    .replace(":report", "applications")
    .replace(":fileId", "1")
    .replace(":file", "applications.xlsx");
}

it("has an intended policy for every route, and no policy for a route that does not exist", () => {
  const routes = routesOf(ctx.app);
  expect(routes.filter((r) => !POLICY[r])).toEqual([]);
  expect(Object.keys(POLICY).filter((p) => !routes.includes(p))).toEqual([]);
});

describe.each(ALL)("as %s", (role) => {
  let agent: ReturnType<typeof request.agent>;
  let token: string;
  beforeAll(async () => {
    const session = await loginAs(ctx.app, DEMO_USERS.find((u) => u.role === role)!);
    agent = session.agent;
    token = await session.token();
  });

  const send = (route: string, which: "own" | "other" | "missing") => {
    const [method] = route.split(" ");
    const path = pathFor(route, which);
    if (method === "GET") return agent.get(path);
    if (method === "PATCH") return agent.patch(path).send({ name: "x" });
    return agent.post(path).type("form").send({ _csrf: token });
  };

  it.each(Object.entries(POLICY).filter(([route]) => route !== "POST /logout"))("%s matches the policy", async (route, policy) => {
    const res = await send(route, "own");
    expect(res.status).toBeLessThan(500);
    // The API never accepts the browser's session cookie: only a personal token.
    if (policy.roles === "token") return expect(res.status).toBe(401);
    const allowed = policy.roles === "public" || (policy.roles !== "anonymous" && policy.roles.includes(role));
    if (allowed) expect([401, 403]).not.toContain(res.status);
    else expect(res.status).toBe(403);
  });

  if (role === "school") {
    // Guessing ids tells nothing: another school's record gets the very answer of a record that does not exist.
    it.each(Object.entries(POLICY).filter(([, p]) => p.scoped))("%s answers another school's id as a missing one", async (route) => {
      const other = await send(route, "other");
      const missing = await send(route, "missing");
      expect(other.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(other.text.replace(/<input[^>]*_csrf[^>]*>|<meta[^>]*csrf[^>]*>/g, "")).toBe(missing.text.replace(/<input[^>]*_csrf[^>]*>|<meta[^>]*csrf[^>]*>/g, ""));
    });
  }
});

describe("without a session", () => {
  it.each(Object.entries(POLICY).filter(([route, p]) => p.roles !== "public" && p.roles !== "token" && route.startsWith("GET ")))("%s sends the visitor to the log-in page", async (route) => {
    const res = await request(ctx.app).get(pathFor(route, "own"));
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });
});
