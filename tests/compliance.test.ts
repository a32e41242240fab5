// Status everywhere: the dashboard, the application list and page, the school overview, the settings that
// move the thresholds, and the rules page.
import { eq } from "drizzle-orm";
import { hashPassword } from "../src/auth/passwords";
import { countByStatus, evaluateApplications } from "../src/compliance/compliance.service";
import { auditLog, settings } from "../src/db/schema";
import { seedDemoBoard } from "../src/demo/demo-board";
import { addDays, todayIso } from "../src/lib/dates";
import { buildTestApp, decoded, loginAs, makeSchool, makeUser, type TestContext } from "./helpers/app";
import { makeAgreement, makeApplication, makeClassification, measuresInPlace, processes } from "./helpers/factories";

let ctx: TestContext;
afterEach(() => ctx.close());

const today = todayIso();
const officer = async () => loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));

/** One application of each colour, all at one school. */
function fourColours() {
  const school = makeSchool(ctx.db, { name: "De Linde" });
  const red = makeApplication(ctx.db, { name: "Rood Systeem", schoolIds: [school.id] });
  const orange = makeApplication(ctx.db, { name: "Oranje Systeem", schoolIds: [school.id] });
  const green = makeApplication(ctx.db, { name: "Groen Systeem", schoolIds: [school.id] });
  const grey = makeApplication(ctx.db, { name: "Grijs Woordenboek", processesPersonalData: false, schoolIds: [school.id] });
  for (const app of [red, orange, green]) {
    processes(ctx.db, app.id, ["contact"]);
    makeClassification(ctx.db, app.id, { assessedOn: today, nextReviewOn: addDays(today, 365) });
    measuresInPlace(ctx.db, app.id);
  }
  const expiring = makeAgreement(ctx.db, { reference: "VO-AFLOPEND", supplierId: orange.supplierId, applicationIds: [orange.id], categories: ["contact"], endsOn: addDays(today, 60), nextReviewOn: addDays(today, 30) });
  makeAgreement(ctx.db, { supplierId: green.supplierId, applicationIds: [green.id], categories: ["contact"], nextReviewOn: addDays(today, 30) });
  return { school, red, orange, green, grey, expiring };
}

describe("the dashboard", () => {
  beforeEach(() => {
    ctx = buildTestApp();
  });

  it("counts each status, the share in order and the schools, and lists what to do red first", async () => {
    const { expiring } = fourColours();
    const { agent } = await officer();
    const html = decoded((await agent.get("/")).text);
    expect(html).toMatch(/Niet op orde<\/a><\/dt><dd>1<\/dd>/);
    expect(html).toMatch(/Aandacht nodig<\/a><\/dt><dd>1<\/dd>/);
    expect(html).toMatch(/Op orde<\/a><\/dt><dd>1<\/dd>/);
    expect(html).toMatch(/N\.v\.t\.<\/a><\/dt><dd>1<\/dd>/);
    expect(html).toContain("<dd>33%</dd>"); // 1 green of the 3 the rules apply to
    expect(html).toMatch(/De Linde<\/a><\/th>\s*<td class="num">1<\/td>\s*<td class="num">1<\/td>\s*<td class="num">1<\/td>\s*<td class="num">1<\/td>/);
    expect(html.indexOf("Er is geen geldende, ondertekende verwerkersovereenkomst")).toBeLessThan(html.indexOf("De verwerkersovereenkomst VO-AFLOPEND loopt af"));
    expect(html).toContain(`href="/agreements/${expiring.id}">VO-AFLOPEND</a>`);
    expect(html).toMatch(/<td class="num">60<\/td>/);
    expect(html).toContain('<svg viewBox="0 0 100 8"');
    expect(html).toContain("Niet op orde: <strong>1</strong> (25%)");
  });

  it("shows the same numbers as the evaluation of the demo board, with every colour present", async () => {
    await seedDemoBoard(ctx.db, { now: new Date(), hashPassword });
    const counts = countByStatus(evaluateApplications(ctx.db));
    for (const n of Object.values(counts)) expect(n).toBeGreaterThan(0);
    const { agent } = await officer();
    const html = decoded((await agent.get("/")).text);
    expect(html).toContain(`Niet op orde</a></dt><dd>${counts.red}</dd>`);
    expect(html).toContain(`Aandacht nodig</a></dt><dd>${counts.orange}</dd>`);
    expect(html).toContain(`Op orde</a></dt><dd>${counts.green}</dd>`);
  });

  it("is the home page of an auditor and an admin too", async () => {
    fourColours();
    for (const role of ["auditor", "admin"] as const) {
      const { agent } = await loginAs(ctx.app, await makeUser(ctx.db, role));
      expect((await agent.get("/")).text).toContain("<h1>Dashboard</h1>");
    }
  });
});

