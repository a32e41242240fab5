// Every page renders for every role that may see it, with one <h1> and the board's name, and is refused
// with 403 to the roles that may not. Runs on the demo board, so the pages show real data.
import { eq } from "drizzle-orm";
import request from "supertest";
import { hashPassword } from "../src/auth/passwords";
import { ROLES, type Role } from "../src/db/enums";
import { agreements, dataCategories, foraFunctions, schools, securityMeasures, suppliers, userSchools, users } from "../src/db/schema";
import { DEMO_USERS, seedDemoBoard } from "../src/demo/demo-board";
import { buildTestApp, loginAs, type TestContext } from "./helpers/app";

let ctx: TestContext;
const ids = { ownSchool: 0, otherSchool: 0, ownApp: 0, otherApp: 0, ownAgreement: 0, supplier: 0, category: 0, measure: 0, fn: 0, agreement: 0 };

beforeAll(async () => {
  ctx = buildTestApp();
  await seedDemoBoard(ctx.db, { now: new Date(), hashPassword });
  const schoolUser = ctx.db.select().from(users).where(eq(users.role, "school")).get()!;
  ids.ownSchool = ctx.db.select().from(userSchools).where(eq(userSchools.userId, schoolUser.id)).get()!.schoolId;
  ids.otherSchool = ctx.db.select().from(schools).all().find((s) => s.id !== ids.ownSchool)!.id;
  const sql = ctx.connection.sqlite;
  ids.ownApp = (sql.prepare("select application_id id from application_schools where school_id = ? limit 1").get(ids.ownSchool) as { id: number }).id;
  ids.otherApp = (sql.prepare("select id from applications where id not in (select application_id from application_schools where school_id = ?) limit 1").get(ids.ownSchool) as { id: number }).id;
  ids.ownAgreement = (sql.prepare("select agreement_id id from agreement_applications where application_id in (select application_id from application_schools where school_id = ?) limit 1").get(ids.ownSchool) as { id: number }).id;
  ids.agreement = ctx.db.select().from(agreements).get()!.id;
  ids.supplier = ctx.db.select().from(suppliers).get()!.id;
  ids.category = ctx.db.select().from(dataCategories).get()!.id;
  ids.measure = ctx.db.select().from(securityMeasures).get()!.id;
  ids.fn = ctx.db.select().from(foraFunctions).get()!.id;
});
afterAll(() => ctx.close());

const ALL = ROLES;
const READERS: readonly Role[] = ["admin", "privacy_officer", "auditor"];
const WRITERS: readonly Role[] = ["admin", "privacy_officer"];

