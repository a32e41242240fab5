import { eq } from "drizzle-orm";
import { applicationMeasures, applications, auditLog, classifications, securityMeasures } from "../src/db/schema";
import { proposeLevels } from "../src/classifications/classifications.questions";
import { todayIso, addMonths } from "../src/lib/dates";
import { buildTestApp, loginAs, makeUser, type TestContext } from "./helpers/app";
import { makeApplication, makeClassification, processes } from "./helpers/factories";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

const officer = async () => loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
const today = todayIso();
const answers = { downtime: "dag", errors: "schade", leak: "beperkt", special: "nee", scale: "groot" };
const form = (extra: Record<string, unknown> = {}) => ({
  basedOn: 0,
  ...answers,
  availability: "midden",
  integrity: "hoog",
  confidentiality: "midden",
  rationale: "Cijfers moeten kloppen; uitval van een dag is te overbruggen.",
  reason: "eerste",
  assessedOn: today,
  nextReviewOn: addMonths(today, 12),
  ...extra,
});

describe("proposing levels", () => {
  it("takes B and I from their questions and V from the worst of leak, special data, scale and the data categories", () => {
    expect(proposeLevels({ downtime: "uren", errors: "acceptabel", leak: "geen", special: "nee", scale: "klein" })).toEqual({ availability: "hoog", integrity: "laag", confidentiality: "laag" });
    expect(proposeLevels({ leak: "geen", special: "nee", scale: "groot" }).confidentiality).toBe("midden");
    expect(proposeLevels({ leak: "beperkt", special: "ja", scale: "klein" }).confidentiality).toBe("hoog");
    expect(proposeLevels({ leak: "geen", special: "nee", scale: "klein" }, "hoog").confidentiality).toBe("hoog");
  });
});

describe("classifying an application", () => {
  it("records a classification with who and when, keeps the earlier one, and shows both on the application", async () => {
    const app = makeApplication(ctx.db);
    const earlier = makeClassification(ctx.db, app.id, { assessedOn: "2025-01-10", nextReviewOn: "2026-01-10" });
    const { agent, token } = await officer();
    const res = await agent.post(`/applications/${app.id}/classification`).type("form").send({ ...form({ basedOn: earlier.id, reason: "jaarlijks" }), _csrf: await token() });
    expect(res.status).toBe(303);
    const rows = ctx.db.select().from(classifications).all();
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ availability: "midden", integrity: "hoog", confidentiality: "midden", proposedConfidentiality: "midden", assessedOn: today, reason: "jaarlijks" });
    expect(rows[1]!.assessorName).toMatch(/privacy_officer/);
    expect(rows[1]!.answers).toEqual(answers);
    const page = await agent.get(`/applications/${app.id}`);
    expect(page.text).toContain("Eerdere classificaties");
    expect(page.text).toContain("10-01-2025");
    expect(ctx.db.select().from(auditLog).where(eq(auditLog.entityType, "classification")).all()).toHaveLength(1);
  });

  it("proposes levels from the answers without saving", async () => {
    const app = makeApplication(ctx.db);
    processes(ctx.db, app.id, ["bsn"]);
    const { agent, token } = await officer();
    const res = await agent
      .post(`/applications/${app.id}/classification`)
      .type("form")
      .send({ basedOn: 0, ...answers, propose: "1", rationale: "concept", _csrf: await token() });
    expect(res.status).toBe(200);
    expect(res.text).toContain("Voorstel op basis van de antwoorden");
    expect(res.text).toMatch(/V Hoog/);
    expect(res.text).toContain("BSN / persoonsgebonden nummer (PGN)");
    expect(res.text).toContain("concept");
    expect(ctx.db.select().from(classifications).all()).toHaveLength(0);
  });

  it("warns in the form when V is below what the data imply, and saves only after explicit confirmation", async () => {
    const app = makeApplication(ctx.db);
    processes(ctx.db, app.id, ["health"]);
    const { agent, token } = await officer();
    const warned = await agent.post(`/applications/${app.id}/classification`).type("form").send({ ...form(), _csrf: await token() });
    expect(warned.status).toBe(422);
    expect(warned.text).toContain("Deze vertrouwelijkheid is lager dan de verwerkte gegevens vragen (Hoog: Medische gegevens / gezondheid en welzijn).");
    expect(warned.text).toContain("acknowledgeLowConfidentiality");
    expect(ctx.db.select().from(classifications).all()).toHaveLength(0);
    const confirmed = await agent
      .post(`/applications/${app.id}/classification`)
      .type("form")
      .send({ ...form(), acknowledgeLowConfidentiality: "on", _csrf: await token() });
    expect(confirmed.status).toBe(303);
    expect((await agent.get(`/applications/${app.id}`)).text).toContain("is lager dan de verwerkte gegevens vragen");
  });

  it("refuses unanswered questions, a missing rationale and a review date before the assessment, keeping the answers", async () => {
    const app = makeApplication(ctx.db);
    const { agent, token } = await officer();
    const res = await agent
      .post(`/applications/${app.id}/classification`)
      .type("form")
      .send({ ...form({ downtime: undefined, rationale: "", nextReviewOn: "2020-01-01" }), _csrf: await token() });
    expect(res.status).toBe(422);
    expect(res.text).toContain('id="downtime-error"');
    expect(res.text).toContain("Beantwoord deze vraag.");
    expect(res.text).toContain('id="rationale-error"');
    expect(res.text).toContain("De volgende beoordeling ligt na de datum van deze beoordeling.");
    expect(res.text).toMatch(/id="errors-schade"[^>]*checked/);
  });

  it("answers 409 when someone else classified the application after the form was opened", async () => {
    const app = makeApplication(ctx.db);
    const { agent, token } = await officer();
    makeClassification(ctx.db, app.id, { confidentiality: "hoog", rationale: "Door een collega" });
    const res = await agent.post(`/applications/${app.id}/classification`).type("form").send({ ...form({ basedOn: 0 }), _csrf: await token() });
    expect(res.status).toBe(409);
    expect(res.text).toContain("Door een collega");
    expect(res.text).toContain("Cijfers moeten kloppen");
    expect(ctx.db.select().from(classifications).all()).toHaveLength(1);
  });
});

