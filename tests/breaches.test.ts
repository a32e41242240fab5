// The data breach register through HTTP: recording a breach with its categories, every date-order rule,
// the regulator's clock, the supplier's term from its agreement, open breaches in the compliance status,
// versions, deletion, the list's filters, and who may see what.
import { and, eq } from "drizzle-orm";
import { toLocalInput } from "../src/breaches/breaches.moments";
import { auditLog, breachDataCategories, breaches, settings, suppliers } from "../src/db/schema";
import { addDays, todayIso } from "../src/lib/dates";
import { formatDateTime } from "../src/lib/format";
import { buildTestApp, decoded, loginAs, makeSchool, makeUser, type TestContext } from "./helpers/app";
import { categoryId, makeAgreement, makeApplication, makeClassification, makeSupplier, measuresInPlace, processes } from "./helpers/factories";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

const HOUR = 60 * 60 * 1000;
const today = todayIso();
const officer = async () => loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
const errorAt = (html: string, field: string) => new RegExp(`id="${field}-error"[^>]*>(?:<span[^>]*>[^<]*</span>)?([^<]*)<`).exec(decoded(html))?.[1];
/** A moment in Dutch time: winter time (+01:00) unless summer time is given. */
const at = (text: string, offset = "+01:00") => new Date(`${text}:00${offset}`);

/** Every field filled in: discovered on 2 March 2025 at 09:00 (winter time), notified, closed. */
function fullForm(applicationId: number) {
  return {
    title: "Cijferlijsten naar verkeerde ouders gemaild",
    description: "Door een fout in de mailkoppeling kregen ouders van groep 7 de lijst van groep 8.",
    applicationId: String(applicationId),
    discoveredAt: "2025-03-02T09:00",
    discoveredBy: "Leerkracht groep 8",
    supplierReportedAt: "2025-03-02T15:00",
    affectsConfidentiality: "on",
    dataCategoryIds: [String(categoryId(ctx.db, "contact")), String(categoryId(ctx.db, "progress"))],
    peopleCount: "31",
    recordsCount: "62",
    risk: "risico",
    regulatorNotified: "ja",
    regulatorNotifiedAt: "2025-03-03T10:00",
    regulatorReasoning: "Cijfers van minderjarigen bij onbevoegden.",
    subjectsNotified: "nee",
    subjectsReasoning: "Geen hoog risico: ouders hebben de mail verwijderd.",
    measures: "Mailkoppeling uitgezet; ontvangers gevraagd de mail te verwijderen.",
    closedAt: "2025-03-10T12:00",
  };
}

function addBreach(values: Partial<typeof breaches.$inferInsert> = {}) {
  return ctx.db
    .insert(breaches)
    .values({ title: "Testlek", discoveredAt: new Date(Date.now() - 10 * HOUR), affectsConfidentiality: true, ...values })
    .returning()
    .get();
}

/** An application that is green: ordinary data, a current agreement covering it, classified, measures in place. */
function greenApplication(name = "Leerlingvolgsysteem") {
  const app = makeApplication(ctx.db, { name });
  processes(ctx.db, app.id, ["contact"]);
  makeAgreement(ctx.db, { supplierId: app.supplierId, applicationIds: [app.id], categories: ["contact"], nextReviewOn: addDays(today, 90), breachNotificationHours: 24 });
  makeClassification(ctx.db, app.id, { assessedOn: today, nextReviewOn: addDays(today, 365) });
  measuresInPlace(ctx.db, app.id);
  return app;
}

const statusOf = (html: string) => /Status: <span class="status status--(\w+)">/.exec(html)?.[1];

