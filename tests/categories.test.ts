import { and, eq } from "drizzle-orm";
import {
  agreementDataCategories,
  agreements,
  applicationData,
  applications,
  auditLog,
  dataCategories,
  dataSubjects,
  suppliers,
} from "../src/db/schema";
import { buildTestApp, decoded, loginAs, makeSchool, makeUser, type TestContext } from "./helpers/app";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

const officer = async () => loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
const valid = { label: "Gegevens over leerlingvervoer", code: "", description: "Ophaaladres en bijzonderheden", flag: "", minConfidentiality: "midden", sortOrder: "" };
const byCode = (code: string) => ctx.db.select().from(dataCategories).where(eq(dataCategories.code, code)).get()!;
const addCategory = (values: Partial<typeof dataCategories.$inferInsert> = {}) =>
  ctx.db.insert(dataCategories).values({ code: "eigen", label: "Eigen categorie", isCustom: true, sortOrder: 50, ...values }).returning().get();
const subject = (code: string) => ctx.db.select().from(dataSubjects).where(eq(dataSubjects.code, code)).get()!;
const supplier = () => ctx.db.insert(suppliers).values({ name: "Topicus" }).returning().get();

describe("data categories", () => {
  it("lists the sixteen seeded categories in their order with their minimum V and flag", async () => {
    const { agent } = await officer();
    const res = await agent.get("/categories");
    expect(res.status).toBe(200);
    expect(res.text).toContain("1–16 van 16");
    expect(res.text.indexOf("Contactgegevens")).toBeLessThan(res.text.indexOf("Overige gegevens"));
    expect(res.text).toMatch(/BSN \/ persoonsgebonden nummer \(PGN\)<\/a><\/th>\s*<td><code>bsn<\/code><\/td>\s*<td>Hoog<\/td>/);
    expect(res.text).toContain("Nationaal identificatienummer (UAVG art. 46)");
  });

  it("creates a custom category with a code made from its label, placed at the end, and records the creation", async () => {
    const { agent, token } = await officer();
    const res = await agent.post("/categories").type("form").send({ ...valid, label: "Gegevens über Leerlingvervoer", _csrf: await token() });
    expect(res.status).toBe(303);
    const saved = byCode("gegevens_uber_leerlingvervoer");
    expect(saved).toMatchObject({ label: "Gegevens über Leerlingvervoer", isCustom: true, sortOrder: 17, minConfidentiality: "midden", flag: null });
    expect(res.headers.location).toBe(`/categories/${saved.id}`);
    expect((await agent.get(`/categories/${saved.id}`)).text).toContain("Categorie Gegevens über Leerlingvervoer is toegevoegd.");
    const entry = ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "data_category"), eq(auditLog.action, "create"))).get()!;
    expect(entry.entityId).toBe(saved.id);
    expect(entry.after).toMatchObject({ code: "gegevens_uber_leerlingvervoer", isCustom: true });
  });

  it("numbers a generated code that is already taken", async () => {
    const { agent, token } = await officer();
    await agent.post("/categories").type("form").send({ ...valid, label: "Contact", _csrf: await token() });
    expect(byCode("contact_2").label).toBe("Contact");
    expect(byCode("contact").isCustom).toBe(false);
  });

  it("takes a typed code in lower case and refuses one that is taken or has other characters, at the field and with the input kept", async () => {
    const { agent, token } = await officer();
    const taken = await agent.post("/categories").type("form").send({ ...valid, code: "BSN", _csrf: await token() });
    expect(taken.status).toBe(422);
    expect(taken.text).toMatch(/id="code-error"[^>]*>.*Deze code is al in gebruik bij BSN \/ persoonsgebonden nummer \(PGN\)\./s);
    expect(taken.text).toContain('value="Gegevens over leerlingvervoer"');
    const invalid = await agent.post("/categories").type("form").send({ ...valid, code: "mijn code!", flag: "bijzonder", _csrf: await token() });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain("Een code bestaat uit kleine letters, cijfers en _");
    expect(invalid.text).toContain('value="mijn code!"');
    expect(invalid.text).toContain('<option value="bijzonder" selected>');
    const ok = await agent.post("/categories").type("form").send({ ...valid, code: "Vervoer_1", _csrf: await token() });
    expect(ok.status).toBe(303);
    expect(byCode("vervoer_1").label).toBe("Gegevens over leerlingvervoer");
  });

  it("requires a label and a valid minimum V, and refuses a position that is not a whole number", async () => {
    const { agent, token } = await officer();
    const res = await agent.post("/categories").type("form").send({ ...valid, label: "", minConfidentiality: "extreem", sortOrder: "twee", _csrf: await token() });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="label-error"[^>]*>.*Vul dit veld in\./s);
    expect(res.text).toContain('id="minConfidentiality-error"');
    expect(res.text).toContain("Vul een heel getal in, bijvoorbeeld 10.");
    expect(res.text).toContain('value="twee"');
    expect(ctx.db.select().from(dataCategories).all()).toHaveLength(16);
  });

  it("edits a category but keeps its code, and shows the change in its history with Dutch field names", async () => {
    const category = addCategory();
    const { agent, token } = await officer();
    const form = await agent.get(`/categories/${category.id}/edit`);
    expect(form.text).toMatch(/<input id="code" type="text" value="eigen" readonly/);
    expect(form.text).toContain("De code is na het aanmaken niet meer te wijzigen.");
    const res = await agent
      .post(`/categories/${category.id}`)
      .type("form")
      .send({ ...valid, code: "nieuwe_code", label: "Eigen categorie", minConfidentiality: "hoog", flag: "gevoelig", sortOrder: "5", version: 1, _csrf: await token() });
    expect(res.status).toBe(303);
    expect(ctx.db.select().from(dataCategories).where(eq(dataCategories.id, category.id)).get()).toMatchObject({
      code: "eigen",
      minConfidentiality: "hoog",
      flag: "gevoelig",
      sortOrder: 5,
      version: 2,
    });
    const page = await agent.get(`/categories/${category.id}`);
    expect(page.text).toMatch(/Minimale vertrouwelijkheid \(V\)<\/span>: <del>laag<\/del> → <ins>hoog<\/ins>/);
    expect(page.text).toContain("Categorie persoonsgegevens Eigen categorie gewijzigd");
  });

  it("answers a stale edit with 409, keeps the input and shows the newer version", async () => {
    const category = addCategory();
    const a = await officer();
    const b = await officer();
    const bToken = await b.token(`/categories/${category.id}/edit`);
    await a.agent.post(`/categories/${category.id}`).type("form").send({ ...valid, label: "Label van A", version: 1, _csrf: await a.token() });
    const res = await b.agent.post(`/categories/${category.id}`).type("form").send({ ...valid, label: "Label van B", version: 1, _csrf: bToken });
    expect(res.status).toBe(409);
    expect(res.text).toContain('value="Label van B"');
    expect(res.text).toContain("Label van A");
    expect(res.text).toContain('name="version" value="2"');
    expect(byCode("eigen").label).toBe("Label van A");
  });

  it("shows which applications process the category and which agreements cover it", async () => {
    const health = byCode("health");
    const topicus = supplier();
    const app = ctx.db.insert(applications).values({ name: "Zorgdossier", supplierId: topicus.id, lifecycle: "in_gebruik" }).returning().get();
    ctx.db.insert(applicationData).values([
      { applicationId: app.id, dataCategoryId: health.id, dataSubjectId: subject("pupils").id },
      { applicationId: app.id, dataCategoryId: health.id, dataSubjectId: subject("parents").id },
    ]).run();
    const agreement = ctx.db.insert(agreements).values({ supplierId: topicus.id, reference: "VO-2024-7", model: "4.0", status: "ondertekend", endsOn: "2027-07-31" }).returning().get();
    ctx.db.insert(agreementDataCategories).values({ agreementId: agreement.id, dataCategoryId: health.id }).run();
    const { agent } = await officer();
    const page = await agent.get(`/categories/${health.id}`);
    expect(page.text).toContain("Applicaties die deze categorie verwerken (1)");
    expect(page.text).toContain(`<a href="/applications/${app.id}">Zorgdossier</a>`);
    expect(page.text).toContain("Leerlingen, Ouders/verzorgers");
    expect(page.text).toContain("Verwerkersovereenkomsten die deze categorie dekken (1)");
    expect(page.text).toContain(`<a href="/agreements/${agreement.id}">VO-2024-7</a>`);
    expect(page.text).toContain("31-07-2027");
    const list = await agent.get("/categories?q=Medische");
    expect(list.text).toMatch(/Medische gegevens[^]*?<td class="num">1<\/td>/);
  });

  it("archives and restores a category, hiding it from the list while archived", async () => {
    const category = addCategory({ label: "Oude categorie" });
    const { agent, token } = await officer();
    expect((await agent.post(`/categories/${category.id}/archive`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(303);
    expect((await agent.get(`/categories/${category.id}`)).text).toContain("Categorie Oude categorie is gearchiveerd.");
    expect((await agent.get("/categories")).text).not.toContain("Oude categorie");
    expect((await agent.get("/categories?archived=1")).text).toContain("Oude categorie");
    await agent.post(`/categories/${category.id}/restore`).type("form").send({ version: 2, _csrf: await token() });
    expect(byCode("eigen").archivedAt).toBeNull();
    expect(ctx.db.select().from(auditLog).where(eq(auditLog.entityType, "data_category")).all().map((e) => e.action)).toEqual(["archive", "restore"]);
  });

  it("deletes an unused category after confirmation and writes the deletion to the log", async () => {
    const category = addCategory();
    const { agent, token } = await officer();
    expect((await agent.get(`/categories/${category.id}/delete`)).text).toContain("definitief wilt verwijderen");
    const res = await agent.post(`/categories/${category.id}/delete`).type("form").send({ version: 1, _csrf: await token() });
    expect(res.status).toBe(303);
    expect(ctx.db.select().from(dataCategories).where(eq(dataCategories.id, category.id)).get()).toBeUndefined();
    expect(ctx.db.select().from(auditLog).where(eq(auditLog.action, "delete")).get()).toMatchObject({ entityType: "data_category", entityId: category.id });
  });

  it("refuses to delete a category that applications, agreements and retention rules still refer to, naming them", async () => {
    const progress = byCode("progress");
    const topicus = supplier();
    const app = ctx.db.insert(applications).values({ name: "LVS", supplierId: topicus.id }).returning().get();
    ctx.db.insert(applicationData).values({ applicationId: app.id, dataCategoryId: progress.id, dataSubjectId: subject("pupils").id }).run();
    const agreement = ctx.db.insert(agreements).values({ supplierId: topicus.id, reference: "VO-1", model: "4.0" }).returning().get();
    ctx.db.insert(agreementDataCategories).values({ agreementId: agreement.id, dataCategoryId: progress.id }).run();
    const { agent, token } = await officer();
    const confirm = await agent.get(`/categories/${progress.id}/delete`);
    expect(confirm.text).not.toContain("Ja, definitief verwijderen");
    const refused = await agent.post(`/categories/${progress.id}/delete`).type("form").send({ version: 1, _csrf: await token() });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain(
      "Deze categorie kan niet worden verwijderd: er verwijzen nog 1 verwerking(en) bij applicaties, 1 verwerkersovereenkomst(en), 3 bewaartermijn(en) naar.",
    );
    expect(byCode("progress")).toBeDefined();
  });

  it("searches, filters by flag and minimum V, sorts and paginates", async () => {
    for (let i = 1; i <= 40; i++) addCategory({ code: `eigen_${i}`, label: `Eigen ${String(i).padStart(2, "0")}`, sortOrder: 100 + i });
    const { agent } = await officer();
    const first = await agent.get("/categories");
    expect(first.text).toContain("1–50 van 56");
    expect(decoded(first.text)).toContain('href="/categories?sort=sortOrder&dir=asc&page=2" rel="next"');
    const special = await agent.get("/categories?flag=bijzonder");
    expect(special.text).toContain("1–3 van 3");
    expect(special.text).toContain("Godsdienst / levensovertuiging");
    expect((await agent.get("/categories?min=hoog")).text).toContain("1–4 van 4");
    const search = await agent.get("/categories?q=burgerservicenummer");
    expect(search.text).toContain("BSN / persoonsgebonden nummer");
    expect(search.text).toContain("1–1 van 1");
    const byLevel = await agent.get("/categories?sort=minConfidentiality&dir=desc");
    expect(byLevel.text.indexOf("Medische gegevens")).toBeLessThan(byLevel.text.indexOf("Contactgegevens"));
    const byLabel = await agent.get("/categories?sort=label&dir=desc&q=Eigen");
    expect(byLabel.text.indexOf("Eigen 40")).toBeLessThan(byLabel.text.indexOf("Eigen 39"));
    expect(byLabel.text).toContain('aria-sort="descending"');
  });

  it("shows HTML typed into a field as text", async () => {
    const { agent, token } = await officer();
    await agent.post("/categories").type("form").send({ ...valid, label: "<b>Vet</b>", description: "<img src=x onerror=alert(1)>", _csrf: await token() });
    const category = byCode("b_vet_b");
    const page = await agent.get(`/categories/${category.id}`);
    expect(page.text).toContain("&lt;b&gt;Vet&lt;/b&gt;");
    expect(page.text).toContain("&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;");
    expect(page.text).not.toContain("<img src=x");
  });

  it("lets an auditor read categories but change nothing, and answers 404 for an unknown id", async () => {
    const category = addCategory();
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "auditor"));
    const page = await agent.get(`/categories/${category.id}`);
    expect(page.status).toBe(200);
    expect((await agent.get("/categories/999999")).status).toBe(404);
    expect((await agent.get("/categories/abc")).status).toBe(404);
    expect(page.text).not.toContain(`/categories/${category.id}/edit`);
    expect((await agent.get("/categories")).text).not.toContain("/categories/new");
    expect((await agent.get("/categories/new")).status).toBe(403);
    expect((await agent.post("/categories").type("form").send({ ...valid, _csrf: await token() })).status).toBe(403);
    expect((await agent.post(`/categories/${category.id}/delete`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(403);
    expect(ctx.db.select().from(dataCategories).all()).toHaveLength(17);
  });

  it("refuses every category page to a school user with 403", async () => {
    const category = addCategory();
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [makeSchool(ctx.db).id] }));
    for (const path of ["/categories", `/categories/${category.id}`, "/categories/new", `/categories/${category.id}/edit`]) {
      expect((await agent.get(path)).status).toBe(403);
    }
    expect((await agent.post(`/categories/${category.id}/archive`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(403);
    expect((await agent.get("/")).text).not.toContain('href="/categories"');
  });
});
