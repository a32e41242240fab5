import { and, eq } from "drizzle-orm";
import { applicationMeasures, applications, auditLog, securityMeasures, suppliers } from "../src/db/schema";
import { buildTestApp, decoded, loginAs, makeSchool, makeUser, type TestContext } from "./helpers/app";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

const officer = async () => loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
const valid = { code: "", aspect: "vertrouwelijkheid", level: "hoog", title: "Wachtwoordkluis voor beheerders", description: "", owner: "school", sortOrder: "" };
const byCode = (code: string) => ctx.db.select().from(securityMeasures).where(eq(securityMeasures.code, code)).get()!;
const addMeasure = (values: Partial<typeof securityMeasures.$inferInsert> = {}) =>
  ctx.db.insert(securityMeasures).values({ code: "x.eigen", aspect: "integriteit", level: "midden", title: "Eigen maatregel", sortOrder: 90, ...values }).returning().get();
const addApplication = (name: string) => {
  const supplier = ctx.db.insert(suppliers).values({ name: `Leverancier van ${name}` }).returning().get();
  return ctx.db.insert(applications).values({ name, supplierId: supplier.id }).returning().get();
};

describe("security measures", () => {
  it("lists the seeded catalogue by aspect and then from the lowest level up", async () => {
    const { agent } = await officer();
    const res = await agent.get("/measures");
    expect(res.status).toBe(200);
    expect(res.text).toContain("1–14 van 14");
    const at = (text: string) => res.text.indexOf(text);
    expect(at("Dagelijkse back-up")).toBeLessThan(at("Herstelprocedure jaarlijks getest"));
    expect(at("Herstelprocedure jaarlijks getest")).toBeLessThan(at("Controle op invoer"));
    expect(at("Vier-ogenprincipe")).toBeLessThan(at("Toegang op basis van rollen"));
    expect(res.text).toMatch(/<td>Vertrouwelijkheid<\/td>\s*<td>Hoog<\/td>\s*<th scope="row"><a href="\/measures\/\d+">Tweefactorauthenticatie/);
  });

  it("filters by aspect, level and owner, searches and sorts", async () => {
    const { agent } = await officer();
    const vHigh = await agent.get("/measures?aspect=vertrouwelijkheid&level=hoog");
    expect(vHigh.text).toContain("1–4 van 4");
    expect(vHigh.text).toContain("Tweefactorauthenticatie");
    expect(vHigh.text).not.toContain("Versleuteld transport (TLS)");
    expect((await agent.get("/measures?owner=school")).text).toContain("1–2 van 2");
    const search = await agent.get("/measures?q=TLS");
    expect(search.text).toContain("1–1 van 1");
    const byTitle = await agent.get("/measures?sort=title&dir=desc");
    expect(byTitle.text.indexOf("Vier-ogenprincipe")).toBeLessThan(byTitle.text.indexOf("Beschikbaarheid vastgelegd"));
    expect(byTitle.text).toContain('aria-sort="descending"');
  });

  it("paginates fifty measures to a page", async () => {
    for (let i = 1; i <= 40; i++) addMeasure({ code: `x.eigen-${i}`, title: `Eigen ${i}` });
    const { agent } = await officer();
    const first = await agent.get("/measures");
    expect(first.text).toContain("1–50 van 54");
    expect(decoded(first.text)).toContain('href="/measures?sort=aspect&dir=asc&page=2" rel="next"');
    expect((await agent.get("/measures?page=2")).text).toContain("51–54 van 54");
  });

  it("creates a measure with a code made from aspect and title, placed at the end, and records the creation", async () => {
    const { agent, token } = await officer();
    const res = await agent.post("/measures").type("form").send({ ...valid, _csrf: await token() });
    expect(res.status).toBe(303);
    const saved = byCode("v.wachtwoordkluis-voor-beheerders");
    expect(saved).toMatchObject({ aspect: "vertrouwelijkheid", level: "hoog", owner: "school", sortOrder: 15, description: null });
    expect(res.headers.location).toBe(`/measures/${saved.id}`);
    expect((await agent.get(`/measures/${saved.id}`)).text).toContain("Maatregel Wachtwoordkluis voor beheerders is toegevoegd.");
    const entry = ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "security_measure"), eq(auditLog.action, "create"))).get()!;
    expect(entry.entityId).toBe(saved.id);
    expect(entry.after).toMatchObject({ code: "v.wachtwoordkluis-voor-beheerders" });
  });

  it("refuses a code that another measure has, at the field, keeping the input", async () => {
    const { agent, token } = await officer();
    const res = await agent.post("/measures").type("form").send({ ...valid, code: "V.MFA", description: "mijn toelichting", _csrf: await token() });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="code-error"[^>]*>.*Deze code is al in gebruik bij de maatregel Tweefactorauthenticatie voor iedereen met toegang\./s);
    expect(res.text).toContain('value="V.MFA"');
    expect(res.text).toContain("mijn toelichting");
    expect(ctx.db.select().from(securityMeasures).all()).toHaveLength(14);
  });

  it("requires title, aspect and level and refuses an invalid code and position", async () => {
    const { agent, token } = await officer();
    const res = await agent
      .post("/measures")
      .type("form")
      .send({ ...valid, title: "", aspect: "", level: "zeer hoog", code: "met spatie", sortOrder: "-3", _csrf: await token() });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="title-error"[^>]*>.*Vul dit veld in\./s);
    expect(res.text).toMatch(/id="aspect-error"[^>]*>.*Vul dit veld in\./s);
    expect(res.text).toMatch(/id="level-error"[^>]*>.*Kies een van de mogelijkheden\./s);
    expect(res.text).toContain("Een code begint met een kleine letter of cijfer");
    expect(res.text).toContain('id="sortOrder-error"');
    expect(res.text).toContain('<option value="school" selected>');
  });

  it("edits a measure, including its level and code, and shows the change in its history", async () => {
    const measure = addMeasure();
    const { agent, token } = await officer();
    const res = await agent
      .post(`/measures/${measure.id}`)
      .type("form")
      .send({ ...valid, title: "Eigen maatregel", aspect: "integriteit", level: "hoog", code: "i.eigen", sortOrder: "90", version: 1, _csrf: await token() });
    expect(res.status).toBe(303);
    expect(byCode("i.eigen")).toMatchObject({ id: measure.id, level: "hoog", version: 2 });
    const page = await agent.get(`/measures/${measure.id}`);
    expect(page.text).toMatch(/Vereist vanaf niveau<\/span>: <del>midden<\/del> → <ins>hoog<\/ins>/);
    expect(page.text).toMatch(/Code<\/span>: <del>x.eigen<\/del> → <ins>i.eigen<\/ins>/);
  });

  it("keeps its own code when a measure is saved unchanged", async () => {
    const measure = addMeasure();
    const { agent, token } = await officer();
    const res = await agent
      .post(`/measures/${measure.id}`)
      .type("form")
      .send({ ...valid, title: "Eigen maatregel", aspect: "integriteit", level: "midden", code: "x.eigen", sortOrder: "90", version: 1, _csrf: await token() });
    expect(res.status).toBe(303);
    expect(byCode("x.eigen").id).toBe(measure.id);
  });

  it("answers a stale edit with 409, keeps the input and shows the newer version", async () => {
    const measure = addMeasure();
    const a = await officer();
    const b = await officer();
    const bToken = await b.token(`/measures/${measure.id}/edit`);
    await a.agent.post(`/measures/${measure.id}`).type("form").send({ ...valid, code: "x.eigen", title: "Titel van A", version: 1, _csrf: await a.token() });
    const res = await b.agent.post(`/measures/${measure.id}`).type("form").send({ ...valid, code: "x.eigen", title: "Titel van B", version: 1, _csrf: bToken });
    expect(res.status).toBe(409);
    expect(res.text).toContain('value="Titel van B"');
    expect(res.text).toContain("Titel van A");
    expect(res.text).toContain('name="version" value="2"');
    expect(byCode("x.eigen").title).toBe("Titel van A");
  });

  it("shows the applications where the measure is recorded, with its status there", async () => {
    const mfa = byCode("v.mfa");
    const lvs = addApplication("Leerlingvolgsysteem");
    const elo = addApplication("ELO");
    ctx.db.insert(applicationMeasures).values([
      { applicationId: lvs.id, measureId: mfa.id, status: "aanwezig", checkedOn: "2025-03-01" },
      { applicationId: elo.id, measureId: mfa.id, status: "gedeeltelijk", note: "Alleen voor beheerders" },
    ]).run();
    const { agent } = await officer();
    const page = await agent.get(`/measures/${mfa.id}`);
    expect(page.text).toContain("Applicaties waarbij deze maatregel is vastgelegd (2)");
    expect(page.text).toMatch(new RegExp(`<a href="/applications/${lvs.id}">Leerlingvolgsysteem</a>[^]*?<td>Aanwezig</td>\\s*<td>01-03-2025</td>`));
    expect(page.text).toMatch(/ELO<\/a>[^]*?<td>Gedeeltelijk<\/td>[^]*?Alleen voor beheerders/);
    const list = await agent.get("/measures?q=Tweefactor");
    expect(list.text).toMatch(/Tweefactorauthenticatie[^]*?<td class="num">2<\/td>/);
  });

  it("archives and restores a measure, hiding it from the list while archived", async () => {
    const measure = addMeasure({ title: "Oude maatregel" });
    const { agent, token } = await officer();
    expect((await agent.post(`/measures/${measure.id}/archive`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(303);
    expect((await agent.get(`/measures/${measure.id}`)).text).toContain("Maatregel Oude maatregel is gearchiveerd.");
    expect((await agent.get("/measures")).text).not.toContain("Oude maatregel");
    expect((await agent.get("/measures?archived=1")).text).toContain("Oude maatregel");
    await agent.post(`/measures/${measure.id}/restore`).type("form").send({ version: 2, _csrf: await token() });
    expect(byCode("x.eigen").archivedAt).toBeNull();
    expect(ctx.db.select().from(auditLog).where(eq(auditLog.entityType, "security_measure")).all().map((e) => e.action)).toEqual(["archive", "restore"]);
  });

  it("deletes an unused measure after confirmation and writes the deletion to the log", async () => {
    const measure = addMeasure();
    const { agent, token } = await officer();
    expect((await agent.get(`/measures/${measure.id}/delete`)).text).toContain("definitief wilt verwijderen");
    const res = await agent.post(`/measures/${measure.id}/delete`).type("form").send({ version: 1, _csrf: await token() });
    expect(res.status).toBe(303);
    expect(ctx.db.select().from(securityMeasures).where(eq(securityMeasures.id, measure.id)).get()).toBeUndefined();
    expect(ctx.db.select().from(auditLog).where(eq(auditLog.action, "delete")).get()).toMatchObject({ entityType: "security_measure", entityId: measure.id });
  });

  it("refuses to delete a measure that is recorded at an application", async () => {
    const measure = addMeasure();
    ctx.db.insert(applicationMeasures).values({ applicationId: addApplication("ELO").id, measureId: measure.id, status: "afwezig" }).run();
    const { agent, token } = await officer();
    expect((await agent.get(`/measures/${measure.id}/delete`)).text).not.toContain("Ja, definitief verwijderen");
    const refused = await agent.post(`/measures/${measure.id}/delete`).type("form").send({ version: 1, _csrf: await token() });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("Deze maatregel kan niet worden verwijderd: hij is nog bij 1 applicatie(s) vastgelegd.");
    expect(byCode("x.eigen")).toBeDefined();
  });

  it("shows HTML typed into a field as text", async () => {
    const { agent, token } = await officer();
    await agent.post("/measures").type("form").send({ ...valid, title: "<script>alert(1)</script>", _csrf: await token() });
    const measure = ctx.db.select().from(securityMeasures).where(eq(securityMeasures.title, "<script>alert(1)</script>")).get()!;
    const page = await agent.get(`/measures/${measure.id}`);
    expect(page.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page.text).not.toContain("<script>alert(1)</script>");
  });

  it("lets an auditor read the catalogue but change nothing, and answers 404 for an unknown id", async () => {
    const measure = addMeasure();
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "auditor"));
    const page = await agent.get(`/measures/${measure.id}`);
    expect(page.status).toBe(200);
    expect((await agent.get("/measures/999999")).status).toBe(404);
    expect((await agent.get("/measures/abc")).status).toBe(404);
    expect(page.text).not.toContain(`/measures/${measure.id}/edit`);
    expect((await agent.get("/measures/new")).status).toBe(403);
    expect((await agent.post(`/measures/${measure.id}`).type("form").send({ ...valid, version: 1, _csrf: await token() })).status).toBe(403);
    expect((await agent.post(`/measures/${measure.id}/archive`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(403);
    expect(byCode("x.eigen")).toMatchObject({ title: "Eigen maatregel", archivedAt: null });
  });

  it("refuses every measure page to a school user with 403", async () => {
    const measure = addMeasure();
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [makeSchool(ctx.db).id] }));
    for (const path of ["/measures", `/measures/${measure.id}`, "/measures/new", `/measures/${measure.id}/delete`]) {
      expect((await agent.get(path)).status).toBe(403);
    }
    expect((await agent.post(`/measures/${measure.id}/delete`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(403);
    expect((await agent.get("/")).text).not.toContain('href="/measures"');
  });
});
