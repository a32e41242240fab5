// The DPIA register through HTTP: the decision and its rules, the criteria, the report as PDF, versions,
// the DPIA rules in the compliance status of the application page, and who may see what.
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import type { Agent } from "supertest";
import { auditLog, documents, dpias } from "../src/db/schema";
import { addDays, todayIso } from "../src/lib/dates";
import { buildTestApp, decoded, loginAs, makeSchool, makeUser, type TestContext } from "./helpers/app";
import { makeAgreement, makeApplication, makeClassification, measuresInPlace, processes } from "./helpers/factories";

let ctx: TestContext;
let docsDir: string;
beforeEach(() => {
  docsDir = mkdtempSync(join(tmpdir(), "ibp-dpias-"));
  ctx = buildTestApp({ documentsDir: docsDir, uploadMaxBytes: 4096 });
});
afterEach(() => {
  ctx.close();
  rmSync(docsDir, { recursive: true, force: true });
});

const today = todayIso();
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n", "latin1");
const sha256 = (content: Buffer) => createHash("sha256").update(content).digest("hex");

type Fields = Record<string, string | string[] | number | undefined>;

/** The DPIA form is multipart (it carries the report): a body built by hand, file last as the form has it. */
function post(agent: Agent, url: string, fields: Fields, file?: { filename: string; content: Buffer }) {
  const boundary = `----ibp${randomBytes(8).toString("hex")}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`));
    }
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="${file.filename}"\r\nContent-Type: application/pdf\r\n\r\n`), file.content, Buffer.from("\r\n"));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return agent.post(url).set("Content-Type", `multipart/form-data; boundary=${boundary}`).send(Buffer.concat(parts));
}

const officer = async () => loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
const errorAt = (html: string, field: string) => new RegExp(`id="${field}-error"[^>]*>(?:<span[^>]*>[^<]*</span>)?([^<]*)<`).exec(decoded(html))?.[1];

/** A completed DPIA, every field filled in. */
const completed: Fields = {
  required: "ja",
  criteria: ["grote_schaal", "kwetsbaar", "ap_gezondheidsgegevens"],
  type: "sivon",
  status: "afgerond",
  performedOn: "2026-03-01",
  residualRisk: "laag",
  nextReviewOn: "2029-03-01",
};

/**
 * An application in order on everything but its DPIA: it processes health data (a special category), its
 * agreement covers that, V is hoog and every measure is in place.
 */
function specialApplication() {
  const app = makeApplication(ctx.db, { name: "Zorgdossier Plus" });
  processes(ctx.db, app.id, ["contact", "health"]);
  makeAgreement(ctx.db, { supplierId: app.supplierId, applicationIds: [app.id], categories: ["contact", "health"], nextReviewOn: addDays(today, 90) });
  makeClassification(ctx.db, app.id, { confidentiality: "hoog", assessedOn: today, nextReviewOn: addDays(today, 365) });
  measuresInPlace(ctx.db, app.id);
  return app;
}

const statusOf = (html: string) => /Status: <span class="status status--(\w+)">/.exec(html)?.[1];

describe("the DPIA decision", () => {
  it("records a first decision with its criteria, shows it on the DPIA page and writes the audit entry", async () => {
    const app = makeApplication(ctx.db);
    const { agent, token } = await officer();
    const res = await post(agent, `/applications/${app.id}/dpia`, { _csrf: await token(), ...completed });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/applications/${app.id}/dpia`);
    const saved = ctx.db.select().from(dpias).get()!;
    expect(saved).toMatchObject({ applicationId: app.id, required: "ja", type: "sivon", status: "afgerond", performedOn: "2026-03-01", residualRisk: "laag", nextReviewOn: "2029-03-01", version: 1 });
    // Stored in the order of the lists, whatever order the form sent.
    expect(saved.criteria).toEqual(["grote_schaal", "kwetsbaar", "ap_gezondheidsgegevens"]);
    const page = decoded((await agent.get(`/applications/${app.id}/dpia`)).text);
    expect(page).toContain(`Het DPIA-besluit voor ${app.name} is opgeslagen.`);
    expect(page).toContain("<li>Verwerking op grote schaal</li><li>Kwetsbare betrokkenen</li>");
    expect(page).toContain("<li>Gezondheidsgegevens</li>");
    expect(page).toContain("2 van de 9 EDPB-criteria zijn van toepassing.");
    expect(page).toContain("een DPIA is verplicht");
    const entry = ctx.db.select().from(auditLog).where(eq(auditLog.entityType, "dpia")).get()!;
    expect(entry).toMatchObject({ action: "create", entityId: saved.id, summary: `DPIA-besluit voor ${app.name} vastgelegd` });
    expect(entry.after).toMatchObject({ required: "ja", criteria: ["grote_schaal", "kwetsbaar", "ap_gezondheidsgegevens"] });
  });

  it("shows the criteria as two groups of checkboxes with the rule of thumb, ticked as saved", async () => {
    const app = makeApplication(ctx.db);
    ctx.db.insert(dpias).values({ applicationId: app.id, required: "ja", criteria: ["monitoring", "ap_locatiegegevens"] }).run();
    const { agent } = await officer();
    const form = decoded((await agent.get(`/applications/${app.id}/dpia/edit`)).text);
    expect(form).toContain("Vuistregel: twee of meer EDPB-criteria: meestal DPIA nodig.");
    expect(form).toContain('<legend>Criteria van de EDPB</legend>');
    expect(form).toContain('<legend>Verwerkingen op de lijst van de Autoriteit Persoonsgegevens</legend>');
    expect(form.match(/name="criteria" type="checkbox"/g)).toHaveLength(9 + 17);
    expect(form).toMatch(/id="criteria-monitoring"[^>]*checked/);
    expect(form).toMatch(/id="criteria-ap_locatiegegevens"[^>]*checked/);
    expect(form).not.toMatch(/id="criteria-kwetsbaar"[^>]*checked/);
    expect(form).toContain('enctype="multipart/form-data"');
  });

  it("requires the reasoning when a DPIA is not required, keeping the input, and stores it once given", async () => {
    const app = makeApplication(ctx.db);
    const { agent, token } = await officer();
    const refused = await post(agent, `/applications/${app.id}/dpia`, { _csrf: await token(), required: "nee", criteria: ["kwetsbaar"], status: "niet_gestart" });
    expect(refused.status).toBe(422);
    expect(errorAt(refused.text, "notRequiredReasoning")).toBe("Leg uit waarom er geen DPIA nodig is. Dat besluit moet onderbouwd zijn.");
    expect(refused.text).toMatch(/<option value="nee" selected>/);
    expect(refused.text).toMatch(/id="criteria-kwetsbaar"[^>]*checked/);
    expect(ctx.db.select().from(dpias).all()).toHaveLength(0);
    const res = await post(agent, `/applications/${app.id}/dpia`, { _csrf: await token(), required: "nee", notRequiredReasoning: "Alleen namen van leraren.", status: "niet_gestart" });
    expect(res.status).toBe(303);
    expect(ctx.db.select().from(dpias).get()).toMatchObject({ required: "nee", notRequiredReasoning: "Alleen namen van leraren.", criteria: [] });
  });

  it("refuses 'not required' for a kind of processing on the regulator's list", async () => {
    const app = makeApplication(ctx.db);
    const { agent, token } = await officer();
    const res = await post(agent, `/applications/${app.id}/dpia`, { _csrf: await token(), required: "nee", notRequiredReasoning: "Kleinschalig.", criteria: "ap_cameratoezicht", status: "niet_gestart" });
    expect(res.status).toBe(422);
    expect(errorAt(res.text, "required")).toContain("Voor een verwerking op de lijst van de Autoriteit Persoonsgegevens is een DPIA altijd verplicht.");
    expect(ctx.db.select().from(dpias).all()).toHaveLength(0);
  });

  it("requires the date of a completed DPIA and refuses a date in the future", async () => {
    const app = makeApplication(ctx.db);
    const { agent, token } = await officer();
    const missing = await post(agent, `/applications/${app.id}/dpia`, { _csrf: await token(), ...completed, performedOn: "", nextReviewOn: "" });
    expect(missing.status).toBe(422);
    expect(errorAt(missing.text, "performedOn")).toBe("Vul in wanneer de DPIA is afgerond.");
    const future = await post(agent, `/applications/${app.id}/dpia`, { _csrf: await token(), ...completed, performedOn: addDays(today, 1), nextReviewOn: "" });
    expect(future.status).toBe(422);
    expect(errorAt(future.text, "performedOn")).toBe("De datum van uitvoering ligt in de toekomst.");
    expect(ctx.db.select().from(dpias).all()).toHaveLength(0);
  });

  it("refuses a next review on or before the date the DPIA was performed, and an impossible date", async () => {
    const app = makeApplication(ctx.db);
    const { agent, token } = await officer();
    const early = await post(agent, `/applications/${app.id}/dpia`, { _csrf: await token(), ...completed, nextReviewOn: "2026-03-01" });
    expect(early.status).toBe(422);
    expect(errorAt(early.text, "nextReviewOn")).toBe("De volgende herbeoordeling moet na de datum van uitvoering liggen.");
    const impossible = await post(agent, `/applications/${app.id}/dpia`, { _csrf: await token(), ...completed, nextReviewOn: "2029-02-30" });
    expect(impossible.status).toBe(422);
    expect(errorAt(impossible.text, "nextReviewOn")).toBe("Vul een bestaande datum in (dag-maand-jaar).");
    expect(ctx.db.select().from(dpias).all()).toHaveLength(0);
  });

  it("refuses a criterion that is not on either list", async () => {
    const app = makeApplication(ctx.db);
    const { agent, token } = await officer();
    const res = await post(agent, `/applications/${app.id}/dpia`, { _csrf: await token(), ...completed, criteria: ["kwetsbaar", "verzonnen"] });
    expect(res.status).toBe(422);
    expect(errorAt(res.text, "criteria")).toBe("Kies alleen criteria uit de lijst.");
    expect(ctx.db.select().from(dpias).all()).toHaveLength(0);
  });

  it("edits the decision with its version, drops a reasoning that no longer applies and shows the change in the history", async () => {
    const app = makeApplication(ctx.db);
    ctx.db.insert(dpias).values({ applicationId: app.id, required: "nee", notRequiredReasoning: "Geen leerlinggegevens.", criteria: [] }).run();
    const { agent, token } = await officer();
    const res = await post(agent, `/applications/${app.id}/dpia`, { _csrf: await token(), ...completed, notRequiredReasoning: "Geen leerlinggegevens.", version: 1 });
    expect(res.status).toBe(303);
    expect(ctx.db.select().from(dpias).get()).toMatchObject({ required: "ja", notRequiredReasoning: null, version: 2 });
    const page = decoded((await agent.get(`/applications/${app.id}/dpia`)).text);
    expect(page).toMatch(/DPIA nodig<\/span>: <del>nee<\/del> → <ins>ja<\/ins>/);
    expect(ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "dpia"), eq(auditLog.action, "update"))).all()).toHaveLength(1);
  });

  it("answers a stale edit with 409, keeps the input and shows the newer version", async () => {
    const app = makeApplication(ctx.db);
    ctx.db.insert(dpias).values({ applicationId: app.id, required: "onbekend", criteria: [] }).run();
    const a = await officer();
    const b = await officer();
    const bToken = await b.token();
    expect((await post(a.agent, `/applications/${app.id}/dpia`, { _csrf: await a.token(), ...completed, version: 1 })).status).toBe(303);
    const res = await post(b.agent, `/applications/${app.id}/dpia`, { _csrf: bToken, required: "nee", notRequiredReasoning: "Mening van B", status: "niet_gestart", version: 1 });
    expect(res.status).toBe(409);
    expect(res.text).toContain("Mening van B");
    expect(res.text).toContain('name="version" value="2"');
    expect(ctx.db.select().from(dpias).get()).toMatchObject({ required: "ja", version: 2 });
  });

  it("answers 409 when someone else recorded the first decision while the form was open", async () => {
    const app = makeApplication(ctx.db);
    const { agent, token } = await officer();
    ctx.db.insert(dpias).values({ applicationId: app.id, required: "ja", criteria: ["kwetsbaar"] }).run();
    const res = await post(agent, `/applications/${app.id}/dpia`, { _csrf: await token(), required: "nee", notRequiredReasoning: "Tweede", status: "niet_gestart" });
    expect(res.status).toBe(409);
    expect(ctx.db.select().from(dpias).all()).toHaveLength(1);
    expect(ctx.db.select().from(dpias).get()!.required).toBe("ja");
  });

  it("answers 404 for an application that does not exist", async () => {
    const { agent } = await officer();
    expect((await agent.get("/applications/9999/dpia")).status).toBe(404);
    expect((await agent.get("/applications/9999/dpia/edit")).status).toBe(404);
  });
});