describe("recording a breach", () => {
  it("records a breach with its categories, takes the supplier from the application and writes the audit entry", async () => {
    const app = makeApplication(ctx.db, { name: "Ouderportaal" });
    const { agent, token } = await officer();
    const res = await agent.post("/breaches").type("form").send({ ...fullForm(app.id), _csrf: await token() });
    expect(res.status).toBe(303);
    const saved = ctx.db.select().from(breaches).get()!;
    expect(res.headers.location).toBe(`/breaches/${saved.id}`);
    expect(saved).toMatchObject({
      applicationId: app.id,
      supplierId: app.supplierId,
      discoveredAt: at("2025-03-02T09:00"),
      supplierReportedAt: at("2025-03-02T15:00"),
      regulatorNotifiedAt: at("2025-03-03T10:00"),
      closedAt: at("2025-03-10T12:00"),
      affectsConfidentiality: true,
      affectsIntegrity: false,
      peopleCount: 31,
      recordsCount: 62,
      risk: "risico",
      regulatorNotified: "ja",
      subjectsNotified: "nee",
      version: 1,
    });
    const categories = ctx.db.select().from(breachDataCategories).all().map((c) => c.dataCategoryId);
    expect(categories.sort()).toEqual([categoryId(ctx.db, "contact"), categoryId(ctx.db, "progress")].sort());
    const entry = ctx.db.select().from(auditLog).where(eq(auditLog.entityType, "breach")).get()!;
    expect(entry).toMatchObject({ action: "create", entityId: saved.id });
    expect(entry.after).toMatchObject({ title: "Cijferlijsten naar verkeerde ouders gemaild", dataCategoryIds: expect.arrayContaining([categoryId(ctx.db, "contact")]) });
    const page = decoded((await agent.get(`/breaches/${saved.id}`)).text);
    expect(page).toContain("Het datalek Cijferlijsten naar verkeerde ouders gemaild is vastgelegd.");
    expect(page).toContain("<dd>02-03-2025 09:00</dd>");
    expect(page).toContain("<li>Studievoortgang en resultaten</li>");
    expect(page).toContain(`<a href="/applications/${app.id}">Ouderportaal</a>`);
  });

  it("keeps a supplier chosen on the form instead of the application's", async () => {
    const app = makeApplication(ctx.db);
    const other = makeSupplier(ctx.db, { name: "Subverwerker BV" });
    const { agent, token } = await officer();
    await agent.post("/breaches").type("form").send({ ...fullForm(app.id), supplierId: String(other.id), _csrf: await token() });
    expect(ctx.db.select().from(breaches).get()!.supplierId).toBe(other.id);
  });

  it("fills in the application and its supplier when opened from the application page", async () => {
    const supplier = makeSupplier(ctx.db, { name: "Topicus" });
    const app = makeApplication(ctx.db, { name: "Somtoday", supplierId: supplier.id });
    const { agent } = await officer();
    const form = (await agent.get(`/breaches/new?applicationId=${app.id}`)).text;
    expect(form).toMatch(new RegExp(`<option value="${app.id}" selected>Somtoday \\(Topicus\\)</option>`));
    expect(form).toMatch(new RegExp(`<option value="${supplier.id}" selected>Topicus</option>`));
    expect((await agent.get(`/applications/${app.id}`)).text).toContain(`href="/breaches/new?applicationId=${app.id}"`);
  });

  it("records a breach without an application, such as a lost laptop", async () => {
    const { agent, token } = await officer();
    const res = await agent.post("/breaches").type("form").send({ ...fullForm(0), applicationId: "", _csrf: await token() });
    expect(res.status).toBe(303);
    expect(ctx.db.select().from(breaches).get()).toMatchObject({ applicationId: null, supplierId: null });
  });

  it("re-renders with 422 and keeps the input when the title, the kind and a count are missing or wrong", async () => {
    const app = makeApplication(ctx.db);
    const { agent, token } = await officer();
    const res = await agent
      .post("/breaches")
      .type("form")
      .send({ ...fullForm(app.id), title: "", affectsConfidentiality: undefined, peopleCount: "-3", _csrf: await token() });
    expect(res.status).toBe(422);
    expect(errorAt(res.text, "title")).toBe("Vul dit veld in.");
    expect(errorAt(res.text, "peopleCount")).toBe("Vul een heel getal in van 0 of meer.");
    expect(errorAt(res.text, "kind")).toContain("Kies ten minste één soort inbreuk");
    expect(res.text).toContain("Leerkracht groep 8");
    expect(res.text).toContain('value="2025-03-02T09:00"');
    expect(res.text).toMatch(new RegExp(`id="dataCategoryIds-${categoryId(ctx.db, "progress")}"[^>]*checked`));
    expect(ctx.db.select().from(breaches).all()).toHaveLength(0);
  });

  it("requires at least one kind of breach: confidentiality, integrity or availability", async () => {
    const app = makeApplication(ctx.db);
    const { agent, token } = await officer();
    const res = await agent.post("/breaches").type("form").send({ ...fullForm(app.id), affectsConfidentiality: undefined, _csrf: await token() });
    expect(res.status).toBe(422);
    expect(errorAt(res.text, "kind")).toBe("Kies ten minste één soort inbreuk: vertrouwelijkheid, integriteit of beschikbaarheid.");
    const ok = await agent.post("/breaches").type("form").send({ ...fullForm(app.id), affectsConfidentiality: undefined, affectsAvailability: "on", _csrf: await token() });
    expect(ok.status).toBe(303);
  });

  it("refuses a moment that does not exist", async () => {
    const { agent, token } = await officer();
    const res = await agent.post("/breaches").type("form").send({ ...fullForm(0), applicationId: "", discoveredAt: "2025-02-30T09:00", _csrf: await token() });
    expect(res.status).toBe(422);
    expect(errorAt(res.text, "discoveredAt")).toBe("Vul een bestaande datum en tijd in.");
  });
});

