import { and, eq } from "drizzle-orm";
import { applicationData, applicationFunctions, applications, applicationSchools, auditLog, foraFunctions } from "../src/db/schema";
import { buildTestApp, decoded, loginAs, makeSchool, makeUser, type TestContext } from "./helpers/app";
import { categoryId, makeAgreement, makeApplication, makeClassification, makeSupplier, processes, subjectId } from "./helpers/factories";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

const officer = async () => loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));

function validForm(supplierId: number, extra: Record<string, unknown> = {}) {
  return {
    name: "Magister",
    supplierId,
    description: "Leerlingadministratie en -volgsysteem",
    goal: "Administratie",
    lifecycle: "in_gebruik",
    usedByPupils: "on",
    usedByStaff: "on",
    processesPersonalData: "on",
    dataLocationCountry: "Nederland",
    dataInEea: "ja",
    costOneTimeCents: "1.250,00",
    costLicencePerYearCents: "3450.5",
    ...extra,
  };
}

describe("creating and editing applications", () => {
  it("creates an application with FORA functions and schools, and records it", async () => {
    const supplier = makeSupplier(ctx.db, { name: "Iddink" });
    const school = makeSchool(ctx.db);
    const fn = ctx.db.select().from(foraFunctions).where(eq(foraFunctions.code, "oo.administratie")).get()!;
    const { agent, token } = await officer();
    const res = await agent
      .post("/applications")
      .type("form")
      .send({ ...validForm(supplier.id), functionIds: String(fn.id), schoolIds: [String(school.id)], _csrf: await token() });
    expect(res.status).toBe(303);
    const app = ctx.db.select().from(applications).get()!;
    expect(app).toMatchObject({ name: "Magister", usedByPupils: true, usedByParents: false, dataInEea: true, costOneTimeCents: 125000, costLicencePerYearCents: 345050 });
    expect(ctx.db.select().from(applicationFunctions).all()).toEqual([{ applicationId: app.id, functionId: fn.id }]);
    expect(ctx.db.select().from(applicationSchools).all().map((r) => r.schoolId)).toEqual([school.id]);
    const page = await agent.get(`/applications/${app.id}`);
    expect(page.text).toContain("Leerlingadministratie");
    expect(decoded(page.text)).toContain("€\u00a01.250,00");
    expect(ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "application"), eq(auditLog.action, "create"))).all()).toHaveLength(1);
  });

  it("re-renders with 422 and keeps ticked functions and typed values when costs and supplier are invalid", async () => {
    const fn = ctx.db.select().from(foraFunctions).get()!;
    const { agent, token } = await officer();
    const res = await agent
      .post("/applications")
      .type("form")
      .send({ ...validForm(0), costOneTimeCents: "-12", functionIds: String(fn.id), _csrf: await token() });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Kies de leverancier.");
    expect(res.text).toContain('id="costOneTimeCents-error"');
    expect(res.text).toContain('value="-12"');
    expect(res.text).toMatch(new RegExp(`id="function-${fn.id}"[^>]*checked`));
    expect(ctx.db.select().from(applications).all()).toHaveLength(0);
  });

  it("asks for a transfer mechanism when data are stored outside the EEA", async () => {
    const supplier = makeSupplier(ctx.db);
    const { agent, token } = await officer();
    const res = await agent.post("/applications").type("form").send({ ...validForm(supplier.id), dataInEea: "nee", _csrf: await token() });
    expect(res.status).toBe(422);
    expect(res.text).toContain('id="transferMechanism-error"');
  });

  it("refuses a second application with the same name at the same supplier", async () => {
    const supplier = makeSupplier(ctx.db, { name: "Iddink" });
    makeApplication(ctx.db, { name: "Magister", supplierId: supplier.id });
    const { agent, token } = await officer();
    const res = await agent.post("/applications").type("form").send({ ...validForm(supplier.id), name: "magister", _csrf: await token() });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Iddink heeft al een applicatie met deze naam.");
  });

  it("edits an application and answers a stale edit with 409 keeping the input", async () => {
    const supplier = makeSupplier(ctx.db);
    const app = makeApplication(ctx.db, { supplierId: supplier.id, name: "Oud" });
    const a = await officer();
    const b = await officer();
    const bToken = await b.token(`/applications/${app.id}/edit`);
    expect((await a.agent.post(`/applications/${app.id}`).type("form").send({ ...validForm(supplier.id), name: "Nieuw A", version: 1, _csrf: await a.token() })).status).toBe(303);
    const stale = await b.agent.post(`/applications/${app.id}`).type("form").send({ ...validForm(supplier.id), name: "Nieuw B", version: 1, _csrf: bToken });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('value="Nieuw B"');
    expect(stale.text).toContain("Nieuw A");
    expect(ctx.db.select().from(applications).get()!.name).toBe("Nieuw A");
    const history = await a.agent.get(`/applications/${app.id}`);
    expect(history.text).toMatch(/<del>Oud<\/del> → <ins>Nieuw A<\/ins>/);
  });

  it("records what data of whom the application processes, and why", async () => {
    const app = makeApplication(ctx.db);
    const { agent, token } = await officer();
    const health = categoryId(ctx.db, "health");
    const pupils = subjectId(ctx.db, "pupils");
    const parents = subjectId(ctx.db, "parents");
    const res = await agent
      .post(`/applications/${app.id}/data`)
      .type("form")
      .send(`_csrf=${encodeURIComponent(await token())}&version=1&rows[k${health}][subjects]=${pupils}&rows[k${health}][subjects]=${parents}&rows[k${health}][purpose]=Zorgdossier`);
    expect(res.status).toBe(303);
    const rows = ctx.db.select().from(applicationData).all();
    expect(rows.map((r) => [r.dataCategoryId, r.dataSubjectId, r.purpose])).toEqual([
      [health, pupils, "Zorgdossier"],
      [health, parents, "Zorgdossier"],
    ]);
    expect(ctx.db.select().from(applications).get()!.version).toBe(2);
    const page = await agent.get(`/applications/${app.id}`);
    expect(page.text).toContain("Medische gegevens / gezondheid en welzijn");
    expect(page.text).toContain("Zorgdossier");
  });

  it("sets the schools that use it with since and until, and refuses an end before the start", async () => {
    const app = makeApplication(ctx.db);
    const school = makeSchool(ctx.db, { name: "De Linde" });
    const { agent, token } = await officer();
    const bad = await agent
      .post(`/applications/${app.id}/schools`)
      .type("form")
      .send(`_csrf=${encodeURIComponent(await token())}&version=1&rows[k${school.id}][used]=on&rows[k${school.id}][since]=2025-08-01&rows[k${school.id}][until]=2024-01-01&rows[k${school.id}][localContact]=Juf+Ans`);
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("De einddatum ligt vóór de begindatum.");
    expect(bad.text).toContain('value="Juf Ans"');
    const ok = await agent
      .post(`/applications/${app.id}/schools`)
      .type("form")
      .send(`_csrf=${encodeURIComponent(await token())}&version=1&rows[k${school.id}][used]=on&rows[k${school.id}][since]=2025-08-01&rows[k${school.id}][localContact]=Juf+Ans`);
    expect(ok.status).toBe(303);
    expect(ctx.db.select().from(applicationSchools).get()).toMatchObject({ schoolId: school.id, since: "2025-08-01", until: null, localContact: "Juf Ans" });
  });

  it("archives an application and deletes one only when nothing refers to it", async () => {
    const free = makeApplication(ctx.db, { name: "Vrij" });
    const bound = makeApplication(ctx.db, { name: "Gebonden" });
    makeAgreement(ctx.db, { supplierId: bound.supplierId, applicationIds: [bound.id] });
    const { agent, token } = await officer();
    expect((await agent.post(`/applications/${bound.id}/archive`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(303);
    expect(ctx.db.select().from(applications).where(eq(applications.id, bound.id)).get()!.archivedAt).not.toBeNull();
    const refused = await agent.post(`/applications/${bound.id}/delete`).type("form").send({ version: 2, _csrf: await token() });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("1 verwerkersovereenkomst(en)");
    expect((await agent.post(`/applications/${free.id}/delete`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(303);
    expect(ctx.db.select().from(applications).all().map((a) => a.name)).toEqual(["Gebonden"]);
  });
});

describe("the application page", () => {
  it("shows which processed categories no current agreement covers", async () => {
    const app = makeApplication(ctx.db, { name: "Parro" });
    processes(ctx.db, app.id, ["contact", "images"]);
    makeAgreement(ctx.db, { supplierId: app.supplierId, applicationIds: [app.id], categories: ["contact"] });
    makeAgreement(ctx.db, { supplierId: app.supplierId, applicationIds: [app.id], categories: ["images"], status: "verlopen", endsOn: "2025-06-01" });
    const { agent } = await officer();
    const page = await agent.get(`/applications/${app.id}`);
    expect(page.text).toContain("Niet gedekt door een geldende verwerkersovereenkomst: Beeldmateriaal.");
  });

  it("says there is no current agreement when only an expired one exists", async () => {
    const app = makeApplication(ctx.db);
    makeAgreement(ctx.db, { supplierId: app.supplierId, applicationIds: [app.id], endsOn: "2025-06-30" });
    const { agent } = await officer();
    const page = await agent.get(`/applications/${app.id}`);
    expect(page.text).toContain("Er is geen geldende, ondertekende verwerkersovereenkomst die deze applicatie dekt.");
  });

  it("warns when the confidentiality is below what the data imply", async () => {
    const app = makeApplication(ctx.db);
    processes(ctx.db, app.id, ["health"]);
    makeClassification(ctx.db, app.id, { confidentiality: "midden" });
    const { agent } = await officer();
    const page = await agent.get(`/applications/${app.id}`);
    expect(page.text).toContain("De vertrouwelijkheid (Midden) is lager dan de verwerkte gegevens vragen (Hoog: Medische gegevens / gezondheid en welzijn).");
  });

  it("lists the measures the levels require with what is missing", async () => {
    const app = makeApplication(ctx.db);
    makeClassification(ctx.db, app.id, { confidentiality: "hoog", availability: "laag", integrity: "laag" });
    const { agent } = await officer();
    const page = await agent.get(`/applications/${app.id}`);
    expect(page.text).toContain("Tweefactorauthenticatie voor iedereen met toegang");
    expect(page.text).not.toContain("Dagelijkse back-up");
    expect(page.text).toContain("6 vereiste maatregel(en) niet (volledig) aanwezig.");
  });
});

describe("lists and access", () => {
  it("filters the list by school, lifecycle and category and paginates", async () => {
    const school = makeSchool(ctx.db);
    const a = makeApplication(ctx.db, { name: "Alpha", schoolIds: [school.id] });
    makeApplication(ctx.db, { name: "Beta", lifecycle: "uitfaseren" });
    processes(ctx.db, a.id, ["bsn"]);
    const { agent } = await officer();
    const bySchool = await agent.get(`/applications?school=${school.id}`);
    expect(bySchool.text).toContain("Alpha");
    expect(bySchool.text).not.toContain(">Beta<");
    expect((await agent.get("/applications?lifecycle=uitfaseren")).text).not.toContain(">Alpha<");
    expect((await agent.get(`/applications?category=${categoryId(ctx.db, "bsn")}`)).text).not.toContain(">Beta<");
    expect((await agent.get("/applications?lifecycle=onzin")).status).toBe(200);
  });

  it("shows a school user only its own schools' applications and refuses another school's by id", async () => {
    const own = makeSchool(ctx.db, { name: "Eigen School" });
    const other = makeSchool(ctx.db, { name: "Andere School" });
    const mine = makeApplication(ctx.db, { name: "Eigen App", schoolIds: [own.id, other.id] });
    const theirs = makeApplication(ctx.db, { name: "Andere App", schoolIds: [other.id] });
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [own.id] }));
    const list = await agent.get("/applications");
    expect(list.text).toContain("Eigen App");
    expect(list.text).not.toContain("Andere App");
    expect((await agent.get(`/applications?school=${other.id}`)).text).not.toContain("Andere App");
    const page = await agent.get(`/applications/${mine.id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain("Andere School");
    expect((await agent.get(`/applications/${theirs.id}`)).status).toBe(404);
    expect((await agent.get(`/applications/${mine.id}/edit`)).status).toBe(403);
    expect((await agent.post(`/applications/${mine.id}`).type("form").send({ name: "x", version: 1, _csrf: await token() })).status).toBe(403);
  });

  it("keeps each school's list to its own applications, also right after an officer read the whole list", async () => {
    const own = makeSchool(ctx.db, { name: "Eigen School" });
    const other = makeSchool(ctx.db, { name: "Andere School" });
    makeApplication(ctx.db, { name: "Eigen App", schoolIds: [own.id] });
    makeApplication(ctx.db, { name: "Andere App", schoolIds: [other.id] });
    const schoolUser = await makeUser(ctx.db, "school", { schoolIds: [own.id] });
    const { agent: officerAgent } = await officer();
    expect((await officerAgent.get("/applications")).text).toContain("Andere App");
    // Nothing changed in between (a log-in is no change to the register): the officer's page is still kept.
    const { agent: schoolAgent } = await loginAs(ctx.app, schoolUser);
    const list = await schoolAgent.get("/applications");
    expect(list.text).toContain("Eigen App");
    expect(list.text).not.toContain("Andere App");
  });

  it("shows a change made directly in the database on the next list, not the list of before", async () => {
    const app = makeApplication(ctx.db, { name: "Oude Naam" });
    const { agent } = await officer();
    expect((await agent.get("/applications")).text).toContain("Oude Naam");
    ctx.connection.sqlite.prepare("update applications set name = 'Nieuwe Naam' where id = ?").run(app.id);
    const after = await agent.get("/applications");
    expect(after.text).toContain("Nieuwe Naam");
    expect(after.text).not.toContain("Oude Naam");
  });

  it("filters on one supplier from the supplier's page, shown as a filter that can be taken off", async () => {
    const supplier = makeSupplier(ctx.db, { name: "Heutink" });
    makeApplication(ctx.db, { name: "Heutink Rekenen", supplierId: supplier.id });
    makeApplication(ctx.db, { name: "Ander Pakket", lifecycle: "uitfaseren" });
    const { agent } = await officer();
    const supplierPage = decoded((await agent.get(`/suppliers/${supplier.id}`)).text);
    expect(supplierPage).toContain(`href="/applications?supplier=${supplier.id}"`);
    const list = decoded((await agent.get(`/applications?supplier=${supplier.id}&lifecycle=in_gebruik`)).text);
    expect(list).toContain("Heutink Rekenen");
    expect(list).not.toContain("Ander Pakket");
    expect(list).toContain(`<input type="hidden" name="supplier" value="${supplier.id}">`);
    expect(list).toContain(`<a href="/applications?sort=name&dir=asc&lifecycle=in_gebruik">Toon alle leveranciers</a>`);
  });

  it("lets an auditor read applications but not change them", async () => {
    const app = makeApplication(ctx.db);
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "auditor"));
    expect((await agent.get(`/applications/${app.id}`)).status).toBe(200);
    expect((await agent.get(`/applications/${app.id}/data`)).status).toBe(403);
    expect((await agent.post(`/applications/${app.id}/archive`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(403);
  });
});