describe("the DPIA report", () => {
  it("stores an uploaded PDF, shows its hash and serves the same bytes for download", async () => {
    const app = makeApplication(ctx.db);
    const { agent, token } = await officer();
    const res = await post(agent, `/applications/${app.id}/dpia`, { _csrf: await token(), ...completed }, { filename: "dpia-rapport.pdf", content: PDF });
    expect(res.status).toBe(303);
    const document = ctx.db.select().from(documents).get()!;
    expect(ctx.db.select().from(dpias).get()!.documentId).toBe(document.id);
    expect(document).toMatchObject({ sha256: sha256(PDF), originalName: "dpia-rapport.pdf" });
    const page = (await agent.get(`/applications/${app.id}/dpia`)).text;
    expect(page).toContain(sha256(PDF));
    expect(page).toContain(`href="/applications/${app.id}/dpia/document"`);
    const download = await agent.get(`/applications/${app.id}/dpia/document`).buffer(true).parse((stream, done) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => done(null, Buffer.concat(chunks)));
    });
    expect(download.status).toBe(200);
    expect(download.headers["content-type"]).toBe("application/pdf");
    expect(download.headers["content-disposition"]).toContain('filename="dpia-rapport.pdf"');
    expect(sha256(download.body as Buffer)).toBe(sha256(PDF));
  });

  it("refuses a file that is not a PDF at the field and keeps the rest of the input", async () => {
    const app = makeApplication(ctx.db);
    const { agent, token } = await officer();
    const res = await post(agent, `/applications/${app.id}/dpia`, { _csrf: await token(), ...completed }, { filename: "rapport.pdf", content: Buffer.from("GIF89a nep") });
    expect(res.status).toBe(422);
    expect(errorAt(res.text, "document")).toBe("Dit bestand is geen PDF. Kies het ondertekende document als PDF-bestand.");
    expect(res.text).toMatch(/id="criteria-kwetsbaar"[^>]*checked/);
    expect(ctx.db.select().from(dpias).all()).toHaveLength(0);
  });

  it("keeps a valid PDF when the rest of the form is refused and attaches it on the next submit", async () => {
    const app = makeApplication(ctx.db);
    const { agent, token } = await officer();
    const refused = await post(agent, `/applications/${app.id}/dpia`, { _csrf: await token(), ...completed, performedOn: "" }, { filename: "rapport.pdf", content: PDF });
    expect(refused.status).toBe(422);
    const pending = ctx.db.select().from(documents).get()!;
    expect(refused.text).toContain(`name="pendingDocumentId" value="${pending.id}"`);
    const res = await post(agent, `/applications/${app.id}/dpia`, { _csrf: await token(), ...completed, pendingDocumentId: pending.id });
    expect(res.status).toBe(303);
    expect(ctx.db.select().from(dpias).get()!.documentId).toBe(pending.id);
  });

  it("answers 404 for the report of a DPIA without one", async () => {
    const app = makeApplication(ctx.db);
    ctx.db.insert(dpias).values({ applicationId: app.id, required: "ja" }).run();
    const { agent } = await officer();
    expect((await agent.get(`/applications/${app.id}/dpia/document`)).status).toBe(404);
  });
});