describe("the order of a breach's moments", () => {
  const future = () => toLocalInput(Date.now() + 2 * HOUR);

  it.each([
    ["discoveredAt", () => ({ discoveredAt: future(), supplierReportedAt: "", regulatorNotified: "onbekend", regulatorNotifiedAt: "", subjectsNotifiedAt: "", closedAt: "" }), "Het moment van ontdekking ligt in de toekomst."],
    ["closedAt", () => ({ closedAt: future() }), "Het moment van sluiten ligt in de toekomst."],
    ["regulatorNotifiedAt", () => ({ regulatorNotifiedAt: future() }), "De melding aan de AP ligt in de toekomst."],
    ["supplierReportedAt", () => ({ supplierReportedAt: "2025-03-02T08:59" }), "De melding door de leverancier ligt vóór de ontdekking. Ontdekte de leverancier het lek eerder? Vul dan dat moment in bij 'Ontdekt op'."],
    ["regulatorNotifiedAt", () => ({ regulatorNotifiedAt: "2025-03-01T23:00" }), "De melding aan de AP ligt vóór de ontdekking van het datalek."],
    ["subjectsNotifiedAt", () => ({ subjectsNotified: "ja", subjectsNotifiedAt: "2025-03-02T08:00" }), "Het informeren van de betrokkenen ligt vóór de ontdekking van het datalek."],
    ["closedAt", () => ({ closedAt: "2025-03-01T12:00" }), "Het datalek kan niet zijn gesloten vóór het werd ontdekt."],
  ])("refuses %s out of order with a message at the field: %#", async (field, change, message) => {
    const app = makeApplication(ctx.db);
    const { agent, token } = await officer();
    const res = await agent.post("/breaches").type("form").send({ ...fullForm(app.id), ...change(), _csrf: await token() });
    expect(res.status).toBe(422);
    expect(errorAt(res.text, field)).toBe(message);
    expect(ctx.db.select().from(breaches).all()).toHaveLength(0);
  });

  it("accepts notifications and closing at the very moment of discovery", async () => {
    const app = makeApplication(ctx.db);
    const { agent, token } = await officer();
    const same = "2025-03-02T09:00";
    const res = await agent
      .post("/breaches")
      .type("form")
      .send({ ...fullForm(app.id), supplierReportedAt: same, regulatorNotifiedAt: same, subjectsNotified: "ja", subjectsNotifiedAt: same, closedAt: same, _csrf: await token() });
    expect(res.status).toBe(303);
  });

  it("refuses the same order on an edit", async () => {
    const breach = addBreach({ discoveredAt: at("2025-03-02T09:00") });
    const { agent, token } = await officer();
    const res = await agent.post(`/breaches/${breach.id}`).type("form").send({ ...fullForm(0), applicationId: "", closedAt: "2025-03-02T08:00", version: 1, _csrf: await token() });
    expect(res.status).toBe(422);
    expect(errorAt(res.text, "closedAt")).toBe("Het datalek kan niet zijn gesloten vóór het werd ontdekt.");
    expect(ctx.db.select().from(breaches).get()!.closedAt).toBeNull();
  });
});

