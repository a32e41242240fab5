import { and, eq } from "drizzle-orm";
import { applicationFunctions, applications, auditLog, foraDomains, foraFunctions, intakeRequests, suppliers } from "../src/db/schema";
import { buildTestApp, loginAs, makeSchool, makeUser, type TestContext } from "./helpers/app";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

const officer = async () => loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
const domain = (code: string) => ctx.db.select().from(foraDomains).where(eq(foraDomains.code, code)).get()!;
const fnByCode = (code: string) => ctx.db.select().from(foraFunctions).where(eq(foraFunctions.code, code)).get()!;
const valid = () => ({ domainId: String(domain("lz").id), name: "Rouwverwerking en nazorg", code: "", description: "", sortOrder: "" });
const addFunction = (values: Partial<typeof foraFunctions.$inferInsert> = {}) =>
  ctx.db.insert(foraFunctions).values({ domainId: domain("ow").id, code: "ow.eigen", name: "Eigen functie", sortOrder: 50, ...values }).returning().get();
const addApplication = (name: string, values: Partial<typeof applications.$inferInsert> = {}) => {
  const supplier = ctx.db.insert(suppliers).values({ name: `Leverancier van ${name}` }).returning().get();
  return ctx.db.insert(applications).values({ name, supplierId: supplier.id, ...values }).returning().get();
};
const serve = (applicationId: number, functionId: number) => ctx.db.insert(applicationFunctions).values({ applicationId, functionId }).run();

