import { and, eq } from "drizzle-orm";
import { applications, auditLog, suppliers } from "../src/db/schema";
import { buildTestApp, decoded, loginAs, makeSchool, makeUser, type TestContext } from "./helpers/app";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

const officer = async () => loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
const valid = { name: "Topicus Onderwijs B.V.", kvk: "12345678", website: "https://topicus.nl", covenantStatus: "deelnemer", certIso27001: "on" };
const addSupplier = (values: Partial<typeof suppliers.$inferInsert> = {}) =>
  ctx.db.insert(suppliers).values({ name: "Iddink", ...values }).returning().get();

describe("suppliers", () => {
  it("creates a supplier, redirects to its page and records the creation", async () => {
    const { agent, token } = await officer();
    const res = await agent.post("/suppliers").type("form").send({ ...valid, _csrf: await token() });
    expect(res.status).toBe(303);
    const saved = ctx.db.select().from(suppliers).get()!;
    expect(saved).toMatchObject({ name: "Topicus Onderwijs B.V.", kvk: "12345678", covenantStatus: "deelnemer", certIso27001: true, certRosa: false });
    expect(res.headers.location).toBe(`/suppliers/${saved.id}`);
    const page = await agent.get(`/suppliers/${saved.id}`);
    expect(page.text).toContain("Leverancier Topicus Onderwijs B.V. is toegevoegd.");
    const entry = ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "supplier"), eq(auditLog.action, "create"))).get()!;
    expect(entry.after).toMatchObject({ name: "Topicus Onderwijs B.V." });
    expect(entry.actor).toContain("privacy_officer");
  });

  it("re-renders with 422 and keeps every value when the KvK number, website and covenant status are invalid", async () => {
    const { agent, token } = await officer();
    const res = await agent
      .post("/suppliers")
      .type("form")
      .send({ name: "Leverancier X", kvk: "1234567", website: "javascript:alert(1)", covenantStatus: "misschien", certRosa: "on", notes: "eerste notitie", _csrf: await token() });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Een KvK-nummer bestaat uit 8 cijfers.");
    expect(res.text).toContain("Vul een volledig webadres in");
    expect(res.text).toContain('id="covenantStatus-error"');
    expect(res.text).toContain('value="Leverancier X"');
    expect(res.text).toContain("eerste notitie");
    expect(res.text).toMatch(/id="certRosa"[^>]*checked/);
    expect(res.text).toContain('<option value="deelnemer">Deelnemer convenant</option>');
    expect(ctx.db.select().from(suppliers).all()).toHaveLength(0);
  });

  it("refuses a second supplier with the same name or KvK number at the field", async () => {
    addSupplier({ name: "Topicus Onderwijs B.V.", kvk: "12345678" });
    const { agent, token } = await officer();
    const res = await agent.post("/suppliers").type("form").send({ ...valid, name: "topicus onderwijs b.v.", _csrf: await token() });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Er bestaat al een leverancier met deze naam");
    expect(res.text).toContain("Dit KvK-nummer hoort al bij Topicus Onderwijs B.V.");
  });

  it("edits a supplier and shows the change in its history", async () => {
    const supplier = addSupplier();
    const { agent, token } = await officer();
    const res = await agent.post(`/suppliers/${supplier.id}`).type("form").send({ ...valid, name: "Iddink Learning", version: 1, _csrf: await token() });
    expect(res.status).toBe(303);
    const page = await agent.get(`/suppliers/${supplier.id}`);
    expect(page.text).toContain("Iddink Learning");
    expect(page.text).toMatch(/Naam<\/span>: <del>Iddink<\/del> → <ins>Iddink Learning<\/ins>/);
  });

  it("answers a stale edit with 409, keeps the input and shows the newer version", async () => {
    const supplier = addSupplier();
    const a = await officer();
    const b = await officer();
    const bToken = await b.token(`/suppliers/${supplier.id}/edit`);
    await a.agent.post(`/suppliers/${supplier.id}`).type("form").send({ ...valid, name: "Naam van A", version: 1, _csrf: await a.token() });
    const res = await b.agent.post(`/suppliers/${supplier.id}`).type("form").send({ ...valid, name: "Naam van B", version: 1, _csrf: bToken });
    expect(res.status).toBe(409);
    expect(res.text).toContain('value="Naam van B"');
    expect(res.text).toContain("Naam van A");
    expect(ctx.db.select().from(suppliers).get()!.name).toBe("Naam van A");
  });

  it("archives and restores a supplier, hiding it from the list while archived", async () => {
    const supplier = addSupplier({ name: "Oude Leverancier" });
    const { agent, token } = await officer();
    expect((await agent.post(`/suppliers/${supplier.id}/archive`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(303);
    expect((await agent.get(`/suppliers/${supplier.id}`)).text).toContain("Leverancier Oude Leverancier is gearchiveerd.");
    expect((await agent.get("/suppliers")).text).not.toContain("Oude Leverancier");
    expect((await agent.get("/suppliers?archived=1")).text).toContain("Oude Leverancier");
    await agent.post(`/suppliers/${supplier.id}/restore`).type("form").send({ version: 2, _csrf: await token() });
    expect(ctx.db.select().from(suppliers).get()!.archivedAt).toBeNull();
    expect(ctx.db.select().from(auditLog).where(eq(auditLog.entityType, "supplier")).all().map((e) => e.action)).toEqual(["archive", "restore"]);
  });

  it("deletes an unused supplier after confirmation and refuses one that applications still refer to", async () => {
    const unused = addSupplier({ name: "Ongebruikt" });
    const used = addSupplier({ name: "In gebruik" });
    ctx.db.insert(applications).values({ name: "App", supplierId: used.id }).run();
    const { agent, token } = await officer();
    expect((await agent.get(`/suppliers/${unused.id}/delete`)).text).toContain("definitief wilt verwijderen");
    expect((await agent.post(`/suppliers/${unused.id}/delete`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(303);
    const refused = await agent.post(`/suppliers/${used.id}/delete`).type("form").send({ version: 1, _csrf: await token() });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("er verwijzen nog 1 applicatie(s) naar");
    expect(ctx.db.select().from(suppliers).all().map((s) => s.name)).toEqual(["In gebruik"]);
  });

  it("searches, filters by covenant status, sorts and paginates", async () => {
    for (let i = 1; i <= 55; i++) addSupplier({ name: `Leverancier ${String(i).padStart(2, "0")}`, covenantStatus: i % 2 ? "deelnemer" : "geen" });
    const { agent } = await officer();
    const first = await agent.get("/suppliers");
    expect(first.text).toContain("1–50 van 55");
    expect(decoded(first.text)).toContain('href="/suppliers?sort=name&dir=asc&page=2" rel="next"');
    const search = await agent.get("/suppliers?q=Leverancier%2007");
    expect(search.text).toContain("Leverancier 07");
    expect(search.text).not.toContain("Leverancier 08");
    const filtered = await agent.get("/suppliers?covenant=geen");
    expect(filtered.text).toContain("1–27 van 27");
    const desc = await agent.get("/suppliers?sort=name&dir=desc");
    expect(desc.text.indexOf("Leverancier 55")).toBeLessThan(desc.text.indexOf("Leverancier 54"));
    expect(desc.text).toContain('aria-sort="descending"');
  });

  it("counts per supplier its own applications (not archived ones) and agreements in the list", async () => {
    const none = addSupplier({ name: "Zonder" });
    const two = addSupplier({ name: "Met twee" });
    ctx.db.insert(applications).values([{ name: "A", supplierId: two.id }, { name: "B", supplierId: two.id }, { name: "C", supplierId: two.id, archivedAt: new Date() }]).run();
    const { agent } = await officer();
    const html = decoded((await agent.get("/suppliers")).text);
    const row = (name: string) => html.slice(html.indexOf(`>${name}</a>`), html.indexOf("</tr>", html.indexOf(`>${name}</a>`)));
    expect(row("Zonder").match(/<td class="num">(\d+)<\/td>/g)).toEqual(['<td class="num">0</td>', '<td class="num">0</td>']);
    expect(row("Met twee").match(/<td class="num">(\d+)<\/td>/g)).toEqual(['<td class="num">2</td>', '<td class="num">0</td>']);
    void none;
  });

  it("lets an auditor read but not change suppliers, and keeps school users out", async () => {
    const supplier = addSupplier();
    const auditor = await loginAs(ctx.app, await makeUser(ctx.db, "auditor"));
    expect((await auditor.agent.get(`/suppliers/${supplier.id}`)).status).toBe(200);
    expect((await auditor.agent.get(`/suppliers/${supplier.id}`)).text).not.toContain(`/suppliers/${supplier.id}/edit`);
    expect((await auditor.agent.post(`/suppliers/${supplier.id}`).type("form").send({ ...valid, version: 1, _csrf: await auditor.token() })).status).toBe(403);
    const school = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [makeSchool(ctx.db).id] }));
    expect((await school.agent.get("/suppliers")).status).toBe(403);
    expect((await school.agent.get(`/suppliers/${supplier.id}`)).status).toBe(403);
  });
});

it("shows archived suppliers when the filter box is ticked (the form sends 'on')", async () => {
  const ctx2 = buildTestApp();
  try {
    ctx2.db.insert(suppliers).values({ name: "Oud Archief", archivedAt: new Date() }).run();
    const { agent } = await loginAs(ctx2.app, await makeUser(ctx2.db, "auditor"));
    expect((await agent.get("/suppliers?archived=on")).text).toContain("Oud Archief");
    expect((await agent.get("/suppliers")).text).not.toContain("Oud Archief");
  } finally {
    ctx2.close();
  }
});