describe("DPIA rules in the compliance status of the application page", () => {
  it("is red while special categories have no DPIA decision, and no longer once one is recorded", async () => {
    const app = specialApplication();
    const { agent, token } = await officer();
    const before = (await agent.get(`/applications/${app.id}`)).text;
    expect(statusOf(before)).toBe("red");
    expect(decoded(before)).toContain("er is geen besluit over een DPIA");
    expect((await post(agent, `/applications/${app.id}/dpia`, { _csrf: await token(), ...completed })).status).toBe(303);
    const after = (await agent.get(`/applications/${app.id}`)).text;
    expect(statusOf(after)).toBe("green");
    expect(decoded(after)).not.toContain("er is geen besluit over een DPIA");
  });

  it("stays red with the decision 'onbekend'", async () => {
    const app = specialApplication();
    const { agent, token } = await officer();
    await post(agent, `/applications/${app.id}/dpia`, { _csrf: await token(), required: "onbekend", status: "niet_gestart" });
    expect(statusOf((await agent.get(`/applications/${app.id}`)).text)).toBe("red");
  });

  it("is orange while a required DPIA is not completed, pointing to the DPIA section", async () => {
    const app = specialApplication();
    const { agent, token } = await officer();
    await post(agent, `/applications/${app.id}/dpia`, { _csrf: await token(), required: "ja", criteria: ["kwetsbaar", "gevoelig"], type: "eigen", status: "in_uitvoering" });
    const page = decoded((await agent.get(`/applications/${app.id}`)).text);
    expect(statusOf(page)).toBe("orange");
    expect(page).toMatch(new RegExp(`de DPIA is nog niet afgerond.\\s*<a href="/applications/${app.id}#dpia"`));
    expect(page).toContain(`href="/applications/${app.id}/dpia"`);
  });
});