describe("measures in place", () => {
  it("records per measure whether it is in place, and the application page counts what is missing", async () => {
    const app = makeApplication(ctx.db);
    makeClassification(ctx.db, app.id, { availability: "laag", integrity: "laag", confidentiality: "midden" });
    const roles = ctx.db.select().from(securityMeasures).where(eq(securityMeasures.code, "v.rollen")).get()!;
    const tls = ctx.db.select().from(securityMeasures).where(eq(securityMeasures.code, "v.tls")).get()!;
    const { agent, token } = await officer();
    expect((await agent.get(`/applications/${app.id}`)).text).toContain("2 vereiste maatregel(en) niet (volledig) aanwezig.");
    const res = await agent
      .post(`/applications/${app.id}/measures`)
      .type("form")
      .send(`_csrf=${encodeURIComponent(await token())}&version=1&rows[k${roles.id}][status]=aanwezig&rows[k${tls.id}][status]=gedeeltelijk&rows[k${tls.id}][note]=Alleen+web`);
    expect(res.status).toBe(303);
    const recorded = ctx.db.select().from(applicationMeasures).all();
    expect(recorded.map((r) => [r.measureId, r.status, r.note])).toEqual([
      [roles.id, "aanwezig", null],
      [tls.id, "gedeeltelijk", "Alleen web"],
    ]);
    expect(ctx.db.select().from(applications).get()!.version).toBe(2);
    expect((await agent.get(`/applications/${app.id}`)).text).toContain("1 vereiste maatregel(en) niet (volledig) aanwezig.");
  });

  it("refuses a stale measures form with 409", async () => {
    const app = makeApplication(ctx.db);
    makeClassification(ctx.db, app.id);
    const { agent, token } = await officer();
    ctx.db.update(applications).set({ version: 2 }).run();
    const res = await agent.post(`/applications/${app.id}/measures`).type("form").send({ version: 1, _csrf: await token() });
    expect(res.status).toBe(409);
  });

  it("keeps the classification and measures forms from auditors and school users", async () => {
    const app = makeApplication(ctx.db);
    for (const role of ["auditor", "school"] as const) {
      const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, role));
      expect((await agent.get(`/applications/${app.id}/classification`)).status).toBe(403);
      expect((await agent.post(`/applications/${app.id}/classification`).type("form").send({ ...form(), _csrf: await token() })).status).toBe(403);
      expect((await agent.post(`/applications/${app.id}/measures`).type("form").send({ version: 1, _csrf: await token() })).status).toBe(403);
    }
  });
});