/** `otherSchool`: a page of another school's record, which a school user gets as "not found" (404), not 403. */
const pages: { path: () => string; roles: readonly Role[]; otherSchool?: boolean }[] = [
  { path: () => "/", roles: ALL },
  { path: () => "/account", roles: ALL },
  { path: () => "/schools", roles: ALL },
  { path: () => `/schools/${ids.ownSchool}`, roles: ALL },
  { path: () => `/schools/${ids.otherSchool}`, roles: READERS, otherSchool: true },
  { path: () => "/schools/new", roles: WRITERS },
  { path: () => `/schools/${ids.ownSchool}/edit`, roles: WRITERS },
  { path: () => "/applications", roles: ALL },
  { path: () => "/applications?lifecycle=in_gebruik&sort=supplier&dir=desc", roles: ALL },
  { path: () => `/applications/${ids.ownApp}`, roles: ALL },
  { path: () => `/applications/${ids.otherApp}`, roles: READERS, otherSchool: true },
  { path: () => "/applications/new", roles: WRITERS },
  { path: () => `/applications/${ids.ownApp}/edit`, roles: WRITERS },
  { path: () => `/applications/${ids.ownApp}/data`, roles: WRITERS },
  { path: () => `/applications/${ids.ownApp}/schools`, roles: WRITERS },
  { path: () => `/applications/${ids.ownApp}/classification`, roles: WRITERS },
  { path: () => `/applications/${ids.ownApp}/measures`, roles: WRITERS },
  { path: () => `/applications/${ids.otherApp}/delete`, roles: WRITERS },
  { path: () => "/agreements", roles: ALL },
  { path: () => `/agreements/${ids.ownAgreement}`, roles: ALL },
  { path: () => "/agreements/new", roles: WRITERS },
  { path: () => `/agreements/${ids.agreement}/edit`, roles: WRITERS },
  { path: () => `/agreements/${ids.agreement}/new-version`, roles: WRITERS },
  { path: () => "/suppliers", roles: READERS },
  { path: () => `/suppliers/${ids.supplier}`, roles: READERS },
  { path: () => "/suppliers/new", roles: WRITERS },
  { path: () => `/suppliers/${ids.supplier}/edit`, roles: WRITERS },
  { path: () => `/suppliers/${ids.supplier}/delete`, roles: WRITERS },
  { path: () => "/categories", roles: READERS },
  { path: () => `/categories/${ids.category}`, roles: READERS },
  { path: () => "/categories/new", roles: WRITERS },
  { path: () => "/measures", roles: READERS },
  { path: () => `/measures/${ids.measure}`, roles: READERS },
  { path: () => "/measures/new", roles: WRITERS },
  { path: () => "/fora", roles: READERS },
  { path: () => `/fora/functions/${ids.fn}`, roles: READERS },
  { path: () => "/fora/functions/new", roles: WRITERS },
  { path: () => "/overviews/coverage", roles: READERS },
  { path: () => "/overviews/biv", roles: READERS },
  { path: () => "/overviews/rationalisation", roles: READERS },
  { path: () => "/dpias", roles: READERS },
  { path: () => "/dpias?required=onbekend&special=1&sort=nextReview&dir=desc", roles: READERS },
  { path: () => `/applications/${ids.ownApp}/dpia`, roles: READERS },
  { path: () => `/applications/${(ctx.connection.sqlite.prepare("select min(application_id) id from dpias").get() as { id: number }).id}/dpia`, roles: READERS },
  { path: () => `/applications/${ids.ownApp}/dpia/edit`, roles: WRITERS },
  { path: () => "/breaches", roles: READERS },
  { path: () => "/breaches?state=open&sort=risk&dir=desc", roles: READERS },
  { path: () => "/breaches/new", roles: WRITERS },
  { path: () => `/breaches/${(ctx.connection.sqlite.prepare("select min(id) id from breaches where closed_at is null").get() as { id: number }).id}`, roles: READERS },
  { path: () => `/breaches/${(ctx.connection.sqlite.prepare("select min(id) id from breaches").get() as { id: number }).id}/edit`, roles: WRITERS },
  { path: () => `/breaches/${(ctx.connection.sqlite.prepare("select min(id) id from breaches").get() as { id: number }).id}/delete`, roles: WRITERS },
  { path: () => "/retention", roles: READERS },
  { path: () => "/retention/new", roles: WRITERS },
  { path: () => `/retention/${(ctx.connection.sqlite.prepare("select min(id) id from retention_rules").get() as { id: number }).id}`, roles: READERS },
  { path: () => `/retention/${(ctx.connection.sqlite.prepare("select min(id) id from retention_rules").get() as { id: number }).id}/edit`, roles: WRITERS },
  { path: () => `/retention/${(ctx.connection.sqlite.prepare("select min(id) id from retention_rules").get() as { id: number }).id}/delete`, roles: WRITERS },
  { path: () => "/intake", roles: ALL },
  { path: () => "/intake?status=open&sort=school&dir=asc", roles: ALL },
  { path: () => "/intake/new", roles: ["admin", "privacy_officer", "school"] },
  { path: () => `/intake/${(ctx.connection.sqlite.prepare("select min(id) id from intake_requests where school_id = ?").get(ids.ownSchool) as { id: number }).id}`, roles: ALL },
  { path: () => `/intake/${(ctx.connection.sqlite.prepare("select min(id) id from intake_requests where school_id <> ?").get(ids.ownSchool) as { id: number }).id}`, roles: READERS, otherSchool: true },
  { path: () => "/reminders", roles: ALL },
  { path: () => "/reminders/outbox", roles: ["admin"] },
  { path: () => "/reports", roles: ALL },
  { path: () => "/reports/snapshots", roles: READERS },
  { path: () => "/audit", roles: READERS },
  { path: () => "/audit/verify", roles: READERS },
  { path: () => "/admin/board", roles: ["admin"] },
  { path: () => "/imports", roles: WRITERS },
  { path: () => "/account/tokens", roles: ALL },
  { path: () => "/admin/backup", roles: ["admin"] },
  { path: () => "/admin/users", roles: ["admin"] },
  { path: () => "/admin/users/new", roles: ["admin"] },
  { path: () => "/admin/users/sign-in", roles: ["admin"] },
  { path: () => `/admin/users/${DEMO_USERS.length}`, roles: ["admin"] },
  { path: () => "/account/sessions", roles: ALL },
  { path: () => "/account/two-factor", roles: ALL },
];

describe.each(ROLES)("as %s", (role) => {
  let agent: Awaited<ReturnType<typeof loginAs>>["agent"];
  beforeAll(async () => {
    agent = (await loginAs(ctx.app, DEMO_USERS.find((u) => u.role === role)!)).agent;
  });

  it.each(pages.map((p) => [p.path.toString().replace(/^\(\) => /, ""), p] as const))("%s", async (_name, page) => {
    const allowed = page.roles.includes(role);
    // A school user's home page sends it on to its school: follow that one redirect.
    const res = await agent.get(page.path()).redirects(1);
    expect(res.status).toBe(allowed ? 200 : page.otherSchool && role === "school" ? 404 : 403);
    expect(res.text.match(/<h1[ >]/g)).toHaveLength(1);
    expect(res.text).toContain("Stichting Voorbeeld Onderwijs Rivierenland");
  });

  it("shows only the menu items the role may open", async () => {
    const res = await agent.get("/");
    expect(res.text.includes('href="/audit"')).toBe(role !== "school");
    expect(res.text.includes('href="/suppliers"')).toBe(role !== "school");
    expect(res.text.includes('href="/admin/board"')).toBe(role === "admin");
  });
});

it("renders the log-in page and the health check without a session", async () => {
  expect((await request(ctx.app).get("/login")).status).toBe(200);
  expect((await request(ctx.app).get("/health")).body.status).toBe("ok");
});