describe("the DPIA list", () => {
  it("lists applications with personal data with their decision, and filters on no decision and special categories", async () => {
    const special = specialApplication();
    const decided = makeApplication(ctx.db, { name: "Besloten App" });
    ctx.db.insert(dpias).values({ applicationId: decided.id, required: "ja", criteria: ["kwetsbaar", "grote_schaal"], status: "afgerond", performedOn: "2025-01-01", nextReviewOn: "2026-01-01" }).run();
    makeApplication(ctx.db, { name: "Woordenboek", processesPersonalData: false });
    const { agent } = await officer();
    const all = decoded((await agent.get("/dpias")).text);
    expect(all).toContain("Zorgdossier Plus");
    expect(all).toContain("Besloten App");
    expect(all).not.toContain("Woordenboek");
    const row = all.slice(all.indexOf("Besloten App"), all.indexOf("</tr>", all.indexOf("Besloten App")));
    expect(row).toContain("<td>Ja</td>");
    expect(row).toContain('<td class="num">2</td>');
    expect(row).toContain('<span class="tag">te laat</span>');
    const undecided = decoded((await agent.get("/dpias?required=onbekend")).text);
    expect(undecided).toContain(`href="/applications/${special.id}/dpia"`);
    expect(undecided).not.toContain("Besloten App");
    const specialOnly = decoded((await agent.get("/dpias?special=1")).text);
    expect(specialOnly).toContain("Zorgdossier Plus");
    expect(specialOnly).not.toContain("Besloten App");
    const overdue = decoded((await agent.get("/dpias?overdue=on")).text);
    expect(overdue).toContain("Besloten App");
    expect(overdue).not.toContain("Zorgdossier Plus");
  });
});