describe("what each answer on notification needs", () => {
  it.each([
    ["regulatorNotifiedAt", { regulatorNotified: "ja", regulatorNotifiedAt: "" }, "Vul in wanneer het datalek aan de AP is gemeld."],
    ["regulatorNotifiedAt", { regulatorNotified: "nee" }, "Kies bij 'Gemeld aan de AP' voor 'ja', of laat dit moment leeg."],
    ["regulatorReasoning", { regulatorNotified: "nee", regulatorNotifiedAt: "", regulatorReasoning: "" }, "Leg uit waarom het datalek niet aan de AP is gemeld."],
    ["subjectsNotifiedAt", { subjectsNotified: "ja", subjectsNotifiedAt: "" }, "Vul in wanneer de betrokkenen zijn geïnformeerd."],
    ["subjectsNotifiedAt", { subjectsNotified: "onbekend", subjectsNotifiedAt: "2025-03-04T10:00" }, "Kies bij 'Betrokkenen geïnformeerd' voor 'ja', of laat dit moment leeg."],
    ["subjectsReasoning", { subjectsNotified: "nee", subjectsReasoning: "" }, "Leg uit waarom de betrokkenen niet worden geïnformeerd."],
    ["closedAt", { regulatorNotified: "onbekend", regulatorNotifiedAt: "" }, "Een datalek kan pas worden gesloten als is vastgelegd of het aan de AP is gemeld (ja, of nee met onderbouwing)."],
  ])("refuses at %s: %#", async (field, change, message) => {
    const app = makeApplication(ctx.db);
    const { agent, token } = await officer();
    const res = await agent.post("/breaches").type("form").send({ ...fullForm(app.id), ...change, _csrf: await token() });
    expect(res.status).toBe(422);
    expect(errorAt(res.text, field)).toBe(message);
    expect(ctx.db.select().from(breaches).all()).toHaveLength(0);
  });
});

describe("the regulator's clock", () => {
  it("counts down while the decision is open: just inside the 72 hours it says 'nog 1 uur'", async () => {
    const breach = addBreach({ title: "Bijna te laat", discoveredAt: new Date(Date.now() - 70 * HOUR - 60_000) });
    const { agent } = await officer();
    const page = decoded((await agent.get(`/breaches/${breach.id}`)).text);
    expect(page).toContain("Nog niet besloten over melding aan de AP");
    expect(page).toContain(`<strong>Uiterste meldmoment AP:</strong> ${formatDateTime(breach.discoveredAt.getTime() + 72 * HOUR)}`);
    expect(page).toContain("<strong>nog 1 uur</strong>");
    const list = decoded((await agent.get("/breaches")).text);
    expect(list).toContain("nog 1 uur");
  });

  it("says since when the term has passed just after the 72 hours", async () => {
    const breach = addBreach({ discoveredAt: new Date(Date.now() - 72 * HOUR - 60_000) });
    const { agent } = await officer();
    const page = decoded((await agent.get(`/breaches/${breach.id}`)).text);
    expect(page).toContain(`termijn verstreken sinds ${formatDateTime(breach.discoveredAt.getTime() + 72 * HOUR)}`);
    expect(page).not.toContain("<strong>nog ");
  });

  it("says less than an hour in the last hour", async () => {
    const breach = addBreach({ discoveredAt: new Date(Date.now() - 71 * HOUR - 30 * 60_000) });
    const { agent } = await officer();
    expect(decoded((await agent.get(`/breaches/${breach.id}`)).text)).toContain("nog minder dan een uur");
  });

  it("follows the setting for the number of hours", async () => {
    ctx.db.insert(settings).values({ key: "breachRegulatorHours", value: "48" }).run();
    const breach = addBreach({ discoveredAt: new Date(Date.now() - 46 * HOUR - 60_000) });
    const { agent } = await officer();
    const page = decoded((await agent.get(`/breaches/${breach.id}`)).text);
    expect(page).toContain("(48 uur na ontdekking)");
    expect(page).toContain("<strong>nog 1 uur</strong>");
  });

  it("stops once the decision is made and says whether the notification was in time", async () => {
    const discovered = new Date(Date.now() - 100 * HOUR);
    const inTime = addBreach({ title: "Op tijd", discoveredAt: discovered, regulatorNotified: "ja", regulatorNotifiedAt: new Date(discovered.getTime() + 72 * HOUR) });
    const late = addBreach({ title: "Te laat", discoveredAt: discovered, regulatorNotified: "ja", regulatorNotifiedAt: new Date(discovered.getTime() + 73 * HOUR) });
    const { agent } = await officer();
    const first = decoded((await agent.get(`/breaches/${inTime.id}`)).text);
    expect(first).not.toContain("Nog niet besloten over melding aan de AP");
    expect(first).toContain("binnen de termijn gemeld (72 uur na ontdekking)");
    expect(decoded((await agent.get(`/breaches/${late.id}`)).text)).toContain("na de termijn gemeld (73 uur na ontdekking)");
  });
});