describe("FORA", () => {
  it("lists the six domains with their functions and, per function, how many applications serve it", async () => {
    const rooster = fnByCode("oo.rooster");
    serve(addApplication("Zermelo").id, rooster.id);
    serve(addApplication("Untis").id, rooster.id);
    serve(addApplication("Oud rooster", { archivedAt: new Date() }).id, rooster.id);
    serve(addApplication("Somtoday").id, fnByCode("oo.administratie").id);
    const { agent } = await officer();
    const res = await agent.get("/fora");
    expect(res.status).toBe(200);
    for (const name of ["Bevoegd gezag", "Schoolleiding", "Onderwijs", "Onderwijsondersteuning", "Leerlingbegeleiding en -zorg", "Bedrijfsvoering"]) {
      expect(res.text).toMatch(new RegExp(`<h2 id="domain-\\d+">${name}</h2>`));
    }
    expect(res.text.indexOf("Bevoegd gezag")).toBeLessThan(res.text.indexOf("Bedrijfsvoering"));
    expect(res.text).toMatch(/Roostering<\/a><\/th>\s*<td><code>oo.rooster<\/code><\/td>\s*<td class="num">2<\/td>\s*<td>Meerdere applicaties: mogelijk dubbel<\/td>/);
    expect(res.text).toMatch(/Leerlingadministratie<\/a><\/th>\s*<td><code>oo.administratie<\/code><\/td>\s*<td class="num">1<\/td>\s*<td><\/td>/);
    expect(res.text).toMatch(/Vorming zorgdossier<\/a><\/th>\s*<td><code>lz.zorgdossier<\/code><\/td>\s*<td class="num">0<\/td>\s*<td>Geen applicatie<\/td>/);
  });

  it("offers a new function in a chosen domain and creates it with a code from domain and name, at the end of that domain", async () => {
    const lz = domain("lz");
    const { agent, token } = await officer();
    const form = await agent.get(`/fora/functions/new?domain=${lz.id}`);
    expect(form.text).toContain(`<option value="${lz.id}" selected>Leerlingbegeleiding en -zorg</option>`);
    expect(form.text).toContain('name="sortOrder" type="number" value="5"');
    const res = await agent.post("/fora/functions").type("form").send({ ...valid(), _csrf: await token() });
    expect(res.status).toBe(303);
    const saved = fnByCode("lz.rouwverwerking-en-nazorg");
    expect(saved).toMatchObject({ domainId: lz.id, name: "Rouwverwerking en nazorg", sortOrder: 5, description: null });
    expect(res.headers.location).toBe(`/fora/functions/${saved.id}`);
    expect((await agent.get(`/fora/functions/${saved.id}`)).text).toContain("Functie Rouwverwerking en nazorg is toegevoegd.");
    const entry = ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "fora_function"), eq(auditLog.action, "create"))).get()!;
    expect(entry.entityId).toBe(saved.id);
    expect(entry.after).toMatchObject({ code: "lz.rouwverwerking-en-nazorg" });
  });

  it("requires a name and a known domain, refuses a taken or malformed code at the field and keeps the input", async () => {
    const { agent, token } = await officer();
    const empty = await agent.post("/fora/functions").type("form").send({ ...valid(), name: "", domainId: "", description: "mijn omschrijving", _csrf: await token() });
    expect(empty.status).toBe(422);
    expect(empty.text).toMatch(/id="name-error"[^>]*>.*Vul dit veld in\./s);
    expect(empty.text).toMatch(/id="domainId-error"[^>]*>.*Vul dit veld in\./s);
    expect(empty.text).toContain("mijn omschrijving");
    const unknown = await agent.post("/fora/functions").type("form").send({ ...valid(), domainId: "9999", _csrf: await token() });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toMatch(/id="domainId-error"[^>]*>.*Kies een van de domeinen\./s);
    const taken = await agent.post("/fora/functions").type("form").send({ ...valid(), code: "lz.zorgdossier", _csrf: await token() });
    expect(taken.status).toBe(422);
    expect(taken.text).toMatch(/id="code-error"[^>]*>.*Deze code is al in gebruik bij de functie Vorming zorgdossier\./s);
    expect(taken.text).toContain('value="Rouwverwerking en nazorg"');
    const malformed = await agent.post("/fora/functions").type("form").send({ ...valid(), code: "lz zorg", _csrf: await token() });
    expect(malformed.status).toBe(422);
    expect(malformed.text).toContain("Een code begint met een kleine letter of cijfer");
    expect(ctx.db.select().from(foraFunctions).where(eq(foraFunctions.name, "Rouwverwerking en nazorg")).all()).toHaveLength(0);
  });

  it("edits a function, moving it to another domain, and shows the change with domain names in its history", async () => {
    const fn = addFunction();
    const { agent, token } = await officer();
    const res = await agent
      .post(`/fora/functions/${fn.id}`)
      .type("form")
      .send({ domainId: String(domain("bv").id), name: "Eigen functie", code: "bv.eigen", description: "Nieuw", sortOrder: "3", version: 1, _csrf: await token() });
    expect(res.status).toBe(303);
    expect(fnByCode("bv.eigen")).toMatchObject({ id: fn.id, domainId: domain("bv").id, sortOrder: 3, description: "Nieuw", version: 2 });
    const page = await agent.get(`/fora/functions/${fn.id}`);
    expect(page.text).toMatch(/Domein<\/span>: <del>Onderwijs<\/del> → <ins>Bedrijfsvoering<\/ins>/);
    expect(page.text).toMatch(/Code<\/span>: <del>ow.eigen<\/del> → <ins>bv.eigen<\/ins>/);
  });

  it("answers a stale edit with 409, keeps the input and shows the newer version with domain names", async () => {
    const fn = addFunction();
    const a = await officer();
    const b = await officer();
    const bToken = await b.token(`/fora/functions/${fn.id}/edit`);
    const base = { domainId: String(domain("ow").id), code: "ow.eigen", description: "", sortOrder: "50", version: 1 };
    await a.agent.post(`/fora/functions/${fn.id}`).type("form").send({ ...base, domainId: String(domain("sl").id), name: "Naam van A", _csrf: await a.token() });
    const res = await b.agent.post(`/fora/functions/${fn.id}`).type("form").send({ ...base, name: "Naam van B", _csrf: bToken });
    expect(res.status).toBe(409);
    expect(res.text).toContain('value="Naam van B"');
    expect(res.text).toContain("Naam van A");
    expect(res.text).toMatch(/<td>Onderwijs<\/td>\s*<td>Schoolleiding<\/td>/);
    expect(res.text).toContain('name="version" value="2"');
    expect(fnByCode("ow.eigen").name).toBe("Naam van A");
  });

  it("shows on a function's page the applications that serve it, with supplier and lifecycle", async () => {
    const fn = fnByCode("ow.toetsing");
    const app = addApplication("Wintoets", { lifecycle: "uitfaseren" });
    serve(app.id, fn.id);
    const { agent } = await officer();
    const page = await agent.get(`/fora/functions/${fn.id}`);
    expect(page.text).toContain("Applicaties die deze functie ondersteunen (1)");
    expect(page.text).toMatch(new RegExp(`<a href="/applications/${app.id}">Wintoets</a></th>\\s*<td>Leverancier van Wintoets</td>\\s*<td>Wordt uitgefaseerd</td>`));
  });

  it("archives and restores a function, hiding it from the overview while archived", async () => {
    const fn = addFunction({ name: "Oude functie" });
    const { agent, token } = await officer();
    expect((await agent.post(`/fora/functions/${fn.id}/archive`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(303);
    expect((await agent.get(`/fora/functions/${fn.id}`)).text).toContain("Functie Oude functie is gearchiveerd.");
    expect((await agent.get("/fora")).text).not.toContain("Oude functie");
    expect((await agent.get("/fora?archived=1")).text).toContain("Oude functie");
    await agent.post(`/fora/functions/${fn.id}/restore`).type("form").send({ version: 2, _csrf: await token() });
    expect(fnByCode("ow.eigen").archivedAt).toBeNull();
    expect(ctx.db.select().from(auditLog).where(eq(auditLog.entityType, "fora_function")).all().map((e) => e.action)).toEqual(["archive", "restore"]);
  });

  it("deletes an unused function after confirmation and writes the deletion to the log", async () => {
    const fn = addFunction();
    const { agent, token } = await officer();
    expect((await agent.get(`/fora/functions/${fn.id}/delete`)).text).toContain("definitief wilt verwijderen");
    const res = await agent.post(`/fora/functions/${fn.id}/delete`).type("form").send({ version: 1, _csrf: await token() });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/fora");
    expect(ctx.db.select().from(foraFunctions).where(eq(foraFunctions.id, fn.id)).get()).toBeUndefined();
    expect(ctx.db.select().from(auditLog).where(eq(auditLog.action, "delete")).get()).toMatchObject({ entityType: "fora_function", entityId: fn.id });
  });

  it("refuses to delete a function that applications and intake requests still refer to, naming them", async () => {
    const fn = addFunction();
    serve(addApplication("ELO").id, fn.id);
    ctx.db.insert(intakeRequests).values({ schoolId: makeSchool(ctx.db).id, applicationName: "Nieuwe app", goal: "Lesgeven", foraFunctionId: fn.id }).run();
    const { agent, token } = await officer();
    expect((await agent.get(`/fora/functions/${fn.id}/delete`)).text).not.toContain("Ja, definitief verwijderen");
    const refused = await agent.post(`/fora/functions/${fn.id}/delete`).type("form").send({ version: 1, _csrf: await token() });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("Deze functie kan niet worden verwijderd: er verwijzen nog 1 applicatie(s), 1 aanvraag/aanvragen naar.");
    expect(fnByCode("ow.eigen")).toBeDefined();
  });

  it("shows HTML typed into a field as text", async () => {
    const { agent, token } = await officer();
    await agent.post("/fora/functions").type("form").send({ ...valid(), name: "<i>Schuin</i>", description: "<script>x()</script>", _csrf: await token() });
    const fn = ctx.db.select().from(foraFunctions).where(eq(foraFunctions.name, "<i>Schuin</i>")).get()!;
    const page = await agent.get(`/fora/functions/${fn.id}`);
    expect(page.text).toContain("&lt;i&gt;Schuin&lt;/i&gt;");
    expect(page.text).toContain("&lt;script&gt;x()&lt;/script&gt;");
    expect((await agent.get("/fora")).text).not.toContain("<i>Schuin</i>");
  });

  it("lets an auditor read FORA but change nothing, and answers 404 for an unknown id", async () => {
    const fn = addFunction();
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "auditor"));
    const overview = await agent.get("/fora");
    expect(overview.status).toBe(200);
    expect(overview.text).not.toContain("/fora/functions/new");
    const page = await agent.get(`/fora/functions/${fn.id}`);
    expect(page.status).toBe(200);
    expect((await agent.get("/fora/functions/999999")).status).toBe(404);
    expect((await agent.get("/fora/functions/abc")).status).toBe(404);
    expect(page.text).not.toContain(`/fora/functions/${fn.id}/edit`);
    expect((await agent.get("/fora/functions/new")).status).toBe(403);
    expect((await agent.post("/fora/functions").type("form").send({ ...valid(), _csrf: await token() })).status).toBe(403);
    expect((await agent.post(`/fora/functions/${fn.id}/delete`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(403);
    expect(fnByCode("ow.eigen")).toBeDefined();
  });

  it("refuses every FORA page to a school user with 403", async () => {
    const fn = addFunction();
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [makeSchool(ctx.db).id] }));
    for (const path of ["/fora", `/fora/functions/${fn.id}`, "/fora/functions/new", `/fora/functions/${fn.id}/edit`]) {
      expect((await agent.get(path)).status).toBe(403);
    }
    expect((await agent.post(`/fora/functions/${fn.id}/archive`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(403);
    expect((await agent.get("/")).text).not.toContain('href="/fora"');
  });
});