describe("access to the DPIA register", () => {
  it("lets an auditor read the list, the page and the report, but not change anything", async () => {
    const app = makeApplication(ctx.db);
    const officerLogin = await officer();
    await post(officerLogin.agent, `/applications/${app.id}/dpia`, { _csrf: await officerLogin.token(), ...completed }, { filename: "r.pdf", content: PDF });
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "auditor"));
    expect((await agent.get("/dpias")).status).toBe(200);
    const page = await agent.get(`/applications/${app.id}/dpia`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(`/applications/${app.id}/dpia/edit`);
    expect((await agent.get(`/applications/${app.id}/dpia/document`)).status).toBe(200);
    expect((await agent.get(`/applications/${app.id}/dpia/edit`)).status).toBe(403);
    expect((await post(agent, `/applications/${app.id}/dpia`, { _csrf: await token(), ...completed, version: 1 })).status).toBe(403);
    expect(ctx.db.select().from(dpias).get()!.version).toBe(1);
  });

  it("keeps school users out of the register, also for an application of their own school", async () => {
    const school = makeSchool(ctx.db);
    const own = makeApplication(ctx.db, { schoolIds: [school.id] });
    ctx.db.insert(dpias).values({ applicationId: own.id, required: "ja", criteria: ["kwetsbaar"] }).run();
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [school.id] }));
    for (const path of ["/dpias", `/applications/${own.id}/dpia`, `/applications/${own.id}/dpia/edit`, `/applications/${own.id}/dpia/document`]) {
      expect((await agent.get(path)).status).toBe(403);
    }
    expect((await post(agent, `/applications/${own.id}/dpia`, { _csrf: await token(), ...completed, version: 1 })).status).toBe(403);
    const appPage = await agent.get(`/applications/${own.id}`);
    expect(appPage.status).toBe(200);
    expect(appPage.text).not.toContain(`href="/applications/${own.id}/dpia"`);
  });
});
