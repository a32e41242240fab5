import { and, eq } from "drizzle-orm";
import { applications, applicationSchools, auditLog, intakeRequests, schools, suppliers } from "../src/db/schema";
import { buildTestApp, decoded, loginAs, makeSchool, makeUser, type TestContext } from "./helpers/app";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

const officer = async () => loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
const valid = { name: "Basisschool De Linde", brin: "12ab", location: "", sector: "po", city: "Utrecht", contactName: "Juf Ans", contactEmail: "ans@linde.nl" };
const schoolRow = (id: number) => ctx.db.select().from(schools).where(eq(schools.id, id)).get()!;
const addApplication = (schoolId: number, name = "Leerlingvolgsysteem") => {
  const supplier = ctx.db.insert(suppliers).values({ name: `Leverancier van ${name}` }).returning().get();
  const app = ctx.db.insert(applications).values({ name, supplierId: supplier.id }).returning().get();
  ctx.db.insert(applicationSchools).values({ applicationId: app.id, schoolId }).run();
  return app;
};

describe("schools", () => {
  it("creates a school with the BRIN upper-cased and an empty vestiging stored as empty text, and records the creation", async () => {
    const { agent, token } = await officer();
    const res = await agent.post("/schools").type("form").send({ ...valid, _csrf: await token() });
    expect(res.status).toBe(303);
    const saved = ctx.db.select().from(schools).get()!;
    expect(saved).toMatchObject({ name: "Basisschool De Linde", brin: "12AB", location: "", sector: "po", city: "Utrecht", contactEmail: "ans@linde.nl" });
    expect(res.headers.location).toBe(`/schools/${saved.id}`);
    const page = await agent.get(`/schools/${saved.id}`);
    expect(page.text).toContain("School Basisschool De Linde is toegevoegd.");
    expect(page.text).toContain("School Basisschool De Linde aangemaakt");
    const entry = ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "school"), eq(auditLog.action, "create"))).get()!;
    expect(entry.entityId).toBe(saved.id);
    expect(entry.after).toMatchObject({ brin: "12AB", location: "" });
  });

  it("re-renders with 422, the Dutch BRIN message and every value kept when BRIN, vestiging and e-mail are invalid", async () => {
    const { agent, token } = await officer();
    const res = await agent
      .post("/schools")
      .type("form")
      .send({ ...valid, brin: "1AB2", location: "1", contactEmail: "geen-adres", _csrf: await token() });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Een BRIN-code bestaat uit 2 cijfers en 2 letters, bijvoorbeeld 12AB.");
    expect(res.text).toMatch(/id="location-error"[^>]*>.*Een vestigingsnummer bestaat uit 2 cijfers/s);
    expect(res.text).toContain('id="contactEmail-error"');
    expect(res.text).toContain('value="1AB2"');
    expect(res.text).toContain('value="Basisschool De Linde"');
    expect(res.text).toContain('<option value="po" selected>');
    expect(ctx.db.select().from(schools).all()).toHaveLength(0);
  });

  it("requires a name and a sector", async () => {
    const { agent, token } = await officer();
    const res = await agent.post("/schools").type("form").send({ ...valid, name: " ", sector: "", _csrf: await token() });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="name-error"[^>]*>.*Vul dit veld in\./s);
    expect(res.text).toContain('id="sector-error"');
  });

  it("refuses a second school with the same BRIN and vestiging at the BRIN field, but allows another vestiging", async () => {
    makeSchool(ctx.db, { name: "De Linde", brin: "12AB", location: "01" });
    const { agent, token } = await officer();
    const duplicate = await agent.post("/schools").type("form").send({ ...valid, location: "01", _csrf: await token() });
    expect(duplicate.status).toBe(422);
    expect(decoded(duplicate.text)).toMatch(/id="brin-error"[^>]*>.*BRIN 12AB01 hoort al bij De Linde\./s);
    const other = await agent.post("/schools").type("form").send({ ...valid, location: "02", _csrf: await token() });
    expect(other.status).toBe(303);
    expect(ctx.db.select().from(schools).all().map((s) => s.location).sort()).toEqual(["01", "02"]);
  });

  it("edits a school and shows the change in its history", async () => {
    const school = makeSchool(ctx.db, { name: "De Linde", brin: "12AB" });
    const { agent, token } = await officer();
    const res = await agent.post(`/schools/${school.id}`).type("form").send({ ...valid, name: "De Linde", city: "Zeist", location: "03", version: 1, _csrf: await token() });
    expect(res.status).toBe(303);
    expect(schoolRow(school.id)).toMatchObject({ city: "Zeist", location: "03", version: 2 });
    const page = await agent.get(`/schools/${school.id}`);
    expect(page.text).toMatch(/Plaats<\/span>: <del>.*<\/del> → <ins>Zeist<\/ins>/);
    expect(page.text).toMatch(/Vestiging<\/span>: <del>\(leeg\)<\/del> → <ins>03<\/ins>/);
  });

  it("answers a stale edit with 409, keeps the input and shows the newer version", async () => {
    const school = makeSchool(ctx.db, { name: "De Linde", brin: "12AB" });
    const a = await officer();
    const b = await officer();
    const bToken = await b.token(`/schools/${school.id}/edit`);
    await a.agent.post(`/schools/${school.id}`).type("form").send({ ...valid, name: "Naam van A", version: 1, _csrf: await a.token() });
    const res = await b.agent.post(`/schools/${school.id}`).type("form").send({ ...valid, name: "Naam van B", version: 1, _csrf: bToken });
    expect(res.status).toBe(409);
    expect(res.text).toContain('value="Naam van B"');
    expect(res.text).toContain("Naam van A");
    expect(res.text).toContain('name="version" value="2"');
    expect(schoolRow(school.id).name).toBe("Naam van A");
  });

  it("archives and restores a school, hiding it from the list while archived", async () => {
    const school = makeSchool(ctx.db, { name: "Oude School" });
    const { agent, token } = await officer();
    expect((await agent.post(`/schools/${school.id}/archive`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(303);
    expect((await agent.get(`/schools/${school.id}`)).text).toContain("School Oude School is gearchiveerd.");
    expect((await agent.get("/schools")).text).not.toContain("Oude School");
    expect((await agent.get("/schools?archived=1")).text).toContain("Oude School");
    await agent.post(`/schools/${school.id}/restore`).type("form").send({ version: 2, _csrf: await token() });
    expect(schoolRow(school.id).archivedAt).toBeNull();
    expect(ctx.db.select().from(auditLog).where(eq(auditLog.entityType, "school")).all().map((e) => e.action)).toEqual(["archive", "restore"]);
  });

  it("refuses to archive with a stale version and leaves the school as it was", async () => {
    const school = makeSchool(ctx.db);
    const { agent, token } = await officer();
    const res = await agent.post(`/schools/${school.id}/archive`).type("form").send({ version: 7, _csrf: await token() });
    expect(res.status).toBe(303);
    expect((await agent.get(`/schools/${school.id}`)).text).toContain("Iemand anders heeft deze gegevens gewijzigd");
    expect(schoolRow(school.id).archivedAt).toBeNull();
  });

  it("deletes an unused school after confirmation and writes the deletion to the log", async () => {
    const school = makeSchool(ctx.db, { name: "Ongebruikt" });
    const { agent, token } = await officer();
    expect((await agent.get(`/schools/${school.id}/delete`)).text).toContain("definitief wilt verwijderen");
    const res = await agent.post(`/schools/${school.id}/delete`).type("form").send({ version: 1, _csrf: await token() });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/schools");
    expect(ctx.db.select().from(schools).all()).toHaveLength(0);
    const entry = ctx.db.select().from(auditLog).where(eq(auditLog.action, "delete")).get()!;
    expect(entry).toMatchObject({ entityType: "school", entityId: school.id, summary: "School Ongebruikt verwijderd" });
  });

  it("answers a delete with a stale version with 409 and keeps the school", async () => {
    const school = makeSchool(ctx.db, { name: "Bijna weg" });
    const { agent, token } = await officer();
    const confirmToken = await token(`/schools/${school.id}/delete`);
    ctx.db.update(schools).set({ name: "Intussen hernoemd", version: 2 }).where(eq(schools.id, school.id)).run();
    const res = await agent.post(`/schools/${school.id}/delete`).type("form").send({ version: 1, _csrf: confirmToken });
    expect(res.status).toBe(409);
    expect(res.text).toContain("Intussen hernoemd");
    expect(res.text).toContain('name="version" value="2"');
    expect(schoolRow(school.id)).toBeDefined();
  });

  it("lets an admin change a school as well", async () => {
    const school = makeSchool(ctx.db, { name: "De Linde" });
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "admin"));
    const res = await agent.post(`/schools/${school.id}`).type("form").send({ ...valid, name: "De Linde", sector: "so", version: 1, _csrf: await token() });
    expect(res.status).toBe(303);
    expect(schoolRow(school.id).sector).toBe("so");
  });

  it("refuses to delete a school that applications, users and intake requests still refer to, naming them", async () => {
    const school = makeSchool(ctx.db, { name: "In gebruik" });
    addApplication(school.id);
    await makeUser(ctx.db, "school", { schoolIds: [school.id] });
    ctx.db.insert(intakeRequests).values({ schoolId: school.id, applicationName: "Nieuwe app", goal: "Rekenen" }).run();
    const { agent, token } = await officer();
    const confirm = await agent.get(`/schools/${school.id}/delete`);
    expect(confirm.text).toContain("er verwijzen nog 1 applicatie(s), 1 gebruiker(s), 1 aanvraag/aanvragen naar");
    expect(confirm.text).not.toContain("Ja, definitief verwijderen");
    const refused = await agent.post(`/schools/${school.id}/delete`).type("form").send({ version: 1, _csrf: await token() });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("Deze school kan niet worden verwijderd: er verwijzen nog 1 applicatie(s)");
    expect(ctx.db.select().from(schools).all()).toHaveLength(1);
    expect(ctx.db.select().from(auditLog).where(eq(auditLog.action, "delete")).all()).toHaveLength(0);
  });

  it("searches on name, BRIN and city, filters by sector, sorts and paginates", async () => {
    for (let i = 1; i <= 55; i++) {
      makeSchool(ctx.db, { name: `School ${String(i).padStart(2, "0")}`, brin: `${String(10 + i)}XY`, sector: i % 2 ? "po" : "vo", city: i === 3 ? "Amersfoort" : "Utrecht" });
    }
    const { agent } = await officer();
    const first = await agent.get("/schools");
    expect(first.text).toContain("1–50 van 55");
    expect(decoded(first.text)).toContain('href="/schools?sort=name&dir=asc&page=2" rel="next"');
    const byName = await agent.get("/schools?q=School%2007");
    expect(byName.text).toContain("School 07");
    expect(byName.text).not.toContain("School 08");
    const byBrin = await agent.get("/schools?q=15xy");
    expect(byBrin.text).toContain("School 05");
    expect(byBrin.text).toContain("1–1 van 1");
    const byCity = await agent.get("/schools?q=amersfoort");
    expect(byCity.text).toContain("School 03");
    expect(byCity.text).toContain("1–1 van 1");
    expect((await agent.get("/schools?sector=vo")).text).toContain("1–27 van 27");
    const desc = await agent.get("/schools?sort=name&dir=desc");
    expect(desc.text.indexOf("School 55")).toBeLessThan(desc.text.indexOf("School 54"));
    expect(desc.text).toContain('aria-sort="descending"');
  });

  it("takes a search term with % and _ literally", async () => {
    makeSchool(ctx.db, { name: "School 100% digitaal" });
    makeSchool(ctx.db, { name: "School 1000" });
    const { agent } = await officer();
    const res = await agent.get("/schools?q=100%25");
    expect(res.text).toContain("School 100% digitaal");
    expect(res.text).not.toContain("School 1000");
  });

  it("counts in the list the applications each school uses, leaving out archived applications", async () => {
    const busy = makeSchool(ctx.db, { name: "Drukke School" });
    const quiet = makeSchool(ctx.db, { name: "Stille School" });
    addApplication(busy.id, "Parnassys");
    addApplication(busy.id, "Snappet");
    const old = addApplication(quiet.id, "Oude app");
    ctx.db.update(applications).set({ archivedAt: new Date() }).where(eq(applications.id, old.id)).run();
    const { agent } = await officer();
    const res = await agent.get("/schools?sort=applications&dir=desc");
    expect(res.text).toMatch(/Drukke School<\/a><\/th>[^]*?<td class="num">2<\/td>/);
    expect(res.text).toMatch(/Stille School<\/a><\/th>[^]*?<td class="num">0<\/td>/);
    expect(res.text.indexOf("Drukke School")).toBeLessThan(res.text.indexOf("Stille School"));
  });

  it("shows on the school's page the applications it uses", async () => {
    const school = makeSchool(ctx.db, { name: "De Linde" });
    addApplication(school.id, "Parnassys");
    const { agent } = await officer();
    const page = await agent.get(`/schools/${school.id}`);
    expect(page.text).toContain("Parnassys");
    expect(page.text).toContain("Leverancier van Parnassys");
  });

  it("shows HTML typed into a field as text", async () => {
    const { agent, token } = await officer();
    await agent.post("/schools").type("form").send({ ...valid, name: "<script>alert(1)</script>", _csrf: await token() });
    const school = ctx.db.select().from(schools).get()!;
    const page = await agent.get(`/schools/${school.id}`);
    expect(page.text).not.toContain("<script>alert(1)</script>");
    expect(page.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("lets an auditor read every school but change nothing", async () => {
    const school = makeSchool(ctx.db, { name: "De Linde" });
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "auditor"));
    const page = await agent.get(`/schools/${school.id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(`/schools/${school.id}/edit`);
    expect(page.text).toContain("Wijzigingshistorie");
    expect((await agent.get("/schools/new")).status).toBe(403);
    expect((await agent.post(`/schools/${school.id}`).type("form").send({ ...valid, version: 1, _csrf: await token() })).status).toBe(403);
    expect((await agent.post(`/schools/${school.id}/delete`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(403);
    expect(schoolRow(school.id).name).toBe("De Linde");
  });

  it("shows a school user only its own schools in the list, also when searching", async () => {
    const own = makeSchool(ctx.db, { name: "De Eigen School" });
    makeSchool(ctx.db, { name: "De Andere School" });
    const { agent } = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [own.id] }));
    for (const path of ["/schools", "/schools?q=School", "/schools?archived=1&q=Andere"]) {
      const res = await agent.get(path);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain("De Andere School");
    }
    expect((await agent.get("/schools")).text).toContain("De Eigen School");
  });

  it("gives a school user 404 for another school's page, 403 for edit form, archive and delete, and read-only access to its own", async () => {
    const own = makeSchool(ctx.db, { name: "De Eigen School" });
    const other = makeSchool(ctx.db, { name: "De Andere School" });
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [own.id] }));
    const mine = await agent.get(`/schools/${own.id}`);
    expect(mine.status).toBe(200);
    expect(mine.text).not.toContain(`/schools/${own.id}/edit`);
    expect(mine.text).not.toContain("Wijzigingshistorie");
    const theirs = await agent.get(`/schools/${other.id}`);
    expect(theirs.status).toBe(404);
    expect(theirs.text).not.toContain("De Andere School");
    for (const path of [`/schools/${own.id}/edit`, `/schools/${other.id}/edit`, `/schools/${other.id}/delete`, "/schools/new"]) {
      expect((await agent.get(path)).status).toBe(403);
    }
    expect((await agent.post(`/schools/${own.id}`).type("form").send({ ...valid, version: 1, _csrf: await token() })).status).toBe(403);
    expect((await agent.post(`/schools/${other.id}/archive`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(403);
    expect(schoolRow(other.id).archivedAt).toBeNull();
  });
});
