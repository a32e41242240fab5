// Every page renders for every role that may see it, with one <h1> and the board's name, and is refused
// with 403 to the roles that may not.
import type { Role } from "../src/db/enums";
import { ROLES } from "../src/db/enums";
import { applications, applicationSchools, suppliers } from "../src/db/schema";
import { buildTestApp, loginAs, makeSchool, makeUser, type TestContext } from "./helpers/app";

let ctx: TestContext;
let schoolId: number;

beforeAll(() => {
  ctx = buildTestApp();
  schoolId = makeSchool(ctx.db, { name: "Basisschool De Linde", brin: "12AB", location: "00" }).id;
  const supplier = ctx.db.insert(suppliers).values({ name: "Leverancier BV", kvk: "12345678" }).returning().get();
  const app = ctx.db.insert(applications).values({ name: "Leerlingvolgsysteem", supplierId: supplier.id }).returning().get();
  ctx.db.insert(applicationSchools).values({ applicationId: app.id, schoolId, since: "2024-08-01", localContact: "Juf Ans" }).run();
});
afterAll(() => ctx.close());

const pages: { path: () => string; roles: readonly Role[]; contains?: string }[] = [
  { path: () => "/", roles: ROLES },
  { path: () => "/account", roles: ROLES },
  { path: () => "/schools", roles: ROLES, contains: "Basisschool De Linde" },
  { path: () => `/schools/${schoolId}`, roles: ROLES, contains: "Leerlingvolgsysteem" },
  { path: () => "/audit", roles: ["admin", "privacy_officer", "auditor"] },
  { path: () => "/admin/board", roles: ["admin"] },
];

describe.each(ROLES)("as %s", (role) => {
  let agent: Awaited<ReturnType<typeof loginAs>>["agent"];
  beforeAll(async () => {
    const user = await makeUser(ctx.db, role, { schoolIds: role === "school" ? [schoolId] : [] });
    agent = (await loginAs(ctx.app, user)).agent;
  });

  for (const page of pages) {
    const allowed = page.roles.includes(role);
    it(`${allowed ? "renders" : "refuses with 403"} ${page.path.toString().replace(/^\(\) => /, "")}`, async () => {
      const res = await agent.get(page.path());
      expect(res.status).toBe(allowed ? 200 : 403);
      expect(res.text.match(/<h1[ >]/g)).toHaveLength(1);
      expect(res.text).toContain("Stichting Testbestuur");
      if (allowed && page.contains) expect(res.text).toContain(page.contains);
    });
  }

  it("shows only the menu items the role may open", async () => {
    const res = await agent.get("/");
    expect(res.text.includes('href="/audit"')).toBe(role !== "school");
    expect(res.text.includes('href="/admin/board"')).toBe(role === "admin");
  });
});

it("renders the log-in page and the health check without a session", async () => {
  const request = (await import("supertest")).default;
  expect((await request(ctx.app).get("/login")).status).toBe(200);
  expect((await request(ctx.app).get("/health")).body.status).toBe("ok");
});
