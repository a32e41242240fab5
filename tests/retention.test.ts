// Retention terms through HTTP: the seeded sector terms, create, edit, archive and delete, validation, the
// terms and the processor's deletion term on an application's page, and who may see what.
import { and, eq } from "drizzle-orm";
import { auditLog, retentionRules } from "../src/db/schema";
import { RETENTION_RULES } from "../src/db/seed/reference";
import { addDays, todayIso } from "../src/lib/dates";
import { buildTestApp, decoded, loginAs, makeSchool, makeUser, type TestContext } from "./helpers/app";
import { categoryId, makeAgreement, makeApplication, processes } from "./helpers/factories";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

const today = todayIso();
const officer = async () => loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
const errorAt = (html: string, field: string) => new RegExp(`id="${field}-error"[^>]*>(?:<span[^>]*>[^<]*</span>)?([^<]*)<`).exec(decoded(html))?.[1];
const valid = () => ({
  dataCategoryId: String(categoryId(ctx.db, "images")),
  recordType: "Foto's en video's van activiteiten",
  termText: "1 jaar",
  termMonths: "12",
  trigger: "Na het schooljaar van de opname",
  action: "vernietigen",
  source: "Privacybeleid van het bestuur",
});
const ruleNamed = (recordType: string) => ctx.db.select().from(retentionRules).where(eq(retentionRules.recordType, recordType)).get()!;

/** The section on the application page, from its heading to the end of the section. */
function retentionSection(html: string): string {
  const text = decoded(html);
  const start = text.indexOf('id="bewaartermijnen"');
  return text.slice(start, text.indexOf("</section>", start));
}

