// School privacy, stated in the README and enforced: a school user learns nothing of other schools, not even how
// many use an application; signed-in pages are not kept by the browser; a password change ends the API tokens.
import ExcelJS from "exceljs";
import request from "supertest";
import { createToken } from "../../src/api/tokens.service";
import { applicationFunctions, foraFunctions } from "../../src/db/schema";
import { buildTestApp, download, loginAs, makeSchool, makeUser, PASSWORD, type TestContext } from "../helpers/app";
import { makeApplication } from "../helpers/factories";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

/** One application used by the school user's school and two others. */
async function sharedApplication() {
  const own = makeSchool(ctx.db, { name: "De Eigen School" });
  const others = [makeSchool(ctx.db, { name: "De Tweede" }), makeSchool(ctx.db, { name: "De Derde" })];
  const app = makeApplication(ctx.db, { name: "Gedeelde App", schoolIds: [own.id, ...others.map((s) => s.id)] });
  const school = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [own.id] }));
  return { own, app, school };
}

it("does not show a school user how many schools use an application in the list, nor sort by it", async () => {
  const { school } = await sharedApplication();
  const officer = await loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
  expect((await officer.agent.get("/applications")).text).toMatch(/Gedeelde App[\s\S]*?<td class="num">3<\/td>/);
  for (const path of ["/applications", "/applications?sort=schools&dir=desc"]) {
    const res = await school.agent.get(path);
    expect(res.status).toBe(200);
    expect(res.text).toContain("Gedeelde App");
    expect(res.text).not.toMatch(/<td class="num">\d+<\/td>/);
    expect(res.text).not.toContain("sort=schools");
  }
});

it("leaves the number of schools out of a school user's applications report", async () => {
  const { own, school } = await sharedApplication();
  const res = await download(school.agent, `/reports/applications/download?format=xlsx&school=${own.id}`);
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body as ArrayBuffer);
  const rows: string[][] = [];
  for (const sheet of wb.worksheets) sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map(String)));
  const header = rows.find((r) => r.includes("Leverancier"))!;
  expect(header).toBeDefined();
  expect(header.some((h) => /scholen/i.test(h))).toBe(false);
  expect(rows.find((r) => r.includes("Gedeelde App"))).toHaveLength(header.length);
});

it("answers a school's 'is there already one for this?' with names and suppliers only", async () => {
  const { own, app, school } = await sharedApplication();
  const functionId = ctx.db.select().from(foraFunctions).get()!.id;
  ctx.db.insert(applicationFunctions).values({ applicationId: app.id, functionId }).run();
  const other = makeApplication(ctx.db, { name: "Andermans App", lifecycle: "uitfaseren", schoolIds: [] });
  ctx.db.insert(applicationFunctions).values({ applicationId: other.id, functionId }).run();
  const form = await school.agent.get("/intake/new");
  const res = await school.agent
    .post("/intake")
    .type("form")
    .send({ _csrf: await school.token(), show: "existing", schoolId: String(own.id), foraFunctionId: String(functionId) });
  expect(form.status).toBe(200);
  expect(res.status).toBe(200);
  const list = /<section class="existing"[\s\S]*?<\/section>/.exec(res.text)![0];
  expect(list).toContain("Andermans App");
  expect(list).not.toContain(`/applications/${other.id}`);
  expect(list).not.toMatch(/Uitfaseren|uitfaseren/);
  expect(list).not.toMatch(/De Tweede|De Derde|op orde|niet op orde/i);
});

it("sends signed-in pages with Cache-Control: no-store", async () => {
  const { school } = await sharedApplication();
  for (const path of ["/", "/applications", "/account"]) {
    const res = await school.agent.get(path).redirects(1);
    expect(res.status).toBe(200);
    expect(res.headers["cache-control"]).toContain("no-store");
  }
});

it("revokes a user's API tokens when they change their password", async () => {
  const user = await makeUser(ctx.db, "auditor");
  const { agent, token } = await loginAs(ctx.app, user);
  const api = createToken(ctx.db, { id: user.id, name: user.name, email: user.email, role: "auditor", schoolIds: [] }, { name: "Script" }).token;
  const call = () => request(ctx.app).get("/api/v1/schools").set("Authorization", `Bearer ${api}`);
  expect((await call()).status).toBe(200);
  const res = await agent
    .post("/account/password")
    .type("form")
    .send({ currentPassword: PASSWORD, newPassword: "a-new-long-password", confirmPassword: "a-new-long-password", _csrf: await token() });
  expect(res.status).toBe(303);
  expect((await call()).status).toBe(401);
});