describe("the supplier's report against its agreement", () => {
  function setup(hours: number | null) {
    const app = makeApplication(ctx.db);
    makeAgreement(ctx.db, { reference: "VO-MELD", supplierId: app.supplierId, applicationIds: [app.id], startsOn: "2025-01-01", breachNotificationHours: hours });
    return app;
  }
  const discovered = at("2025-03-02T09:00");

  it.each([
    [24, "Op tijd: gemeld 24 uur na ontdekking; de termijn in VO-MELD is 24 uur."],
    [25, "Te laat: gemeld 25 uur na ontdekking; de termijn in VO-MELD is 24 uur."],
  ])("reports %i hours after discovery against a term of 24 hours", async (after, text) => {
    const app = setup(24);
    const breach = addBreach({ applicationId: app.id, discoveredAt: discovered, supplierReportedAt: new Date(discovered.getTime() + after * HOUR) });
    const { agent } = await officer();
    expect(decoded((await agent.get(`/breaches/${breach.id}`)).text)).toContain(text);
  });

  it("says the supplier has not reported within the term when it has passed", async () => {
    const app = setup(48);
    const breach = addBreach({ applicationId: app.id, discoveredAt: discovered, supplierReportedAt: null });
    const { agent } = await officer();
    expect(decoded((await agent.get(`/breaches/${breach.id}`)).text)).toContain(`Niet gemeld binnen de termijn van 48 uur uit VO-MELD (verstreken op ${formatDateTime(discovered.getTime() + 48 * HOUR)}).`);
  });

  it("says when the agreement names no term, or no agreement covered the application on the day of discovery", async () => {
    const noTerm = setup(null);
    const a = addBreach({ applicationId: noTerm.id, discoveredAt: discovered, supplierReportedAt: discovered });
    const notYet = makeApplication(ctx.db);
    makeAgreement(ctx.db, { supplierId: notYet.supplierId, applicationIds: [notYet.id], startsOn: "2025-04-01", breachNotificationHours: 24 });
    const b = addBreach({ applicationId: notYet.id, discoveredAt: discovered, supplierReportedAt: discovered });
    const { agent } = await officer();
    expect(decoded((await agent.get(`/breaches/${a.id}`)).text)).toContain("De verwerkersovereenkomst VO-MELD noemt geen meldtermijn voor datalekken.");
    expect(decoded((await agent.get(`/breaches/${b.id}`)).text)).toContain("Er was bij de ontdekking geen geldende verwerkersovereenkomst voor deze applicatie");
  });
});