describe("status on the application list and page", () => {
  beforeEach(() => {
    ctx = buildTestApp();
  });

  it("filters the list on status and shows each row's status", async () => {
    fourColours();
    const { agent } = await officer();
    const red = await agent.get("/applications?status=red");
    expect(red.text).toContain("Rood Systeem");
    expect(red.text).not.toContain("Groen Systeem");
    expect(red.text).toContain('<span class="status status--red">Niet op orde</span>');
    const all = await agent.get("/applications");
    expect(all.text).toContain('<span class="status status--grey">N.v.t.</span>');
  });

  it("explains the status on the application page with a link to where each finding is fixed", async () => {
    const { red, orange } = fourColours();
    const { agent } = await officer();
    const page = await agent.get(`/applications/${red.id}`);
    expect(page.text).toContain("Status: <span class=\"status status--red\">Niet op orde</span>");
    expect(page.text).toMatch(new RegExp(`Er is geen geldende, ondertekende verwerkersovereenkomst die deze applicatie dekt.\\s*<a href="/applications/${red.id}#overeenkomsten"`));
    expect((await agent.get(`/applications/${orange.id}`)).text).toContain("loopt af op");
  });

  it("shows the status of the applications that depend on a supplier and on an agreement", async () => {
    const { orange, expiring } = fourColours();
    const { agent } = await officer();
    expect((await agent.get(`/suppliers/${orange.supplierId}`)).text).toContain('<span class="status status--orange">Aandacht nodig</span>');
    expect((await agent.get(`/agreements/${expiring.id}`)).text).toContain('<span class="status status--orange">Aandacht nodig</span>');
  });
});