describe("retention rules", () => {
  it("lists the seeded sector terms with their category, term, trigger and action", async () => {
    const { agent } = await officer();
    const html = decoded((await agent.get("/retention")).text);
    expect(html).toContain(`1–${RETENTION_RULES.length} van ${RETENTION_RULES.length}`);
    expect(html).toContain("Leerlingdossier");
    expect(html).toMatch(/Maximaal 2 jaar <span class="muted">\(24 maanden\)<\/span>/);
    expect(html).toContain("Na uitschrijving van de leerling");
    expect(html).toContain("<td>Archiveren</td>");
  });

  it("creates a rule, redirects to it and records the creation", async () => {
    const { agent, token } = await officer();
    const res = await agent.post("/retention").type("form").send({ ...valid(), _csrf: await token() });
    expect(res.status).toBe(303);
    const saved = ruleNamed("Foto's en video's van activiteiten");
    expect(saved).toMatchObject({ dataCategoryId: categoryId(ctx.db, "images"), termText: "1 jaar", termMonths: 12, action: "vernietigen", version: 1 });
    expect(res.headers.location).toBe(`/retention/${saved.id}`);
    expect(decoded((await agent.get(`/retention/${saved.id}`)).text)).toContain("Bewaartermijn Foto's en video's van activiteiten is toegevoegd.");
    const entry = ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "retention_rule"), eq(auditLog.entityId, saved.id))).get()!;
    expect(entry).toMatchObject({ action: "create" });
  });

  it("creates a rule for a record type without a category", async () => {
    const { agent, token } = await officer();
    await agent.post("/retention").type("form").send({ ...valid(), dataCategoryId: "", recordType: "Klachtdossier", termMonths: "", _csrf: await token() });
    expect(ruleNamed("Klachtdossier")).toMatchObject({ dataCategoryId: null, termMonths: null });
  });

  it("re-renders with 422 and keeps the input when required fields are empty, the months negative and the action unknown", async () => {
    const { agent, token } = await officer();
    const res = await agent
      .post("/retention")
      .type("form")
      .send({ ...valid(), recordType: "", trigger: "", termMonths: "-6", action: "verbranden", _csrf: await token() });
    expect(res.status).toBe(422);
    expect(errorAt(res.text, "recordType")).toBe("Vul dit veld in.");
    expect(errorAt(res.text, "trigger")).toBe("Vul dit veld in.");
    expect(errorAt(res.text, "termMonths")).toBe("Vul een heel getal in van 0 of meer.");
    expect(errorAt(res.text, "action")).toBe("Kies een van de mogelijkheden.");
    expect(res.text).toContain('value="1 jaar"');
    expect(res.text).toContain('value="-6"');
    expect(ctx.db.select().from(retentionRules).all()).toHaveLength(RETENTION_RULES.length);
  });

  it("refuses a category that does not exist", async () => {
    const { agent, token } = await officer();
    const res = await agent.post("/retention").type("form").send({ ...valid(), dataCategoryId: "9999", _csrf: await token() });
    expect(res.status).toBe(422);
    expect(errorAt(res.text, "dataCategoryId")).toBe("Kies een bestaande categorie uit de lijst.");
  });

  it("edits a rule and shows the change in its history", async () => {
    const rule = ruleNamed("Leerlingdossier");
    const { agent, token } = await officer();
    const form = await agent.get(`/retention/${rule.id}/edit`);
    expect(form.text).toContain('value="Maximaal 2 jaar"');
    const res = await agent
      .post(`/retention/${rule.id}`)
      .type("form")
      .send({ dataCategoryId: String(rule.dataCategoryId), recordType: "Leerlingdossier", termText: "Maximaal 3 jaar", termMonths: "36", trigger: rule.trigger, action: "vernietigen", source: rule.source, version: 1, _csrf: await token() });
    expect(res.status).toBe(303);
    expect(ruleNamed("Leerlingdossier")).toMatchObject({ termText: "Maximaal 3 jaar", termMonths: 36, version: 2 });
    expect(decoded((await agent.get(`/retention/${rule.id}`)).text)).toMatch(/Bewaartermijn<\/span>: <del>Maximaal 2 jaar<\/del> → <ins>Maximaal 3 jaar<\/ins>/);
  });

  it("answers a stale edit with 409, keeps the input and shows the newer version", async () => {
    const rule = ruleNamed("Personeelsdossier");
    const base = { dataCategoryId: String(rule.dataCategoryId), recordType: "Personeelsdossier", termMonths: "", trigger: rule.trigger, action: "vernietigen", version: 1 };
    const a = await officer();
    const b = await officer();
    const bToken = await b.token();
    expect((await a.agent.post(`/retention/${rule.id}`).type("form").send({ ...base, termText: "Termijn van A", _csrf: await a.token() })).status).toBe(303);
    const res = await b.agent.post(`/retention/${rule.id}`).type("form").send({ ...base, termText: "Termijn van B", _csrf: bToken });
    expect(res.status).toBe(409);
    expect(res.text).toContain('value="Termijn van B"');
    expect(res.text).toContain("Termijn van A");
    expect(ruleNamed("Personeelsdossier").termText).toBe("Termijn van A");
  });

  it("archives and restores a rule, hiding it from the list while archived", async () => {
    const rule = ruleNamed("Centraal examenwerk");
    const { agent, token } = await officer();
    expect((await agent.post(`/retention/${rule.id}/archive`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(303);
    expect(decoded((await agent.get(`/retention/${rule.id}`)).text)).toContain("Bewaartermijn Centraal examenwerk is gearchiveerd.");
    expect(decoded((await agent.get("/retention")).text)).not.toContain("Centraal examenwerk");
    expect(decoded((await agent.get("/retention?archived=1")).text)).toContain("Centraal examenwerk");
    await agent.post(`/retention/${rule.id}/restore`).type("form").send({ version: 2, _csrf: await token() });
    expect(ruleNamed("Centraal examenwerk").archivedAt).toBeNull();
    expect(ctx.db.select().from(auditLog).where(eq(auditLog.entityType, "retention_rule")).all().map((e) => e.action)).toEqual(["archive", "restore"]);
  });

  it("deletes a rule after confirmation, and refuses a stale confirmation", async () => {
    const rule = ruleNamed("Centraal examenwerk");
    const { agent, token } = await officer();
    expect((await agent.get(`/retention/${rule.id}/delete`)).text).toContain("definitief wilt verwijderen");
    expect((await agent.post(`/retention/${rule.id}/delete`).type("form").send({ version: 7, _csrf: await token() })).status).toBe(409);
    expect((await agent.post(`/retention/${rule.id}/delete`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(303);
    expect(ctx.db.select().from(retentionRules).where(eq(retentionRules.id, rule.id)).get()).toBeUndefined();
    expect(ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "retention_rule"), eq(auditLog.action, "delete"))).get()!.before).toMatchObject({ recordType: "Centraal examenwerk" });
  });

  it("filters the list on category and action, and searches", async () => {
    const { agent } = await officer();
    const staff = decoded((await agent.get(`/retention?category=${categoryId(ctx.db, "staff")}`)).text);
    expect(staff).toContain("Personeelsdossier");
    expect(staff).not.toContain("Leerlingdossier");
    const archive = decoded((await agent.get("/retention?action=archiveren")).text);
    expect(archive).toContain("Salaris- en financiële administratie");
    expect(archive).not.toContain("Personeelsdossier");
    expect(decoded((await agent.get("/retention?q=loonbelasting")).text)).toContain("Loonbelastingverklaring");
  });
});

describe("retention on the application page", () => {
  it("shows the rules for the categories the application processes, not the others, and not archived ones", async () => {
    const app = makeApplication(ctx.db);
    processes(ctx.db, app.id, ["progress", "contact"]);
    ctx.db.update(retentionRules).set({ archivedAt: new Date() }).where(eq(retentionRules.recordType, "Centraal examenwerk")).run();
    const { agent } = await officer();
    const section = retentionSection((await agent.get(`/applications/${app.id}`)).text);
    expect(section).toContain("<th scope=\"row\">Leerlingdossier</th>");
    expect(section).toContain("<th scope=\"row\">Verzuim- en inschrijvingsgegevens</th>");
    expect(section).not.toContain("Centraal examenwerk");
    expect(section).not.toContain("Personeelsdossier");
    expect(section).not.toContain("Verwijzing naar speciaal onderwijs");
  });

  it("says so when no rule applies to the categories it processes", async () => {
    const app = makeApplication(ctx.db);
    processes(ctx.db, app.id, ["contact"]);
    const { agent } = await officer();
    expect(retentionSection((await agent.get(`/applications/${app.id}`)).text)).toContain("Er zijn geen bewaartermijnen vastgelegd voor de categorieën die deze applicatie verwerkt.");
  });

  it("shows the deletion term of each current agreement, not of an ended one", async () => {
    const app = makeApplication(ctx.db);
    processes(ctx.db, app.id, ["progress"]);
    makeAgreement(ctx.db, { reference: "VO-HUIDIG", supplierId: app.supplierId, applicationIds: [app.id], categories: ["progress"], deletionTermDays: 60 });
    makeAgreement(ctx.db, { reference: "VO-ZONDER", supplierId: app.supplierId, applicationIds: [app.id], deletionTermDays: null });
    makeAgreement(ctx.db, { reference: "VO-OUD", supplierId: app.supplierId, applicationIds: [app.id], startsOn: "2020-01-01", endsOn: addDays(today, -1), deletionTermDays: 30 });
    const { agent } = await officer();
    const section = retentionSection((await agent.get(`/applications/${app.id}`)).text);
    expect(section).toContain("VO-HUIDIG: binnen 60 dagen na het einde van de overeenkomst.");
    expect(section).toContain("VO-ZONDER: de verwerkersovereenkomst noemt geen termijn.");
    expect(section).not.toContain("VO-OUD");
  });

  it("says there is no agreed deletion term without a current agreement", async () => {
    const app = makeApplication(ctx.db);
    const { agent } = await officer();
    expect(retentionSection((await agent.get(`/applications/${app.id}`)).text)).toContain("Er is geen geldende verwerkersovereenkomst, dus ook geen afgesproken verwijdertermijn.");
  });

  it("shows a school user the terms of its own school's application, without the link to the board's register", async () => {
    const school = makeSchool(ctx.db);
    const app = makeApplication(ctx.db, { schoolIds: [school.id] });
    processes(ctx.db, app.id, ["progress"]);
    const { agent } = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [school.id] }));
    const section = retentionSection((await agent.get(`/applications/${app.id}`)).text);
    expect(section).toContain("Leerlingdossier");
    expect(section).not.toContain('href="/retention"');
  });
});

describe("access to retention rules", () => {
  it("lets an auditor read the rules but not change them", async () => {
    const rule = ruleNamed("Leerlingdossier");
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "auditor"));
    expect((await agent.get("/retention")).status).toBe(200);
    const page = await agent.get(`/retention/${rule.id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(`/retention/${rule.id}/edit`);
    expect((await agent.get("/retention/new")).status).toBe(403);
    expect((await agent.post("/retention").type("form").send({ ...valid(), _csrf: await token() })).status).toBe(403);
    expect((await agent.post(`/retention/${rule.id}/delete`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(403);
    expect(ctx.db.select().from(retentionRules).all()).toHaveLength(RETENTION_RULES.length);
  });

  it("keeps school users out of the register", async () => {
    const rule = ruleNamed("Leerlingdossier");
    const { agent } = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [makeSchool(ctx.db).id] }));
    for (const path of ["/retention", `/retention/${rule.id}`, "/retention/new", `/retention/${rule.id}/edit`, `/retention/${rule.id}/delete`]) {
      expect((await agent.get(path)).status).toBe(403);
    }
  });
});