describe("open breaches in the compliance status of the application page", () => {
  it("turns a green application orange while a breach is open, and green again once it is closed", async () => {
    const app = greenApplication();
    const { agent, token } = await officer();
    expect(statusOf((await agent.get(`/applications/${app.id}`)).text)).toBe("green");
    const open = { ...fullForm(app.id), regulatorNotified: "onbekend", regulatorNotifiedAt: "", closedAt: "" };
    expect((await agent.post("/breaches").type("form").send({ ...open, _csrf: await token() })).status).toBe(303);
    const during = decoded((await agent.get(`/applications/${app.id}`)).text);
    expect(statusOf(during)).toBe("orange");
    expect(during).toMatch(new RegExp(`Er staat een datalek open \\(1\\).\\s*<a href="/applications/${app.id}#datalekken"`));
    const breach = ctx.db.select().from(breaches).get()!;
    expect(during).toContain(`<a href="/breaches/${breach.id}">Cijferlijsten naar verkeerde ouders gemaild</a>`);
    const closing = await agent
      .post(`/breaches/${breach.id}`)
      .type("form")
      .send({ ...open, regulatorNotified: "nee", regulatorReasoning: "Geen risico.", closedAt: "2025-03-10T12:00", version: 1, _csrf: await token() });
    expect(closing.status).toBe(303);
    expect(decoded((await agent.get(`/breaches/${breach.id}`)).text)).toContain("is gesloten.");
    const after = decoded((await agent.get(`/applications/${app.id}`)).text);
    expect(statusOf(after)).toBe("green");
    expect(after).not.toContain("Er staat een datalek open");
    expect(ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "breach"), eq(auditLog.action, "update"))).get()!.summary).toContain("gesloten");
  });
});

describe("editing and deleting a breach", () => {
  it("edits a breach and shows the change in its history", async () => {
    const app = makeApplication(ctx.db);
    const { agent, token } = await officer();
    await agent.post("/breaches").type("form").send({ ...fullForm(app.id), _csrf: await token() });
    const breach = ctx.db.select().from(breaches).get()!;
    const form = await agent.get(`/breaches/${breach.id}/edit`);
    expect(form.text).toContain('value="2025-03-02T09:00"');
    expect(form.text).toMatch(/id="affectsConfidentiality"[^>]*checked/);
    const res = await agent.post(`/breaches/${breach.id}`).type("form").send({ ...fullForm(app.id), peopleCount: "45", version: 1, _csrf: await token() });
    expect(res.status).toBe(303);
    expect(ctx.db.select().from(breaches).get()).toMatchObject({ peopleCount: 45, version: 2 });
    expect(decoded((await agent.get(`/breaches/${breach.id}`)).text)).toMatch(/Aantal betrokkenen \(ongeveer\)<\/span>: <del>31<\/del> → <ins>45<\/ins>/);
  });

  it("answers a stale edit with 409, keeps the input and shows the newer version", async () => {
    const breach = addBreach({ discoveredAt: at("2025-03-02T09:00") });
    const a = await officer();
    const b = await officer();
    const bToken = await b.token();
    const form = { ...fullForm(0), applicationId: "", version: 1 };
    expect((await a.agent.post(`/breaches/${breach.id}`).type("form").send({ ...form, title: "Titel van A", _csrf: await a.token() })).status).toBe(303);
    const res = await b.agent.post(`/breaches/${breach.id}`).type("form").send({ ...form, title: "Titel van B", _csrf: bToken });
    expect(res.status).toBe(409);
    expect(res.text).toContain('value="Titel van B"');
    expect(res.text).toContain("Titel van A");
    expect(ctx.db.select().from(breaches).get()!.title).toBe("Titel van A");
  });

  it("deletes a breach recorded by mistake after confirmation, keeping what it said in the audit log", async () => {
    const breach = addBreach({ title: "Dubbel ingevoerd" });
    ctx.db.insert(breachDataCategories).values({ breachId: breach.id, dataCategoryId: categoryId(ctx.db, "contact") }).run();
    const { agent, token } = await officer();
    expect((await agent.get(`/breaches/${breach.id}/delete`)).text).toContain("per vergissing");
    const stale = await agent.post(`/breaches/${breach.id}/delete`).type("form").send({ version: 2, _csrf: await token() });
    expect(stale.status).toBe(409);
    const res = await agent.post(`/breaches/${breach.id}/delete`).type("form").send({ version: 1, _csrf: await token() });
    expect(res.status).toBe(303);
    expect(ctx.db.select().from(breaches).all()).toHaveLength(0);
    expect(ctx.db.select().from(breachDataCategories).all()).toHaveLength(0);
    const entry = ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "breach"), eq(auditLog.action, "delete"))).get()!;
    expect(entry.before).toMatchObject({ title: "Dubbel ingevoerd", dataCategoryIds: [categoryId(ctx.db, "contact")] });
  });
});

