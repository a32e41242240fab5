import { and, eq } from "drizzle-orm";
import {
  applicationData,
  applicationFunctions,
  applications,
  applicationSchools,
  auditLog,
  foraFunctions,
  intakeMessages,
  intakeRequestData,
  intakeRequests,
  suppliers,
} from "../src/db/schema";
import { buildTestApp, decoded, loginAs, makeSchool, makeUser, type TestContext } from "./helpers/app";
import { categoryId, makeApplication, makeSupplier, subjectId } from "./helpers/factories";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

const fn = (code = "ow.leermiddelen") => ctx.db.select().from(foraFunctions).where(eq(foraFunctions.code, code)).get()!;

/** A school, a user of it, and the privacy officer. */
async function setting() {
  const school = makeSchool(ctx.db, { name: "De Regenboog" });
  const schoolUser = await makeUser(ctx.db, "school", { schoolIds: [school.id] });
  return { school, schoolUser, school_: await loginAs(ctx.app, schoolUser), officer: await loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer")) };
}

/** The answers of a complete request, as the form sends them. */
function answers(schoolId: number, overrides: Record<string, unknown> = {}) {
  const pupils = String(subjectId(ctx.db, "pupils"));
  const staff = String(subjectId(ctx.db, "staff"));
  return {
    schoolId: String(schoolId),
    applicationName: "Kahoot!",
    goal: "Quizzen in de klas om de lesstof te herhalen.",
    foraFunctionId: String(fn().id),
    existingAlternatives: "Gynzy heeft een quizfunctie, maar die is beperkt.",
    landscapeFit: "Werkt in de browser op de Chromebooks; beheer door de ICT-coördinator.",
    rows: {
      [`k${categoryId(ctx.db, "contact")}`]: { subjects: [pupils], purpose: "Naam in de quiz" },
      [`k${categoryId(ctx.db, "account")}`]: { subjects: [staff, pupils], purpose: "Inloggen" },
    },
    costOneTimeCents: "0",
    costLicencePerYearCents: "1.250,50",
    costImplementationCents: "99.95",
    supplierId: "",
    supplierName: "Kahoot! ASA",
    supplierCovenantStatus: "medestander",
    ...overrides,
  };
}

type Browser = Awaited<ReturnType<typeof loginAs>>;

async function submit(as: Browser, values: Record<string, unknown>) {
  return as.agent.post("/intake").type("form").send({ ...values, _csrf: await as.token() });
}

/** A request submitted through the form; returns its row. */
async function submitted(as: Browser, schoolId: number, overrides: Record<string, unknown> = {}) {
  const res = await submit(as, answers(schoolId, overrides));
  if (res.status !== 303) throw new Error(`Aanvraag niet ingediend (${res.status})`);
  return ctx.db.select().from(intakeRequests).where(eq(intakeRequests.id, Number(res.headers.location!.split("/").pop()))).get()!;
}

async function act(as: Browser, id: number, action: string, values: Record<string, unknown>) {
  return as.agent.post(`/intake/${id}/${action}`).type("form").send({ ...values, _csrf: await as.token() });
}

const requestRow = (id: number) => ctx.db.select().from(intakeRequests).where(eq(intakeRequests.id, id)).get()!;

describe("submitting a request", () => {
  it("stores a school user's request with its data, costs in cents and the typed supplier, and records it", async () => {
    const { school, school_ } = await setting();
    const res = await submit(school_, answers(school.id));
    expect(res.status).toBe(303);
    const request = ctx.db.select().from(intakeRequests).get()!;
    expect(res.headers.location).toBe(`/intake/${request.id}`);
    expect(request).toMatchObject({
      schoolId: school.id,
      applicationName: "Kahoot!",
      status: "ingediend",
      supplierId: null,
      supplierName: "Kahoot! ASA",
      supplierCovenantStatus: "medestander",
      foraFunctionId: fn().id,
      costOneTimeCents: 0,
      costLicencePerYearCents: 125050,
      costImplementationCents: 9995,
      version: 1,
    });
    const data = ctx.db.select().from(intakeRequestData).all();
    expect(data.map((d) => [d.dataCategoryId, d.dataSubjectId, d.purpose]).sort()).toEqual(
      [
        [categoryId(ctx.db, "contact"), subjectId(ctx.db, "pupils"), "Naam in de quiz"],
        [categoryId(ctx.db, "account"), subjectId(ctx.db, "staff"), "Inloggen"],
        [categoryId(ctx.db, "account"), subjectId(ctx.db, "pupils"), "Inloggen"],
      ].sort(),
    );
    const entry = ctx.db.select().from(auditLog).where(eq(auditLog.entityType, "intake_request")).get()!;
    expect(entry).toMatchObject({ action: "create", entityId: request.id, summary: "Aanvraag voor Kahoot! ingediend" });
    const page = await school_.agent.get(res.headers.location!);
    expect(page.text).toContain("De aanvraag voor Kahoot! is ingediend.");
    expect(page.text).toContain("Status: Ingediend");
    expect(decoded(page.text)).toContain("€\u00a01.250,50");
  });

  it("links a typed supplier name that is already in the register to that supplier", async () => {
    const { school, school_ } = await setting();
    const known = makeSupplier(ctx.db, { name: "Kahoot! ASA" });
    const request = await submitted(school_, school.id, { supplierName: "kahoot! asa" });
    expect(request).toMatchObject({ supplierId: known.id, supplierName: null });
  });

  it("shows the board's applications on the chosen FORA function without saving, keeping every answer", async () => {
    const { school, school_ } = await setting();
    const other = makeSchool(ctx.db);
    const ownApp = makeApplication(ctx.db, { name: "Gynzy", schoolIds: [school.id] });
    const otherApp = makeApplication(ctx.db, { name: "Squla", schoolIds: [other.id] });
    const unrelated = makeApplication(ctx.db, { name: "Magister" });
    ctx.db.insert(applicationFunctions).values([{ applicationId: ownApp.id, functionId: fn().id }, { applicationId: otherApp.id, functionId: fn().id }, { applicationId: unrelated.id, functionId: fn("oo.administratie").id }]).run();
    const res = await submit(school_, { ...answers(school.id), show: "existing", applicationName: "Nog een naam" });
    expect(res.status).toBe(200);
    const html = decoded(res.text);
    expect(html).toContain("Applicaties van het bestuur voor");
    expect(html).toContain(`<a href="/applications/${ownApp.id}">Gynzy</a> (in gebruik op uw school)`);
    // Another school's application is named (is there already one for this?), without a link the school cannot open.
    expect(html).toContain("<li>Squla,");
    expect(html).not.toContain("Magister");
    expect(html).toContain('value="Nog een naam"');
    expect(html).toContain("Gynzy heeft een quizfunctie");
    expect(html).toMatch(new RegExp(`id="data-${categoryId(ctx.db, "contact")}-${subjectId(ctx.db, "pupils")}"[^>]*checked`));
    expect(html).toMatch(new RegExp(`<option value="${fn().id}" selected>`));
    expect(html).not.toContain("field-error");
    expect(ctx.db.select().from(intakeRequests).all()).toHaveLength(0);
  });

  it("re-renders with 422, a Dutch message at each field and every answer kept, ticked boxes too", async () => {
    const { school, school_ } = await setting();
    const contact = categoryId(ctx.db, "contact");
    const health = categoryId(ctx.db, "health");
    const pupils = String(subjectId(ctx.db, "pupils"));
    const res = await submit(school_, {
      schoolId: String(school.id),
      applicationName: "",
      goal: " ",
      foraFunctionId: "",
      existingAlternatives: "",
      landscapeFit: "",
      rows: { [`k${contact}`]: { subjects: [pupils], purpose: "" }, [`k${health}`]: { purpose: "Zorg zonder wie" } },
      costOneTimeCents: "-5",
      costLicencePerYearCents: "",
      costImplementationCents: "twaalf",
      supplierId: "",
      supplierName: "",
      supplierCovenantStatus: "misschien",
    });
    expect(res.status).toBe(422);
    const html = decoded(res.text);
    const errorAt = (id: string) => new RegExp(`id="${id}-error"><span class="visually-hidden">Fout: </span>([^<]+)<`).exec(html)?.[1];
    expect(errorAt("applicationName")).toBe("Vul dit veld in.");
    expect(errorAt("goal")).toBe("Vul dit veld in.");
    expect(errorAt("foraFunctionId")).toBe("Kies de FORA-functie waarvoor de applicatie is bedoeld.");
    expect(errorAt("existingAlternatives")).toBe("Vul dit veld in.");
    expect(errorAt("landscapeFit")).toBe("Vul dit veld in.");
    expect(errorAt(`purpose-${contact}`)).toBe("Schrijf op waarvoor deze gegevens nodig zijn.");
    expect(errorAt(`subjects-${health}`)).toBe("Vink aan van wie deze gegevens zijn, of maak het doel leeg.");
    expect(errorAt("costOneTimeCents")).toBe("Vul een bedrag in euro's in, bijvoorbeeld 1.250,00 (niet negatief).");
    expect(errorAt("costLicencePerYearCents")).toBe("Vul een bedrag in euro's in (0 als er geen kosten zijn).");
    expect(errorAt("costImplementationCents")).toBe("Vul een bedrag in euro's in, bijvoorbeeld 1.250,00 (niet negatief).");
    expect(errorAt("supplierId")).toBe("Kies een leverancier of vul de naam van een nieuwe leverancier in.");
    expect(errorAt("supplierCovenantStatus")).toBe("Geef aan of de leverancier het convenant heeft ondertekend (of kies ‘Weet ik niet’).");
    expect(html).toContain("Het formulier bevat fouten.");
    // The input is kept: the ticked box, the typed purposes and amounts.
    expect(html).toMatch(new RegExp(`id="data-${contact}-${pupils}"[^>]*checked`));
    expect(html).toContain('value="Zorg zonder wie"');
    expect(html).toContain('value="-5"');
    expect(html).toContain('value="twaalf"');
    expect(html).toMatch(new RegExp(`<option value="${school.id}" selected>`));
    expect(ctx.db.select().from(intakeRequests).all()).toHaveLength(0);
  });

  it("asks for the personal data, or for the statement that there are none, but not both", async () => {
    const { school, school_ } = await setting();
    const none = await submit(school_, { ...answers(school.id), rows: {} });
    expect(none.status).toBe(422);
    expect(none.text).toContain("Vink aan welke persoonsgegevens de applicatie verwerkt, of geef aan dat zij geen persoonsgegevens verwerkt.");
    const both = await submit(school_, { ...answers(school.id), noPersonalData: "on" });
    expect(both.status).toBe(422);
    expect(decoded(both.text)).toContain("U heeft persoonsgegevens aangevinkt én aangegeven");
    expect(both.text).toMatch(/id="noPersonalData"[^>]*checked/);
    const statement = await submit(school_, { ...answers(school.id), rows: {}, noPersonalData: "on" });
    expect(statement.status).toBe(303);
    expect(ctx.db.select().from(intakeRequestData).all()).toHaveLength(0);
  });

  it("refuses a chosen supplier together with a typed new one, and a supplier that does not exist", async () => {
    const { school, school_ } = await setting();
    const known = makeSupplier(ctx.db, { name: "Gynzy B.V." });
    const both = await submit(school_, answers(school.id, { supplierId: String(known.id) }));
    expect(both.status).toBe(422);
    expect(decoded(both.text)).toContain("Kies een bestaande leverancier óf vul een nieuwe naam in, niet allebei.");
    expect(both.text).toMatch(new RegExp(`<option value="${known.id}" selected>`));
    const unknown = await submit(school_, answers(school.id, { supplierId: "9999", supplierName: "" }));
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain("Deze leverancier staat niet (meer) in het register.");
  });
});

describe("reviewing a request", () => {
  it("approves: the request becomes an application in the register with its data, costs, function, school and a new supplier", async () => {
    const { school, school_, officer } = await setting();
    const request = await submitted(school_, school.id);
    const res = await act(officer, request.id, "approve", { version: 1, note: "Past bij het leermiddelenbeleid." });
    expect(res.status).toBe(303);
    const app = ctx.db.select().from(applications).get()!;
    expect(app).toMatchObject({
      name: "Kahoot!",
      lifecycle: "aangevraagd",
      goal: "Quizzen in de klas om de lesstof te herhalen.",
      processesPersonalData: true,
      usedByPupils: true,
      usedByStaff: true,
      usedByParents: false,
      costOneTimeCents: 0,
      costLicencePerYearCents: 125050,
      costImplementationCents: 9995,
    });
    const supplier = ctx.db.select().from(suppliers).where(eq(suppliers.id, app.supplierId)).get()!;
    expect(supplier).toMatchObject({ name: "Kahoot! ASA", covenantStatus: "medestander" });
    expect(ctx.db.select().from(applicationSchools).all().map((s) => [s.applicationId, s.schoolId])).toEqual([[app.id, school.id]]);
    expect(ctx.db.select().from(applicationFunctions).all()).toEqual([{ applicationId: app.id, functionId: fn().id }]);
    expect(
      ctx.db
        .select()
        .from(applicationData)
        .all()
        .map((d) => [d.dataCategoryId, d.dataSubjectId, d.purpose])
        .sort(),
    ).toEqual(
      [
        [categoryId(ctx.db, "contact"), subjectId(ctx.db, "pupils"), "Naam in de quiz"],
        [categoryId(ctx.db, "account"), subjectId(ctx.db, "staff"), "Inloggen"],
        [categoryId(ctx.db, "account"), subjectId(ctx.db, "pupils"), "Inloggen"],
      ].sort(),
    );
    expect(requestRow(request.id)).toMatchObject({ status: "goedgekeurd", applicationId: app.id, supplierId: supplier.id, decisionReason: "Past bij het leermiddelenbeleid.", version: 2 });
    const entries = ctx.db.select().from(auditLog).all().map((e) => [e.entityType, e.action]);
    expect(entries).toEqual(
      expect.arrayContaining([
        ["intake_request", "update"],
        ["application", "create"],
        ["supplier", "create"],
      ]),
    );
    // The school sees its request approved, with the note and the application.
    const page = await school_.agent.get(`/intake/${request.id}`);
    expect(page.text).toContain("Besluit: Goedgekeurd");
    expect(page.text).toContain("Past bij het leermiddelenbeleid.");
    expect(page.text).toContain(`href="/applications/${app.id}"`);
    expect((await school_.agent.get(`/applications/${app.id}`)).status).toBe(200);
  });

  it("approves with the chosen existing supplier and creates no new one", async () => {
    const { school, school_, officer } = await setting();
    const known = makeSupplier(ctx.db, { name: "Gynzy B.V." });
    const request = await submitted(school_, school.id, { supplierId: String(known.id), supplierName: "", rows: {}, noPersonalData: "on" });
    expect((await act(officer, request.id, "approve", { version: 1 })).status).toBe(303);
    expect(ctx.db.select().from(suppliers).all()).toHaveLength(1);
    expect(ctx.db.select().from(applications).get()).toMatchObject({ supplierId: known.id, processesPersonalData: false });
    expect(ctx.db.select().from(applicationData).all()).toHaveLength(0);
  });

  it("refuses to approve when the register already has that application of that supplier, and changes nothing", async () => {
    const { school, school_, officer } = await setting();
    const known = makeSupplier(ctx.db, { name: "Gynzy B.V." });
    makeApplication(ctx.db, { name: "KAHOOT!", supplierId: known.id });
    const request = await submitted(school_, school.id, { supplierId: String(known.id), supplierName: "" });
    const res = await act(officer, request.id, "approve", { version: 1, note: "Akkoord" });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Er staat al een applicatie KAHOOT! van Gynzy B.V. in het register.");
    expect(res.text).toContain("Akkoord");
    expect(ctx.db.select().from(applications).all()).toHaveLength(1);
    expect(requestRow(request.id).status).toBe("ingediend");
  });

  it("rejects with reasons the school sees, and refuses a rejection without reasons at the field", async () => {
    const { school, school_, officer } = await setting();
    const request = await submitted(school_, school.id);
    const empty = await act(officer, request.id, "reject", { version: 1, reason: "  " });
    expect(empty.status).toBe(422);
    expect(decoded(empty.text)).toMatch(/id="reason-error"><span class="visually-hidden">Fout: <\/span>Geef de reden van de afwijzing; de school krijgt die te zien.</);
    expect(requestRow(request.id).status).toBe("ingediend");
    const res = await act(officer, request.id, "reject", { version: 1, reason: "De school gebruikt al Gynzy voor quizzen." });
    expect(res.status).toBe(303);
    expect(requestRow(request.id)).toMatchObject({ status: "afgewezen", decisionReason: "De school gebruikt al Gynzy voor quizzen.", applicationId: null });
    expect(ctx.db.select().from(applications).all()).toHaveLength(0);
    const page = await school_.agent.get(`/intake/${request.id}`);
    expect(page.text).toContain("Besluit: Afgewezen");
    expect(page.text).toContain("De school gebruikt al Gynzy voor quizzen.");
    expect((await school_.agent.get("/intake")).text).toContain("Afgewezen");
  });

  it("asks the school for more information; the school sees the question, answers, and the request is back in review", async () => {
    const { school, school_, officer } = await setting();
    const request = await submitted(school_, school.id);
    expect((await act(officer, request.id, "review", { version: 1 })).status).toBe(303);
    expect(requestRow(request.id).status).toBe("in_beoordeling");
    const emptyQuestion = await act(officer, request.id, "ask", { version: 2, message: "" });
    expect(emptyQuestion.status).toBe(422);
    expect(emptyQuestion.text).toContain("Schrijf uw bericht.");
    expect((await act(officer, request.id, "ask", { version: 2, message: "Waar staan de gegevens opgeslagen?" })).status).toBe(303);
    expect(requestRow(request.id).status).toBe("aanvulling_gevraagd");

    const page = await school_.agent.get(`/intake/${request.id}`);
    expect(page.text).toContain("Waar staan de gegevens opgeslagen?");
    expect(page.text).toContain(`action="/intake/${request.id}/answer"`);
    expect(page.text).not.toContain(`action="/intake/${request.id}/approve"`);
    expect((await act(school_, request.id, "answer", { version: 3, message: "In Noorwegen, binnen de EER." })).status).toBe(303);
    expect(requestRow(request.id)).toMatchObject({ status: "in_beoordeling", version: 4 });
    expect(ctx.db.select().from(intakeMessages).all().map((m) => m.body)).toEqual(["Waar staan de gegevens opgeslagen?", "In Noorwegen, binnen de EER."]);
    const officerPage = await officer.agent.get(`/intake/${request.id}`);
    expect(officerPage.text).toContain("In Noorwegen, binnen de EER.");
    expect(officerPage.text).toContain("(Schoolcontact)");
    const summaries = ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "intake_request"), eq(auditLog.entityId, request.id))).all().map((e) => e.summary);
    expect(summaries).toEqual([
      "Aanvraag voor Kahoot! ingediend",
      "Aanvraag voor Kahoot! in beoordeling genomen",
      "Aanvulling gevraagd op de aanvraag voor Kahoot!: Waar staan de gegevens opgeslagen?",
      "Aanvulling gestuurd op de aanvraag voor Kahoot!: In Noorwegen, binnen de EER.",
    ]);
    // Answering is only possible while a question is open.
    const again = await act(school_, request.id, "answer", { version: 4, message: "Nog iets" });
    expect(again.status).toBe(422);
    expect(again.text).toContain("Dit kan niet meer: de aanvraag heeft nu de status ‘In beoordeling’.");
  });

  it("answers a decision on a stale page with 409, keeps the typed reason and shows the newer status", async () => {
    const { school, school_, officer } = await setting();
    const other = await loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
    const request = await submitted(school_, school.id);
    await act(officer, request.id, "approve", { version: 1 });
    const res = await act(other, request.id, "reject", { version: 1, reason: "Te duur voor wat het doet." });
    expect(res.status).toBe(409);
    const html = decoded(res.text);
    expect(html).toContain("Tegelijk gewijzigd");
    expect(html).toMatch(/<th scope="row">Status <span class="tag">verschilt<\/span><\/th>\s*<td>Afgewezen<\/td>\s*<td>Goedgekeurd<\/td>/);
    // The typed reason is kept beside the newer decision.
    expect(html).toMatch(/<th scope="row">Toelichting bij het besluit[^]*?<td>Te duur voor wat het doet.<\/td>/);
    expect(requestRow(request.id).status).toBe("goedgekeurd");
    expect(ctx.db.select().from(applications).all()).toHaveLength(1);
  });

  it("keeps the typed reason in the form on a 409 while the request is still open, so it can be sent again", async () => {
    const { school, school_, officer } = await setting();
    const other = await loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
    const request = await submitted(school_, school.id);
    await act(officer, request.id, "review", { version: 1 });
    const stale = await act(other, request.id, "reject", { version: 1, reason: "Te duur voor wat het doet." });
    expect(stale.status).toBe(409);
    expect(stale.text).toMatch(/<textarea id="reason" name="reason"[^>]*>Te duur voor wat het doet.<\/textarea>/);
    expect(stale.text).toMatch(new RegExp(`action="/intake/${request.id}/reject"[^]*?name="version" value="2"`));
    expect(requestRow(request.id).status).toBe("in_beoordeling");
    expect((await act(other, request.id, "reject", { version: 2, reason: "Te duur voor wat het doet." })).status).toBe(303);
    expect(requestRow(request.id).status).toBe("afgewezen");
  });

  it("refuses a decision on a request that is already decided, also with its current version", async () => {
    const { school, school_, officer } = await setting();
    const request = await submitted(school_, school.id);
    await act(officer, request.id, "reject", { version: 1, reason: "Nee." });
    const res = await act(officer, request.id, "approve", { version: 2 });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Dit kan niet meer: de aanvraag heeft nu de status ‘Afgewezen’.");
    expect(ctx.db.select().from(applications).all()).toHaveLength(0);
  });

  it("lists requests with filters by status and school for the privacy officer", async () => {
    const { school, school_, officer } = await setting();
    const other = makeSchool(ctx.db, { name: "Het Kompas" });
    const otherUser = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [other.id] }));
    const first = await submitted(school_, school.id, { applicationName: "Kahoot!" });
    await submitted(otherUser, other.id, { applicationName: "ClassDojo", supplierName: "ClassDojo Inc." });
    await act(officer, first.id, "reject", { version: 1, reason: "Nee." });
    const all = await officer.agent.get("/intake");
    expect(all.text).toContain("Kahoot!");
    expect(all.text).toContain("ClassDojo");
    const open = await officer.agent.get("/intake?status=open");
    expect(open.text).not.toContain("Kahoot!");
    expect(open.text).toContain("ClassDojo");
    const bySchool = await officer.agent.get(`/intake?school=${school.id}`);
    expect(bySchool.text).toContain("Kahoot!");
    expect(bySchool.text).not.toContain("ClassDojo");
    expect((await officer.agent.get("/intake?status=afgewezen")).text).toContain("Kahoot!");
  });
});