describe("the school overview", () => {
  beforeEach(() => {
    ctx = buildTestApp();
  });

  it("lands a school user on its school, worst first, with what the school can do", async () => {
    const { school } = fourColours();
    const { agent } = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [school.id] }));
    const home = await agent.get("/");
    expect(home.status).toBe(303);
    expect(home.headers.location).toBe(`/schools/${school.id}`);
    const page = (await agent.get(`/schools/${school.id}`)).text;
    expect(page.indexOf("Rood Systeem")).toBeLessThan(page.indexOf("Oranje Systeem"));
    expect(page.indexOf("Oranje Systeem")).toBeLessThan(page.indexOf("Groen Systeem"));
    expect(page).toContain("Gebruik de applicatie niet met persoonsgegevens van leerlingen of medewerkers totdat er een verwerkersovereenkomst is.");
    expect(page).not.toContain(">Oplossen<");
  });

  it("shows a school user with several schools a choice, and nothing of other schools", async () => {
    const a = makeSchool(ctx.db, { name: "School Alfa" });
    const b = makeSchool(ctx.db, { name: "School Beta" });
    makeSchool(ctx.db, { name: "School Gamma" });
    const { agent } = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [a.id, b.id] }));
    const home = await agent.get("/");
    expect(home.status).toBe(200);
    expect(home.text).toContain("School Alfa");
    expect(home.text).toContain("School Beta");
    expect(home.text).not.toContain("School Gamma");
  });

  it("lets the privacy officer open any school's overview with links to fix each finding", async () => {
    const { school, red } = fourColours();
    const { agent } = await officer();
    const page = await agent.get(`/schools/${school.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="/applications/${red.id}#overeenkomsten"`);
  });

  it("answers a school user's request for another school's overview as not found", async () => {
    const { school } = fourColours();
    const own = makeSchool(ctx.db);
    const { agent } = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [own.id] }));
    const res = await agent.get(`/schools/${school.id}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain(school.name);
  });
});

describe("thresholds as settings", () => {
  beforeEach(() => {
    ctx = buildTestApp();
  });

  it("lets an admin shorten the warning period, which turns an agreement ending in 60 days from orange to green", async () => {
    const { orange } = fourColours();
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "admin"));
    expect((await agent.get(`/applications/${orange.id}`)).text).toContain("status--orange");
    const res = await agent
      .post("/admin/settings")
      .type("form")
      .send({ agreementWarningDays: "30", reviewIntervalMonths: "12", oldestCurrentModel: "3.0", breachRegulatorHours: "72", version: 1, _csrf: await token() });
    expect(res.status).toBe(303);
    expect((await agent.get(`/applications/${orange.id}`)).text).toContain("Status: <span class=\"status status--green\">");
    expect(ctx.db.select().from(settings).where(eq(settings.key, "agreementWarningDays")).get()!.value).toBe("30");
    expect(ctx.db.select().from(auditLog).where(eq(auditLog.entityType, "settings")).get()!.after).toMatchObject({ agreementWarningDays: 30 });
  });

  it("refuses an empty or negative value with 422 at the field, and a stale form with 409", async () => {
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "admin"));
    const bad = await agent
      .post("/admin/settings")
      .type("form")
      .send({ agreementWarningDays: "", reviewIntervalMonths: "-1", oldestCurrentModel: "3.0", breachRegulatorHours: "72", version: 1, _csrf: await token() });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="agreementWarningDays-error"');
    expect(bad.text).toContain('id="reviewIntervalMonths-error"');
    expect(bad.text).toContain('value="-1"');
    await agent.post("/admin/settings").type("form").send({ agreementWarningDays: "60", reviewIntervalMonths: "12", oldestCurrentModel: "3.0", breachRegulatorHours: "72", version: 1, _csrf: await token() });
    const stale = await agent.post("/admin/settings").type("form").send({ agreementWarningDays: "45", reviewIntervalMonths: "12", oldestCurrentModel: "3.0", breachRegulatorHours: "72", version: 1, _csrf: await token() });
    expect(stale.status).toBe(409);
    expect(ctx.db.select().from(settings).where(eq(settings.key, "agreementWarningDays")).get()!.value).toBe("60");
  });

  it("keeps the settings from every role but admin", async () => {
    for (const role of ["privacy_officer", "auditor", "school"] as const) {
      const { agent } = await loginAs(ctx.app, await makeUser(ctx.db, role));
      expect((await agent.get("/admin/settings")).status).toBe(403);
    }
  });
});

describe("the rules page", () => {
  beforeEach(() => {
    ctx = buildTestApp();
  });

  it.each(["admin", "privacy_officer", "auditor", "school"] as const)("explains every rule with the current thresholds to a %s", async (role) => {
    ctx.db.insert(settings).values({ key: "agreementWarningDays", value: "45" }).run();
    const { agent } = await loginAs(ctx.app, await makeUser(ctx.db, role, { schoolIds: role === "school" ? [makeSchool(ctx.db).id] : [] }));
    const page = await agent.get("/rules");
    expect(page.status).toBe(200);
    expect(page.text).toContain("een verwerkersovereenkomst binnen 45 dagen afloopt;");
    expect(page.text).toContain("er geen BIV-classificatie is;");
  });
});

describe("the cached evaluation", () => {
  beforeEach(() => {
    ctx = buildTestApp();
  });

  it("notices any change to the register, also one made outside the services", async () => {
    const { red } = fourColours();
    const { agent } = await officer();
    expect((await agent.get("/applications?status=red")).text).toContain("Rood Systeem");
    ctx.connection.sqlite.prepare("update applications set processes_personal_data = 0 where id = ?").run(red.id);
    const after = await agent.get("/applications?status=red");
    expect(after.text).not.toContain("Rood Systeem");
    expect(decoded((await agent.get("/")).text)).toMatch(/N\.v\.t\.<\/a><\/dt><dd>2<\/dd>/);
  });
});