describe("the breach list", () => {
  it("filters on open and closed, on the period of discovery and on words in the title", async () => {
    addBreach({ title: "Open lek maart", discoveredAt: at("2025-03-02T09:00") });
    addBreach({ title: "Gesloten lek april", discoveredAt: at("2025-04-30T23:30", "+02:00"), regulatorNotified: "nee", regulatorReasoning: "Geen risico", closedAt: at("2025-05-02T10:00", "+02:00") });
    addBreach({ title: "Open lek mei", discoveredAt: at("2025-05-01T00:30", "+02:00") });
    const { agent } = await officer();
    const names = async (query: string) => {
      const html = decoded((await agent.get(`/breaches${query}`)).text);
      return ["Open lek maart", "Gesloten lek april", "Open lek mei"].filter((n) => html.includes(n));
    };
    expect(await names("")).toEqual(["Open lek maart", "Gesloten lek april", "Open lek mei"]);
    expect(await names("?state=open")).toEqual(["Open lek maart", "Open lek mei"]);
    expect(await names("?state=closed")).toEqual(["Gesloten lek april"]);
    // Whole Dutch days: 30 April 23:30 is in April, 1 May 00:30 is not (both are on 30 April in UTC).
    expect(await names("?from=2025-04-01&to=2025-04-30")).toEqual(["Gesloten lek april"]);
    expect(await names("?from=2025-05-01")).toEqual(["Open lek mei"]);
    expect(await names("?q=maart")).toEqual(["Open lek maart"]);
    const newestFirst = decoded((await agent.get("/breaches")).text);
    expect(newestFirst.indexOf("Open lek mei")).toBeLessThan(newestFirst.indexOf("Open lek maart"));
  });
});

describe("access to the breach register", () => {
  it("lets an auditor read the list and a breach, but not record, edit or delete one", async () => {
    const breach = addBreach();
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "auditor"));
    expect((await agent.get("/breaches")).status).toBe(200);
    const page = await agent.get(`/breaches/${breach.id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(`/breaches/${breach.id}/edit`);
    expect((await agent.get("/breaches/new")).status).toBe(403);
    expect((await agent.post("/breaches").type("form").send({ ...fullForm(0), applicationId: "", _csrf: await token() })).status).toBe(403);
    expect((await agent.post(`/breaches/${breach.id}/delete`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(403);
    expect(ctx.db.select().from(breaches).all()).toHaveLength(1);
  });

  it("keeps school users out of the register, also for a breach at an application of their own school", async () => {
    const school = makeSchool(ctx.db);
    const own = makeApplication(ctx.db, { schoolIds: [school.id] });
    const breach = addBreach({ applicationId: own.id });
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [school.id] }));
    for (const path of ["/breaches", "/breaches/new", `/breaches/${breach.id}`, `/breaches/${breach.id}/edit`, `/breaches/${breach.id}/delete`, "/breaches/9999"]) {
      expect((await agent.get(path)).status).toBe(403);
    }
    expect((await agent.post(`/breaches/${breach.id}`).type("form").send({ ...fullForm(own.id), version: 1, _csrf: await token() })).status).toBe(403);
    const appPage = await agent.get(`/applications/${own.id}`);
    expect(appPage.text).not.toContain(`href="/breaches/${breach.id}"`);
    expect(appPage.text).not.toContain("/breaches/new");
    expect(ctx.db.select().from(suppliers).all().length).toBeGreaterThan(0);
  });
});