describe("access", () => {
  it("keeps a school user to its own schools' requests: another school's request is not found, and deciding is not theirs", async () => {
    const { school, school_ } = await setting();
    const other = makeSchool(ctx.db, { name: "Het Kompas" });
    const otherUser = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [other.id] }));
    const theirs = await submitted(otherUser, other.id, { applicationName: "ClassDojo" });
    await submitted(school_, school.id, { applicationName: "Kahoot!" });
    const list = await school_.agent.get("/intake");
    expect(list.text).toContain("Kahoot!");
    expect(list.text).not.toContain("ClassDojo");
    expect((await school_.agent.get(`/intake?school=${other.id}`)).text).not.toContain("ClassDojo");
    expect((await school_.agent.get(`/intake/${theirs.id}`)).status).toBe(404);
    expect((await act(school_, theirs.id, "answer", { version: 1, message: "x" })).status).toBe(404);
    for (const action of ["review", "ask", "approve", "reject"]) {
      expect((await act(school_, theirs.id, action, { version: 1, message: "x", reason: "x" })).status).toBe(403);
    }
    // Nor can it file a request in another school's name: that school is as unknown as one that does not exist.
    const filed = await submit(school_, answers(other.id));
    expect(filed.status).toBe(422);
    expect(filed.text).toContain("Deze school bestaat niet (meer).");
    expect(requestRow(theirs.id)).toMatchObject({ status: "ingediend", version: 1 });
    expect(ctx.db.select().from(intakeRequests).all()).toHaveLength(2);
  });

  it("lets a school user request and answer, but not decide on its own request", async () => {
    const { school, school_ } = await setting();
    const own = await submitted(school_, school.id);
    for (const action of ["review", "ask", "approve", "reject"]) {
      expect((await act(school_, own.id, action, { version: 1, message: "x", reason: "x" })).status).toBe(403);
    }
    expect(requestRow(own.id).status).toBe("ingediend");
  });

  it("lets an auditor read the list and a request, but not request, decide or answer", async () => {
    const { school, school_ } = await setting();
    const request = await submitted(school_, school.id);
    const auditor = await loginAs(ctx.app, await makeUser(ctx.db, "auditor"));
    expect((await auditor.agent.get("/intake")).text).toContain("Kahoot!");
    const page = await auditor.agent.get(`/intake/${request.id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(`/intake/${request.id}/approve`);
    expect(page.text).not.toContain('href="/intake/new"');
    expect((await auditor.agent.get("/intake/new")).status).toBe(403);
    expect((await submit(auditor, answers(school.id))).status).toBe(403);
    for (const action of ["review", "ask", "answer", "approve", "reject"]) {
      expect((await act(auditor, request.id, action, { version: 1, message: "x", reason: "x" })).status).toBe(403);
    }
    expect(requestRow(request.id)).toMatchObject({ status: "ingediend", version: 1 });
  });

  it("lets the privacy officer file a request on a school's behalf", async () => {
    const { school, officer } = await setting();
    const request = await submitted(officer, school.id);
    expect(request.schoolId).toBe(school.id);
    expect((await officer.agent.get("/intake/new")).text).toContain(`<option value="${school.id}">`);
  });
});
