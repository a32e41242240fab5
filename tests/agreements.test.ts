// Processor agreements through HTTP: the multipart form with its lists and the signed PDF, versions,
// deletion, and who may see what. Uploads go to a temporary documents directory per test.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, asc, eq } from "drizzle-orm";
import type { Agent } from "supertest";
import {
  agreementApplications,
  agreementDataCategories,
  agreementDataSubjects,
  agreements,
  applicationData,
  applications,
  applicationSchools,
  auditLog,
  dataCategories,
  dataSubjects,
  documents,
  subProcessors,
  suppliers,
} from "../src/db/schema";
import { addDays, todayIso } from "../src/lib/dates";
import { buildTestApp, decoded, loginAs, makeSchool, makeUser, quietLogger, type TestContext } from "./helpers/app";

let ctx: TestContext;
let root: string;
let docsDir: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "ibp-agreements-"));
});
beforeEach(() => {
  docsDir = mkdtempSync(join(root, "docs-"));
  ctx = buildTestApp({ documentsDir: docsDir, uploadMaxBytes: 1024 });
});
afterEach(() => ctx.close());
afterAll(() => rmSync(root, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------
// Helpers

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n", "latin1");
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(64)]);
const sha256 = (content: Buffer) => createHash("sha256").update(content).digest("hex");

type Fields = Record<string, string | string[] | number | number[] | undefined>;
type Upload = { filename: string; content: Buffer; type?: string };

/** A multipart body built by hand, so the test controls the order of parts and the raw file name. */
function multipart(fields: Fields, file?: Upload) {
  const boundary = `----ibp${randomBytes(8).toString("hex")}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`));
    }
  }
  if (file) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="${file.filename}"\r\nContent-Type: ${file.type ?? "application/pdf"}\r\n\r\n`),
      file.content,
      Buffer.from("\r\n"),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const post = (agent: Agent, url: string, fields: Fields, file?: Upload) => {
  const { body, contentType } = multipart(fields, file);
  return agent.post(url).set("Content-Type", contentType).send(body);
};

function fixture() {
  const topicus = ctx.db.insert(suppliers).values({ name: "Topicus" }).returning().get();
  const iddink = ctx.db.insert(suppliers).values({ name: "Iddink" }).returning().get();
  const somtoday = ctx.db.insert(applications).values({ name: "Somtoday", supplierId: topicus.id }).returning().get();
  const parnassys = ctx.db.insert(applications).values({ name: "ParnasSys", supplierId: topicus.id }).returning().get();
  const studiewijzer = ctx.db.insert(applications).values({ name: "Studiewijzer", supplierId: iddink.id }).returning().get();
  const schoolA = makeSchool(ctx.db, { name: "Het Baken" });
  const schoolB = makeSchool(ctx.db, { name: "De Linde" });
  ctx.db.insert(applicationSchools).values({ applicationId: somtoday.id, schoolId: schoolA.id }).run();
  ctx.db.insert(applicationSchools).values({ applicationId: studiewijzer.id, schoolId: schoolB.id }).run();
  const category = (code: string) => ctx.db.select().from(dataCategories).where(eq(dataCategories.code, code)).get()!;
  const subject = (code: string) => ctx.db.select().from(dataSubjects).where(eq(dataSubjects.code, code)).get()!;
  return {
    topicus,
    iddink,
    somtoday,
    parnassys,
    studiewijzer,
    schoolA,
    schoolB,
    contact: category("contact"),
    health: category("health"),
    progress: category("progress"),
    pupils: subject("pupils"),
    parents: subject("parents"),
    staff: subject("staff"),
  };
}
type Fixture = ReturnType<typeof fixture>;

/** Every field of the form filled in, two sub-processors and one empty row. */
function fullForm(f: Fixture): Fields {
  return {
    reference: "VO-2025-001",
    supplierId: f.topicus.id,
    model: "4.0",
    status: "ondertekend",
    signedOn: "2025-01-15",
    startsOn: "2025-02-01",
    endsOn: "2027-01-31",
    nextReviewOn: "2026-01-15",
    signatoryName: "J. de Vries",
    signatoryRole: "Bestuurder",
    signedViaPortal: "on",
    deviations: "Artikel 7: datalekken binnen 48 uur",
    deviationsMotivation: "De leverancier kan 24 uur niet garanderen",
    annexVersion: "2.1",
    annexDate: "2024-12-01",
    breachNotificationHours: "48",
    deletionTermDays: "90",
    sivonReviewUrl: "https://www.sivon.nl/toetsing/123",
    sivonRiskLevel: "midden",
    notes: "Afgesloten via het convenant",
    applicationIds: [f.somtoday.id, f.parnassys.id],
    dataCategoryIds: [f.contact.id, f.health.id],
    dataSubjectIds: [f.pupils.id, f.parents.id],
    "subProcessors[0][name]": "Amazon Web Services",
    "subProcessors[0][service]": "Hosting",
    "subProcessors[0][country]": "Ierland",
    "subProcessors[0][inEea]": "on",
    "subProcessors[1][name]": "Twilio",
    "subProcessors[1][service]": "Sms",
    "subProcessors[1][country]": "Verenigde Staten",
    "subProcessors[2][name]": "",
    "subProcessors[2][service]": "",
    "subProcessors[2][country]": "",
    "subProcessors[2][inEea]": "on",
  };
}

const officer = async () => loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));

function addAgreement(values: Partial<typeof agreements.$inferInsert> & { supplierId: number }, applicationIds: number[] = []) {
  const row = ctx.db.insert(agreements).values({ reference: "VO-1", model: "4.0", ...values }).returning().get();
  for (const applicationId of applicationIds) ctx.db.insert(agreementApplications).values({ agreementId: row.id, applicationId }).run();
  return row;
}

/** Creates an agreement with a stored PDF through the form; returns it with its document row. */
async function createWithPdf(agent: Agent, token: string, f: Fixture, file: Upload = { filename: "vo-topicus.pdf", content: PDF }) {
  const res = await post(agent, "/agreements", { _csrf: token, ...fullForm(f) }, file);
  expect(res.status).toBe(303);
  const agreement = ctx.db.select().from(agreements).orderBy(asc(agreements.id)).all().at(-1)!;
  const document = ctx.db.select().from(documents).where(eq(documents.id, agreement.documentId!)).get()!;
  return { agreement, document };
}

/** Every file under a directory, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

const errorAt = (html: string, field: string) => new RegExp(`id="${field}-error"[^>]*>(?:<span[^>]*>[^<]*</span>)?([^<]*)<`).exec(html)?.[1];

// ---------------------------------------------------------------------------------------------

describe("creating and reading agreements", () => {
  it("creates an agreement with every field, its applications, data categories, data subjects and sub-processors, ignoring the empty row", async () => {
    const f = fixture();
    const { agent, token } = await officer();
    const res = await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f) });
    expect(res.status).toBe(303);
    const saved = ctx.db.select().from(agreements).get()!;
    expect(res.headers.location).toBe(`/agreements/${saved.id}`);
    expect(saved).toMatchObject({
      reference: "VO-2025-001",
      supplierId: f.topicus.id,
      model: "4.0",
      status: "ondertekend",
      signedOn: "2025-01-15",
      startsOn: "2025-02-01",
      endsOn: "2027-01-31",
      nextReviewOn: "2026-01-15",
      signatoryName: "J. de Vries",
      signatoryRole: "Bestuurder",
      signedViaPortal: true,
      deviations: "Artikel 7: datalekken binnen 48 uur",
      deviationsMotivation: "De leverancier kan 24 uur niet garanderen",
      annexVersion: "2.1",
      annexDate: "2024-12-01",
      breachNotificationHours: 48,
      deletionTermDays: 90,
      sivonReviewUrl: "https://www.sivon.nl/toetsing/123",
      sivonRiskLevel: "midden",
      notes: "Afgesloten via het convenant",
      documentId: null,
      supersedesId: null,
      version: 1,
    });
    const ids = <T extends { agreementId: number }>(rows: T[], key: keyof T) => rows.map((r) => r[key]).sort();
    expect(ids(ctx.db.select().from(agreementApplications).all(), "applicationId")).toEqual([f.somtoday.id, f.parnassys.id].sort());
    expect(ids(ctx.db.select().from(agreementDataCategories).all(), "dataCategoryId")).toEqual([f.contact.id, f.health.id].sort());
    expect(ids(ctx.db.select().from(agreementDataSubjects).all(), "dataSubjectId")).toEqual([f.pupils.id, f.parents.id].sort());
    expect(
      ctx.db.select({ name: subProcessors.name, service: subProcessors.service, country: subProcessors.country, inEea: subProcessors.inEea }).from(subProcessors).orderBy(asc(subProcessors.sortOrder)).all(),
    ).toEqual([
      { name: "Amazon Web Services", service: "Hosting", country: "Ierland", inEea: true },
      { name: "Twilio", service: "Sms", country: "Verenigde Staten", inEea: false },
    ]);
    const entry = ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "agreement"), eq(auditLog.action, "create"))).get()!;
    expect(entry.entityId).toBe(saved.id);
    expect(entry.after).toMatchObject({
      reference: "VO-2025-001",
      applicationIds: [f.somtoday.id, f.parnassys.id].sort((a, b) => a - b),
      dataCategoryIds: [f.contact.id, f.health.id].sort((a, b) => a - b),
      subProcessors: [expect.objectContaining({ name: "Amazon Web Services" }), expect.objectContaining({ name: "Twilio", inEea: false })],
    });
    expect((await agent.get(res.headers.location!)).text).toContain("Verwerkersovereenkomst VO-2025-001 is toegevoegd.");
  });

  it("shows every field, the covered applications, data, sub-processors, version chain and history on the agreement's page", async () => {
    const f = fixture();
    const { agent, token } = await officer();
    await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f) });
    const saved = ctx.db.select().from(agreements).get()!;
    const page = await agent.get(`/agreements/${saved.id}`);
    expect(page.status).toBe(200);
    const text = decoded(page.text);
    for (const expected of [
      `<a href="/suppliers/${f.topicus.id}">Topicus</a>`,
      "Model VO 4.0",
      "Ondertekend",
      "15-01-2025",
      "01-02-2025",
      "31-01-2027",
      "15-01-2026",
      "J. de Vries",
      "Bestuurder",
      "Ja, via de Dienst Verwerkersovereenkomsten",
      "Artikel 7: datalekken binnen 48 uur",
      "De leverancier kan 24 uur niet garanderen",
      "2.1",
      "01-12-2024",
      "48 uur",
      "90 dagen",
      'href="https://www.sivon.nl/toetsing/123"',
      "Midden",
      "Afgesloten via het convenant",
      `<a href="/applications/${f.somtoday.id}">Somtoday</a>`,
      `<a href="/applications/${f.parnassys.id}">ParnasSys</a>`,
      "Contactgegevens",
      "Medische gegevens / gezondheid en welzijn",
      "Leerlingen",
      "Ouders/verzorgers",
      "<th scope=\"row\">Amazon Web Services</th>",
      "Nee, buiten de EER",
      "Er is nog geen ondertekend document toegevoegd.",
      "deze versie",
      "Verwerkersovereenkomst VO-2025-001 aangemaakt",
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain(`/applications/${f.studiewijzer.id}`);
    expect(text.match(/<h1[ >]/g)).toHaveLength(1);
  });

  it("shows 'onbepaalde tijd' for an agreement without an end date", async () => {
    const f = fixture();
    const agreement = addAgreement({ supplierId: f.topicus.id, endsOn: null });
    const { agent } = await officer();
    expect((await agent.get(`/agreements/${agreement.id}`)).text).toContain("onbepaalde tijd");
    expect((await agent.get("/agreements")).text).toContain("onbepaalde tijd");
  });

  it("answers 404 for an agreement that does not exist", async () => {
    const { agent } = await officer();
    expect((await agent.get("/agreements/999")).status).toBe(404);
    expect((await agent.get("/agreements/abc")).status).toBe(404);
  });
});

describe("coverage per application on the agreement page", () => {
  it("warns after saving an agreement that covers no category, and not after one that does", async () => {
    const f = fixture();
    const { agent, token } = await officer();
    const bare = await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f), dataCategoryIds: undefined });
    expect(bare.status).toBe(303);
    expect(decoded((await agent.get(bare.headers.location!)).text)).toContain("Let op: deze overeenkomst dekt geen enkele categorie persoonsgegevens");
    const covered = await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f), reference: "VO-2025-002" });
    expect(covered.status).toBe(303);
    expect(decoded((await agent.get(covered.headers.location!)).text)).not.toContain("Let op: deze overeenkomst dekt geen");
  });

  it("names, per covered application, the categories it processes that the agreement does not cover", async () => {
    const f = fixture();
    const category = (code: string) => ctx.db.select().from(dataCategories).where(eq(dataCategories.code, code)).get()!;
    const pupils = ctx.db.select().from(dataSubjects).where(eq(dataSubjects.code, "pupils")).get()!;
    const agreement = addAgreement({ supplierId: f.topicus.id, status: "ondertekend" }, [f.somtoday.id, f.parnassys.id]);
    ctx.db.insert(agreementDataCategories).values({ agreementId: agreement.id, dataCategoryId: category("contact").id }).run();
    for (const code of ["contact", "health", "progress"]) {
      ctx.db.insert(applicationData).values({ applicationId: f.somtoday.id, dataCategoryId: category(code).id, dataSubjectId: pupils.id, purpose: "onderwijs" }).run();
    }
    ctx.db.insert(applicationData).values({ applicationId: f.parnassys.id, dataCategoryId: category("contact").id, dataSubjectId: pupils.id, purpose: "onderwijs" }).run();
    const { agent } = await officer();
    const html = decoded((await agent.get(`/agreements/${agreement.id}`)).text);
    const item = (name: string) => html.match(new RegExp(`<li><a href="/applications/\\d+">${name}</a>[\\s\\S]*?</li>`))![0];
    expect(item("Somtoday")).toContain(`Niet gedekt door deze overeenkomst: ${category("health").label}, ${category("progress").label}`);
    expect(item("ParnasSys")).not.toContain("Niet gedekt");
  });
});

describe("the list of agreements", () => {
  it("searches by reference and supplier name, filters by status, model and supplier, and counts covered applications", async () => {
    const f = fixture();
    addAgreement({ supplierId: f.topicus.id, reference: "TOP-100", status: "ondertekend", model: "4.0" }, [f.somtoday.id, f.parnassys.id]);
    addAgreement({ supplierId: f.iddink.id, reference: "IDD-200", status: "concept", model: "3.0" }, [f.studiewijzer.id]);
    const { agent } = await officer();
    const all = await agent.get("/agreements");
    expect(all.text).toMatch(/TOP-100[\s\S]*?<td class="num">2<\/td>/);
    expect(all.text).toMatch(/IDD-200[\s\S]*?<td class="num">1<\/td>/);
    const byReference = await agent.get("/agreements?q=top-1");
    expect(byReference.text).toContain("TOP-100");
    expect(byReference.text).not.toContain("IDD-200");
    const bySupplier = await agent.get("/agreements?q=iddink");
    expect(bySupplier.text).toContain("IDD-200");
    expect(bySupplier.text).not.toContain("TOP-100");
    expect((await agent.get("/agreements?q=%25")).text).toContain(">Niets gevonden");
    const byStatus = await agent.get("/agreements?status=concept");
    expect(byStatus.text).toContain("IDD-200");
    expect(byStatus.text).not.toContain("TOP-100");
    const byModel = await agent.get("/agreements?model=4.0");
    expect(byModel.text).toContain("TOP-100");
    expect(byModel.text).not.toContain("IDD-200");
    const bySupplierFilter = await agent.get(`/agreements?supplier=${f.iddink.id}`);
    expect(bySupplierFilter.text).toContain("IDD-200");
    expect(bySupplierFilter.text).not.toContain("TOP-100");
  });

  it("filters agreements that end within N days and those that ended or expired", async () => {
    const f = fixture();
    const today = todayIso();
    addAgreement({ supplierId: f.topicus.id, reference: "SOON", status: "ondertekend", startsOn: "2020-01-01", endsOn: addDays(today, 30) });
    addAgreement({ supplierId: f.topicus.id, reference: "LATER", status: "ondertekend", startsOn: "2020-01-01", endsOn: addDays(today, 200) });
    addAgreement({ supplierId: f.topicus.id, reference: "PAST", status: "ondertekend", startsOn: "2020-01-01", endsOn: addDays(today, -1) });
    addAgreement({ supplierId: f.topicus.id, reference: "ENDED", status: "beeindigd", startsOn: "2020-01-01" });
    addAgreement({ supplierId: f.topicus.id, reference: "OPEN", status: "ondertekend", startsOn: "2020-01-01" });
    const { agent } = await officer();
    const soon = await agent.get("/agreements?ends=90");
    expect(soon.text).toContain(">SOON<");
    for (const other of ["LATER", "PAST", "ENDED", "OPEN"]) expect(soon.text).not.toContain(`>${other}<`);
    expect((await agent.get("/agreements?ends=365")).text).toContain(">LATER<");
    const expired = await agent.get("/agreements?expired=1");
    expect(expired.text).toContain(">PAST<");
    expect(expired.text).toContain(">ENDED<");
    for (const other of ["SOON", "LATER", "OPEN"]) expect(expired.text).not.toContain(`>${other}<`);
    expect(expired.text).toContain("einddatum verstreken");
  });

  it("sorts by each column and paginates by 50", async () => {
    const f = fixture();
    for (let i = 1; i <= 55; i++) {
      addAgreement({
        supplierId: i % 2 ? f.topicus.id : f.iddink.id,
        reference: `REF-${String(i).padStart(2, "0")}`,
        startsOn: `2020-01-${String((i % 28) + 1).padStart(2, "0")}`,
        endsOn: i === 7 ? null : `2030-${String((i % 12) + 1).padStart(2, "0")}-01`,
      });
    }
    const { agent } = await officer();
    const first = await agent.get("/agreements");
    expect(first.text).toContain("1–50 van 55");
    expect(decoded(first.text)).toContain('href="/agreements?sort=reference&dir=asc&page=2" rel="next"');
    const second = await agent.get("/agreements?page=2");
    expect(second.text).toContain("REF-55");
    expect(second.text).not.toContain("REF-01<");
    const desc = await agent.get("/agreements?sort=reference&dir=desc");
    expect(desc.text.indexOf("REF-55")).toBeLessThan(desc.text.indexOf("REF-54"));
    expect(desc.text).toContain('aria-sort="descending"');
    // Open-ended sorts as ending last.
    const byEnd = await agent.get("/agreements?sort=ends&dir=desc");
    expect(byEnd.text.indexOf(">REF-07<")).toBeLessThan(byEnd.text.indexOf(">REF-11<"));
    for (const sort of ["supplier", "model", "status", "starts", "ends", "nextReview"]) {
      const res = await agent.get(`/agreements?sort=${sort}&dir=asc`);
      expect(res.status).toBe(200);
      expect(decoded(res.text)).toContain(`href="/agreements?sort=${sort}&dir=desc"`);
    }
    const bySupplier = await agent.get("/agreements?sort=supplier&dir=asc");
    expect(bySupplier.text.indexOf("Iddink</td>")).toBeLessThan(bySupplier.text.indexOf("Topicus</td>"));
  });
});

describe("the agreement form", () => {
  it("renders one form with all fields, applications grouped by supplier and an upload field, as multipart", async () => {
    const f = fixture();
    const { agent } = await officer();
    const page = await agent.get("/agreements/new");
    expect(page.status).toBe(200);
    expect(page.text).toContain('enctype="multipart/form-data"');
    expect(page.text).toMatch(/<legend>Iddink<\/legend>[\s\S]*Studiewijzer[\s\S]*<legend>Topicus<\/legend>[\s\S]*Somtoday/);
    expect(page.text).toContain('name="document" type="file"');
    expect(page.text).toContain('name="subProcessors[1][name]"');
    expect(page.text).toContain(`id="dataCategoryIds-${f.health.id}"`);
    expect(page.text).toContain(`id="dataSubjectIds-${f.pupils.id}"`);
    expect(page.text).toContain('name="addRow"');
    // No supplier or model is chosen for the user.
    expect(page.text).toMatch(/<select id="supplierId"[^>]*>\s*<option value="">Kies…<\/option>/);
    expect(page.text).toMatch(/<select id="model"[^>]*>\s*<option value="">Kies…<\/option>/);
    expect(page.text).not.toMatch(/<option value="[^"]+" selected>(Iddink|Topicus|Model VO)/);
    // The file input is the last field (a too-large file stops the parser there).
    const names = [...page.text.matchAll(/ name="([^"]+)"/g)].map((m) => m[1]);
    expect(names.at(-1)).toBe("document");
  });

  it("preselects the supplier and the application from ?supplierId= and ?applicationId=", async () => {
    const f = fixture();
    const { agent } = await officer();
    const bySupplier = await agent.get(`/agreements/new?supplierId=${f.iddink.id}`);
    expect(bySupplier.text).toContain(`<option value="${f.iddink.id}" selected>Iddink</option>`);
    const byApplication = await agent.get(`/agreements/new?applicationId=${f.parnassys.id}`);
    expect(byApplication.text).toMatch(new RegExp(`id="applicationIds-${f.parnassys.id}"[^>]*checked`));
    expect(byApplication.text).not.toMatch(new RegExp(`id="applicationIds-${f.somtoday.id}"[^>]*checked`));
    expect(byApplication.text).toContain(`<option value="${f.topicus.id}" selected>Topicus</option>`);
  });

  it("adds an empty sub-processor row with 'Rij toevoegen', keeps the input and saves nothing", async () => {
    const f = fixture();
    const { agent, token } = await officer();
    const res = await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f), addRow: "1" });
    expect(res.status).toBe(200);
    expect(res.text).toContain('name="subProcessors[3][name]"');
    expect(res.text).not.toContain('name="subProcessors[4][name]"');
    expect(res.text).toContain('value="Amazon Web Services"');
    expect(res.text).toContain('value="VO-2025-001"');
    expect(res.text).not.toContain('id="reference-error"');
    expect(ctx.db.select().from(agreements).all()).toHaveLength(0);
    expect(ctx.db.select().from(subProcessors).all()).toHaveLength(0);
  });

  it("leaves out a sub-processor row ticked 'Verwijderen'", async () => {
    const f = fixture();
    const { agent, token } = await officer();
    const res = await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f), "subProcessors[0][remove]": "on" });
    expect(res.status).toBe(303);
    expect(ctx.db.select({ name: subProcessors.name }).from(subProcessors).all()).toEqual([{ name: "Twilio" }]);
  });

  it("keeps every typed value, ticked checkbox and sub-processor row when the form is refused", async () => {
    const f = fixture();
    const { agent, token } = await officer();
    const res = await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f), reference: "" });
    expect(res.status).toBe(422);
    const html = res.text;
    expect(errorAt(html, "reference")).toBe("Vul dit veld in.");
    for (const value of ["2025-01-15", "2025-02-01", "2027-01-31", "2026-01-15", "J. de Vries", "Bestuurder", "2.1", "2024-12-01", "48", "90", "https://www.sivon.nl/toetsing/123", "Amazon Web Services", "Hosting", "Ierland", "Twilio", "Sms", "Verenigde Staten"]) {
      expect(html).toContain(`value="${value}"`);
    }
    expect(html).toContain("Artikel 7: datalekken binnen 48 uur</textarea>");
    expect(html).toContain("De leverancier kan 24 uur niet garanderen</textarea>");
    expect(html).toContain("Afgesloten via het convenant</textarea>");
    expect(html).toContain(`<option value="${f.topicus.id}" selected>Topicus</option>`);
    expect(html).toContain('<option value="4.0" selected>');
    expect(html).toContain('<option value="ondertekend" selected>');
    expect(html).toContain('<option value="midden" selected>');
    expect(html).toMatch(/id="signedViaPortal"[^>]*checked/);
    for (const id of [`applicationIds-${f.somtoday.id}`, `applicationIds-${f.parnassys.id}`, `dataCategoryIds-${f.contact.id}`, `dataCategoryIds-${f.health.id}`, `dataSubjectIds-${f.pupils.id}`, `dataSubjectIds-${f.parents.id}`]) {
      expect(html).toMatch(new RegExp(`id="${id}"[^>]*checked`));
    }
    for (const id of [`applicationIds-${f.studiewijzer.id}`, `dataCategoryIds-${f.progress.id}`, `dataSubjectIds-${f.staff.id}`]) {
      expect(html).not.toMatch(new RegExp(`id="${id}"[^>]*checked`));
    }
    expect(html).toMatch(/id="sp-0-inEea"[^>]*checked/);
    expect(html).not.toMatch(/id="sp-1-inEea"[^>]*checked/);
    expect(html).toMatch(/id="sp-2-inEea"[^>]*checked/);
    expect(ctx.db.select().from(agreements).all()).toHaveLength(0);
  });
});

describe("covering another supplier's application (a reseller)", () => {
  const REASON = "Topicus verkoopt Studiewijzer door als wederverkoper; de overeenkomst dekt de verwerking door Iddink";

  it("offers a reason field only at applications of another supplier than the agreement's", async () => {
    const f = fixture();
    const { agent } = await officer();
    const page = await agent.get(`/agreements/new?supplierId=${f.topicus.id}`);
    expect(page.text).toContain(`name="resellerReason-${f.studiewijzer.id}"`);
    expect(page.text).not.toContain(`name="resellerReason-${f.somtoday.id}"`);
    expect(page.text).not.toContain(`name="resellerReason-${f.parnassys.id}"`);
    expect(decoded(page.text)).toContain("Iddink is niet de leverancier van deze overeenkomst");
    // Before a supplier is chosen no application is "another supplier's".
    expect((await agent.get("/agreements/new")).text).not.toContain('name="resellerReason-');
  });

  it("refuses with 422 an agreement that covers another supplier's application without a reason, with the message at that application's reason field and the input kept", async () => {
    const f = fixture();
    const { agent, token } = await officer();
    const res = await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f), applicationIds: [f.somtoday.id, f.studiewijzer.id] });
    expect(res.status).toBe(422);
    expect(decoded(errorAt(res.text, `resellerReason-${f.studiewijzer.id}`) ?? "")).toBe(
      "Studiewijzer is van Iddink, niet van de leverancier van deze overeenkomst. Vul in waarom deze overeenkomst de applicatie toch dekt (bijvoorbeeld als wederverkoper), of vink haar uit.",
    );
    expect(res.text).toMatch(new RegExp(`<details class="reseller-reason" open>[\\s\\S]*?id="resellerReason-${f.studiewijzer.id}"`));
    expect(res.text).toMatch(new RegExp(`id="applicationIds-${f.studiewijzer.id}"[^>]*checked`));
    expect(res.text).toContain('value="VO-2025-001"');
    expect(ctx.db.select().from(agreements).all()).toHaveLength(0);
    expect(ctx.db.select().from(agreementApplications).all()).toHaveLength(0);
  });

  it("refuses a blank reason for another supplier's application, also when the supplier was changed after the form was drawn", async () => {
    const f = fixture();
    const { agent, token } = await officer();
    // The form was drawn for Iddink (no reason field at Studiewijzer); the user then chose Topicus and saved.
    const res = await post(agent, "/agreements", {
      _csrf: await token(),
      ...fullForm(f),
      applicationIds: [f.studiewijzer.id],
      [`resellerReason-${f.studiewijzer.id}`]: "   ",
    });
    expect(res.status).toBe(422);
    expect(errorAt(res.text, `resellerReason-${f.studiewijzer.id}`)).toBeDefined();
    expect(ctx.db.select().from(agreements).all()).toHaveLength(0);
  });

  it("saves the reason with the covered application, shows it on the agreement's and the application's page and records it in the history", async () => {
    const f = fixture();
    const { agent, token } = await officer();
    const res = await post(agent, "/agreements", {
      _csrf: await token(),
      ...fullForm(f),
      applicationIds: [f.somtoday.id, f.studiewijzer.id],
      [`resellerReason-${f.studiewijzer.id}`]: REASON,
      // A reason typed at the supplier's own application is not kept: it needs none.
      [`resellerReason-${f.somtoday.id}`]: "overbodig",
    });
    expect(res.status).toBe(303);
    const saved = ctx.db.select().from(agreements).get()!;
    expect(ctx.db.select().from(agreementApplications).orderBy(asc(agreementApplications.applicationId)).all()).toEqual(
      [
        { agreementId: saved.id, applicationId: f.somtoday.id, resellerReason: null },
        { agreementId: saved.id, applicationId: f.studiewijzer.id, resellerReason: REASON },
      ].sort((a, b) => a.applicationId - b.applicationId),
    );
    const agreementPage = decoded((await agent.get(`/agreements/${saved.id}`)).text);
    expect(agreementPage).toMatch(new RegExp(`Studiewijzer</a> \\(Iddink[\\s\\S]*?gedekt via wederverkoper: ${REASON}`));
    expect(agreementPage).toContain(`Gedekt via wederverkoper</span>`);
    expect(agreementPage).toContain(`Studiewijzer (Iddink): ${REASON}`);
    const applicationPage = decoded((await agent.get(`/applications/${f.studiewijzer.id}`)).text);
    expect(applicationPage).toContain(`gedekt via wederverkoper: ${REASON}`);
    expect(decoded((await agent.get(`/applications/${f.somtoday.id}`)).text)).not.toContain("gedekt via wederverkoper");
    const entry = ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "agreement"), eq(auditLog.action, "create"))).get()!;
    expect(entry.after).toMatchObject({ resellerReasons: [`Studiewijzer (Iddink): ${REASON}`] });

    // The edit form holds the reason; saving it unchanged keeps it.
    const form = await agent.get(`/agreements/${saved.id}/edit`);
    expect(decoded(form.text)).toContain(`value="${REASON}"`);
    const again = await post(agent, `/agreements/${saved.id}`, {
      _csrf: await token(),
      ...fullForm(f),
      applicationIds: [f.somtoday.id, f.studiewijzer.id],
      [`resellerReason-${f.studiewijzer.id}`]: REASON,
      version: "1",
    });
    expect(again.status).toBe(303);
    expect(ctx.db.select().from(agreementApplications).where(eq(agreementApplications.applicationId, f.studiewijzer.id)).get()?.resellerReason).toBe(REASON);
  });
});

describe("validation", () => {
  it("requires a reference, supplier, model and status, with a Dutch message at each field", async () => {
    fixture();
    const { agent, token } = await officer();
    const res = await post(agent, "/agreements", { _csrf: await token(), reference: " ", supplierId: "", model: "", status: "" });
    expect(res.status).toBe(422);
    expect(errorAt(res.text, "reference")).toBe("Vul dit veld in.");
    expect(errorAt(res.text, "supplierId")).toBe("Kies een leverancier.");
    expect(errorAt(res.text, "model")).toBe("Vul dit veld in.");
    expect(errorAt(res.text, "status")).toBe("Vul dit veld in.");
    expect(ctx.db.select().from(agreements).all()).toHaveLength(0);
  });

  it("refuses a supplier that does not exist", async () => {
    const f = fixture();
    const { agent, token } = await officer();
    const res = await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f), supplierId: "9999" });
    expect(res.status).toBe(422);
    expect(errorAt(res.text, "supplierId")).toBe("Kies een leverancier.");
  });

  const cases: { rule: string; change: (f: Fixture) => Fields; field: string; message: string }[] = [
    { rule: "an impossible date", change: () => ({ startsOn: "2025-02-30" }), field: "startsOn", message: "Vul een bestaande datum in (dag-maand-jaar)." },
    { rule: "text as a date", change: () => ({ nextReviewOn: "volgend jaar" }), field: "nextReviewOn", message: "Vul een bestaande datum in (dag-maand-jaar)." },
    { rule: "an end date before the start date", change: () => ({ startsOn: "2025-02-01", endsOn: "2025-01-31" }), field: "endsOn", message: "De einddatum ligt vóór de ingangsdatum." },
    { rule: "a signed date in the future", change: () => ({ signedOn: addDays(todayIso(), 1) }), field: "signedOn", message: "De datum van ondertekening kan niet in de toekomst liggen." },
    { rule: "status ondertekend without a signed date", change: () => ({ signedOn: "" }), field: "signedOn", message: "Een ondertekende overeenkomst heeft een datum van ondertekening." },
    { rule: "negative breach notification hours", change: () => ({ breachNotificationHours: "-1" }), field: "breachNotificationHours", message: "Vul een heel getal in van 0 of meer." },
    { rule: "a fraction of an hour", change: () => ({ breachNotificationHours: "1,5" }), field: "breachNotificationHours", message: "Vul een heel getal in van 0 of meer." },
    { rule: "negative deletion days", change: () => ({ deletionTermDays: "-30" }), field: "deletionTermDays", message: "Vul een heel getal in van 0 of meer." },
    { rule: "text as deletion days", change: () => ({ deletionTermDays: "dertig" }), field: "deletionTermDays", message: "Vul een heel getal in van 0 of meer." },
    { rule: "a SIVON link that is not a URL", change: () => ({ sivonReviewUrl: "sivon toetsing" }), field: "sivonReviewUrl", message: "Vul een volledig webadres in, beginnend met https://." },
    { rule: "a javascript: SIVON link", change: () => ({ sivonReviewUrl: "javascript:alert(1)" }), field: "sivonReviewUrl", message: "Vul een volledig webadres in, beginnend met https://." },
    { rule: "deviations without a motivation", change: () => ({ deviationsMotivation: "" }), field: "deviationsMotivation", message: "Afwijkingen van het model mogen alleen gemotiveerd: vul de motivering in." },
    { rule: "an unknown model", change: () => ({ model: "5.0" }), field: "model", message: "Kies een van de mogelijkheden." },
    { rule: "a sub-processor row without a name", change: () => ({ "subProcessors[1][name]": "" }), field: "sp-1-name", message: "Vul de naam van de subverwerker in, of maak de rij leeg." },
  ];

  it.each(cases)("refuses $rule with 422 and a message at the field, saving nothing", async ({ change, field, message }) => {
    const f = fixture();
    const { agent, token } = await officer();
    const res = await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f), ...change(f) });
    expect(res.status).toBe(422);
    expect(errorAt(res.text, field)).toBe(message);
    expect(res.text).toContain("Het formulier bevat fouten.");
    expect(ctx.db.select().from(agreements).all()).toHaveLength(0);
  });

  it("accepts zero hours and zero days, an open end and no SIVON link", async () => {
    const f = fixture();
    const { agent, token } = await officer();
    const res = await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f), breachNotificationHours: "0", deletionTermDays: "0", endsOn: "", sivonReviewUrl: "", sivonRiskLevel: "" });
    expect(res.status).toBe(303);
    expect(ctx.db.select().from(agreements).get()).toMatchObject({ breachNotificationHours: 0, deletionTermDays: 0, endsOn: null, sivonReviewUrl: null, sivonRiskLevel: null });
  });

  it("shows the rule messages together with the required-field messages", async () => {
    const f = fixture();
    const { agent, token } = await officer();
    const res = await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f), reference: "", startsOn: "2025-02-01", endsOn: "2025-01-01" });
    expect(errorAt(res.text, "reference")).toBe("Vul dit veld in.");
    expect(errorAt(res.text, "endsOn")).toBe("De einddatum ligt vóór de ingangsdatum.");
  });
});

describe("editing agreements", () => {
  it("edits an agreement, replaces its lists and records the lists before and after in the audit entry", async () => {
    const f = fixture();
    const { agent, token } = await officer();
    await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f) });
    const saved = ctx.db.select().from(agreements).get()!;
    const form = await agent.get(`/agreements/${saved.id}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="Amazon Web Services"');
    expect(form.text).toMatch(new RegExp(`id="applicationIds-${f.somtoday.id}"[^>]*checked`));
    expect(form.text).toContain('name="subProcessors[3][name]"'); // two saved rows plus two empty ones
    const edited: Fields = {
      ...fullForm(f),
      reference: "VO-2025-001a",
      supplierId: f.iddink.id,
      applicationIds: [f.studiewijzer.id],
      dataCategoryIds: [f.progress.id],
      dataSubjectIds: [f.staff.id],
      "subProcessors[0][remove]": "on",
      "subProcessors[2][name]": "Mailgun",
      "subProcessors[2][country]": "Duitsland",
      version: "1",
    };
    const res = await post(agent, `/agreements/${saved.id}`, { _csrf: await token(), ...edited });
    expect(res.status).toBe(303);
    expect(ctx.db.select().from(agreements).get()).toMatchObject({ reference: "VO-2025-001a", version: 2 });
    expect(ctx.db.select().from(agreementApplications).all()).toEqual([{ agreementId: saved.id, applicationId: f.studiewijzer.id, resellerReason: null }]);
    expect(ctx.db.select().from(agreementDataCategories).all()).toEqual([{ agreementId: saved.id, dataCategoryId: f.progress.id }]);
    expect(ctx.db.select().from(agreementDataSubjects).all()).toEqual([{ agreementId: saved.id, dataSubjectId: f.staff.id }]);
    expect(ctx.db.select({ name: subProcessors.name }).from(subProcessors).orderBy(asc(subProcessors.sortOrder)).all()).toEqual([{ name: "Twilio" }, { name: "Mailgun" }]);
    const entry = ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "agreement"), eq(auditLog.action, "update"))).get()!;
    expect(entry.before).toMatchObject({
      reference: "VO-2025-001",
      applicationIds: [f.somtoday.id, f.parnassys.id].sort((a, b) => a - b),
      dataCategoryIds: [f.contact.id, f.health.id].sort((a, b) => a - b),
      dataSubjectIds: [f.pupils.id, f.parents.id].sort((a, b) => a - b),
      subProcessors: [expect.objectContaining({ name: "Amazon Web Services" }), expect.objectContaining({ name: "Twilio" })],
    });
    expect(entry.after).toMatchObject({
      reference: "VO-2025-001a",
      applicationIds: [f.studiewijzer.id],
      dataCategoryIds: [f.progress.id],
      dataSubjectIds: [f.staff.id],
      subProcessors: [expect.objectContaining({ name: "Twilio" }), { name: "Mailgun", service: null, country: "Duitsland", inEea: true }],
    });
    const page = await agent.get(`/agreements/${saved.id}`);
    expect(page.text).toMatch(/Kenmerk<\/span>: <del>VO-2025-001<\/del> → <ins>VO-2025-001a<\/ins>/);
    expect(page.text).toContain("Subverwerkers</span>");
  });

  it("answers a stale edit with 409, keeps the input and shows the newer version", async () => {
    const f = fixture();
    const agreement = addAgreement({ supplierId: f.topicus.id, reference: "ORIGINEEL", status: "concept" });
    const a = await officer();
    const b = await officer();
    const bToken = await b.token(`/agreements/${agreement.id}/edit`);
    const base = { ...fullForm(f), status: "concept", version: "1" };
    expect((await post(a.agent, `/agreements/${agreement.id}`, { _csrf: await a.token(), ...base, reference: "VAN A" })).status).toBe(303);
    const res = await post(b.agent, `/agreements/${agreement.id}`, { _csrf: bToken, ...base, reference: "VAN B", "subProcessors[0][name]": "Alleen bij B" });
    expect(res.status).toBe(409);
    expect(res.text).toContain("Tegelijk gewijzigd");
    expect(res.text).toContain('value="VAN B"');
    expect(res.text).toContain('value="Alleen bij B"');
    expect(res.text).toMatch(/<td>VAN A<\/td>/);
    expect(res.text).toContain('name="version" value="2"');
    expect(ctx.db.select().from(agreements).get()!.reference).toBe("VAN A");
    expect(ctx.db.select({ name: subProcessors.name }).from(subProcessors).all().map((r) => r.name)).not.toContain("Alleen bij B");
  });
});

describe("deleting agreements", () => {
  it("deletes a concept after confirmation and keeps its lists in the audit entry", async () => {
    const f = fixture();
    const agreement = addAgreement({ supplierId: f.topicus.id, reference: "WEG", status: "concept" }, [f.somtoday.id]);
    const { agent, token } = await officer();
    const confirm = await agent.get(`/agreements/${agreement.id}/delete`);
    expect(confirm.text).toContain("definitief wilt verwijderen");
    const res = await agent.post(`/agreements/${agreement.id}/delete`).type("form").send({ version: 1, _csrf: await token() });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/agreements");
    expect(ctx.db.select().from(agreements).all()).toHaveLength(0);
    expect(ctx.db.select().from(agreementApplications).all()).toHaveLength(0);
    const entry = ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "agreement"), eq(auditLog.action, "delete"))).get()!;
    expect(entry.before).toMatchObject({ reference: "WEG", applicationIds: [f.somtoday.id] });
  });

  it("refuses to delete an agreement that is not a concept, with 409 and a clear message", async () => {
    const f = fixture();
    const agreement = addAgreement({ supplierId: f.topicus.id, reference: "GETEKEND", status: "ondertekend", signedOn: "2024-01-01" });
    const { agent, token } = await officer();
    const confirm = await agent.get(`/agreements/${agreement.id}/delete`);
    expect(confirm.text).toContain("alleen een concept kan weg, en deze heeft de status Ondertekend");
    expect(confirm.text).not.toContain("Ja, definitief verwijderen");
    expect((await agent.get(`/agreements/${agreement.id}`)).text).not.toContain(`/agreements/${agreement.id}/delete`);
    const res = await agent.post(`/agreements/${agreement.id}/delete`).type("form").send({ version: 1, _csrf: await token() });
    expect(res.status).toBe(409);
    expect(res.text).toContain("Deze overeenkomst kan niet worden verwijderd");
    expect(ctx.db.select().from(agreements).all()).toHaveLength(1);
  });

  it("refuses to delete a concept that a newer version supersedes", async () => {
    const f = fixture();
    const old = addAgreement({ supplierId: f.topicus.id, reference: "OUD", status: "concept" });
    addAgreement({ supplierId: f.topicus.id, reference: "NIEUW", status: "concept", supersedesId: old.id });
    const { agent, token } = await officer();
    const res = await agent.post(`/agreements/${old.id}/delete`).type("form").send({ version: 1, _csrf: await token() });
    expect(res.status).toBe(409);
    expect(res.text).toContain("de nieuwere versie NIEUW verwijst ernaar");
    expect(ctx.db.select().from(agreements).all()).toHaveLength(2);
  });
});

describe("new versions", () => {
  it("opens 'Nieuwe versie' prefilled from the agreement, as a concept without dates", async () => {
    const f = fixture();
    const { agent, token } = await officer();
    await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f) });
    const old = ctx.db.select().from(agreements).get()!;
    expect((await agent.get(`/agreements/${old.id}`)).text).toContain(`href="/agreements/${old.id}/new-version"`);
    const form = await agent.get(`/agreements/${old.id}/new-version`);
    expect(form.status).toBe(200);
    const html = form.text;
    expect(html).toContain(`name="supersedesId" value="${old.id}"`);
    expect(html).toContain('action="/agreements"');
    expect(html).toContain(`<option value="${f.topicus.id}" selected>Topicus</option>`);
    expect(html).toContain('<option value="concept" selected>');
    expect(html).toMatch(new RegExp(`id="applicationIds-${f.somtoday.id}"[^>]*checked`));
    expect(html).toMatch(new RegExp(`id="dataCategoryIds-${f.health.id}"[^>]*checked`));
    expect(html).toMatch(new RegExp(`id="dataSubjectIds-${f.parents.id}"[^>]*checked`));
    expect(html).toContain('value="Amazon Web Services"');
    for (const date of ["signedOn", "startsOn", "endsOn", "nextReviewOn"]) expect(html).toContain(`id="${date}" name="${date}" type="date" value=""`);
  });

  it("saving a signed new version ends the signed agreement it supersedes, with its own audit entry, and links both ways", async () => {
    const f = fixture();
    const { agent, token } = await officer();
    await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f) });
    const old = ctx.db.select().from(agreements).get()!;
    const res = await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f), reference: "VO-2026-001", signedOn: todayIso(), supersedesId: old.id });
    expect(res.status).toBe(303);
    const fresh = ctx.db.select().from(agreements).where(eq(agreements.reference, "VO-2026-001")).get()!;
    expect(fresh).toMatchObject({ supersedesId: old.id, status: "ondertekend" });
    expect(ctx.db.select().from(agreements).where(eq(agreements.id, old.id)).get()).toMatchObject({ status: "beeindigd", version: 2 });
    const endEntry = ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "agreement"), eq(auditLog.entityId, old.id), eq(auditLog.action, "update"))).get()!;
    expect(endEntry.before).toMatchObject({ status: "ondertekend" });
    expect(endEntry.after).toMatchObject({ status: "beeindigd" });
    expect(endEntry.summary).toContain("vervangen door VO-2026-001");
    const oldPage = decoded((await agent.get(`/agreements/${old.id}`)).text);
    expect(oldPage).toContain(`<a href="/agreements/${fresh.id}">VO-2026-001</a>`);
    expect(oldPage).not.toContain(`/agreements/${old.id}/new-version`);
    const newPage = decoded((await agent.get(`/agreements/${fresh.id}`)).text);
    expect(newPage).toContain(`<a href="/agreements/${old.id}">VO-2025-001</a>`);
  });

  it("keeps the superseded agreement signed while the new version is only a concept", async () => {
    const f = fixture();
    const old = addAgreement({ supplierId: f.topicus.id, reference: "OUD", status: "ondertekend", signedOn: "2024-01-01" });
    const { agent, token } = await officer();
    const res = await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f), status: "concept", supersedesId: old.id });
    expect(res.status).toBe(303);
    expect(ctx.db.select().from(agreements).where(eq(agreements.id, old.id)).get()!.status).toBe("ondertekend");
    // Signing the new version later, by an edit, ends the old one then.
    const fresh = ctx.db.select().from(agreements).where(eq(agreements.supersedesId, old.id)).get()!;
    expect((await post(agent, `/agreements/${fresh.id}`, { _csrf: await token(), ...fullForm(f), version: "1" })).status).toBe(303);
    expect(ctx.db.select().from(agreements).where(eq(agreements.id, old.id)).get()!.status).toBe("beeindigd");
  });

  it("refuses a second new version of an agreement that already has one", async () => {
    const f = fixture();
    const old = addAgreement({ supplierId: f.topicus.id, reference: "OUD", status: "ondertekend", signedOn: "2024-01-01" });
    addAgreement({ supplierId: f.topicus.id, reference: "NIEUW", status: "concept", supersedesId: old.id });
    const { agent, token } = await officer();
    const res = await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f), status: "concept", supersedesId: old.id });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Van deze overeenkomst bestaat al een nieuwere versie: NIEUW.");
    expect(ctx.db.select().from(agreements).all()).toHaveLength(2);
    const form = await agent.get(`/agreements/${old.id}/new-version`);
    expect(form.status).toBe(303);
    expect(form.headers.location).toBe(`/agreements/${old.id + 1}`);
  });
});

describe("the signed document", () => {
  it("stores an uploaded PDF at its content-hash path, records its SHA-256 and serves the same bytes", async () => {
    const f = fixture();
    const { agent, token } = await officer();
    const { agreement, document } = await createWithPdf(agent, await token(), f);
    const hash = sha256(PDF);
    expect(document).toMatchObject({ sha256: hash, sizeBytes: PDF.length, mimeType: "application/pdf", originalName: "vo-topicus.pdf" });
    expect(filesUnder(docsDir)).toEqual([join(hash.slice(0, 2), hash)]);
    expect(sha256(readFileSync(join(docsDir, hash.slice(0, 2), hash)))).toBe(document.sha256);
    const download = await agent.get(`/agreements/${agreement.id}/document`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => done(null, Buffer.concat(chunks)));
    });
    expect(download.status).toBe(200);
    expect(download.headers["content-type"]).toBe("application/pdf");
    expect(download.headers["content-disposition"]).toBe(`attachment; filename="vo-topicus.pdf"; filename*=UTF-8''vo-topicus.pdf`);
    expect(download.headers["x-content-type-options"]).toBe("nosniff");
    expect(sha256(download.body as Buffer)).toBe(hash);
    const uploadEntry = ctx.db.select().from(auditLog).where(eq(auditLog.entityType, "document")).get()!;
    expect(uploadEntry).toMatchObject({ action: "create", entityId: document.id });
    const page = await agent.get(`/agreements/${agreement.id}`);
    expect(page.text).toContain(hash);
    expect(page.text).toContain("vo-topicus.pdf");
    expect(page.text).toContain(`href="/agreements/${agreement.id}/document"`);
    expect(page.text).toMatch(/privacy_officer \d+/);
  });

  it("refuses a PNG renamed to x.pdf with type application/pdf with 422 at the field, keeps the input and stores nothing", async () => {
    const f = fixture();
    const { agent, token } = await officer();
    const res = await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f) }, { filename: "x.pdf", content: PNG, type: "application/pdf" });
    expect(res.status).toBe(422);
    expect(errorAt(res.text, "document")).toBe("Dit bestand is geen PDF. Kies het ondertekende document als PDF-bestand.");
    expect(res.text).toContain('value="VO-2025-001"');
    expect(res.text).toContain('value="Amazon Web Services"');
    expect(ctx.db.select().from(agreements).all()).toHaveLength(0);
    expect(ctx.db.select().from(documents).all()).toHaveLength(0);
    expect(filesUnder(docsDir)).toEqual([]);
  });

  it("refuses a file over the upload limit with 422 at the field, keeps the input and stores nothing", async () => {
    const f = fixture();
    const { agent, token } = await officer();
    const big = Buffer.concat([PDF, Buffer.alloc(2048, 0x20)]);
    const res = await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f) }, { filename: "groot.pdf", content: big });
    expect(res.status).toBe(422);
    expect(errorAt(res.text, "document")).toBe("Dit bestand is te groot. Het maximum is 1 kB.");
    expect(res.text).toContain('value="VO-2025-001"');
    expect(res.text).toMatch(new RegExp(`id="applicationIds-${f.somtoday.id}"[^>]*checked`));
    expect(ctx.db.select().from(agreements).all()).toHaveLength(0);
    expect(ctx.db.select().from(documents).all()).toHaveLength(0);
    expect(filesUnder(docsDir)).toEqual([]);
  });

  it.each([
    ["../../etc/passwd.pdf", "passwd.pdf"],
    ["..\\\\..\\\\x.pdf", "x.pdf"],
    ["/tmp/evil.pdf", "evil.pdf"],
  ])("stores the path-like file name %s only as the sanitised name %s and writes nothing outside documentsDir", async (filename, stored) => {
    const f = fixture();
    const { agent, token } = await officer();
    const before = readdirSync(root).sort();
    const { agreement, document } = await createWithPdf(agent, await token(), f, { filename, content: PDF });
    expect(document.originalName).toBe(stored);
    expect(readdirSync(root).sort()).toEqual(before);
    const hash = sha256(PDF);
    expect(filesUnder(docsDir)).toEqual([join(hash.slice(0, 2), hash)]);
    expect(existsSync(join(root, "etc"))).toBe(false);
    const download = await agent.get(`/agreements/${agreement.id}/document`);
    expect(download.headers["content-disposition"]).toContain(`filename="${stored}"`);
  });

  it("keeps a valid PDF when the rest of the form is refused, and attaches it on the next submit without a new upload", async () => {
    const f = fixture();
    const { agent, token } = await officer();
    const refused = await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f), reference: "" }, { filename: "getekend.pdf", content: PDF });
    expect(refused.status).toBe(422);
    const pending = ctx.db.select().from(documents).get()!;
    expect(refused.text).toContain(`name="pendingDocumentId" value="${pending.id}"`);
    expect(refused.text).toContain("Het bestand getekend.pdf");
    const res = await post(agent, "/agreements", { _csrf: await token(), ...fullForm(f), pendingDocumentId: pending.id });
    expect(res.status).toBe(303);
    expect(ctx.db.select().from(agreements).get()!.documentId).toBe(pending.id);
    expect(ctx.db.select().from(documents).all()).toHaveLength(1);
  });

  it("refuses a pendingDocumentId of another user or of a document that is already attached", async () => {
    const f = fixture();
    const first = await officer();
    const { document: attached } = await createWithPdf(first.agent, await first.token(), f);
    await post(first.agent, "/agreements", { _csrf: await first.token(), ...fullForm(f), reference: "" }, { filename: "ander.pdf", content: Buffer.concat([PDF, Buffer.from("%ander")]) });
    const othersPending = ctx.db.select().from(documents).all().at(-1)!;
    expect(othersPending.id).not.toBe(attached.id);
    const second = await officer();
    for (const id of [attached.id, othersPending.id]) {
      const res = await post(second.agent, "/agreements", { _csrf: await second.token(), ...fullForm(f), reference: "STEEL", pendingDocumentId: id });
      expect(res.status).toBe(422);
      expect(errorAt(res.text, "document")).toBe("Dit document kan niet worden gebruikt. Kies het bestand opnieuw.");
      expect(res.text).not.toContain(`name="pendingDocumentId"`);
    }
    expect(ctx.db.select().from(agreements).where(eq(agreements.reference, "STEEL")).all()).toHaveLength(0);
  });

  it("replaces the document of an agreement on edit and keeps it when no new file is chosen", async () => {
    const f = fixture();
    const { agent, token } = await officer();
    const { agreement, document } = await createWithPdf(agent, await token(), f);
    const kept = await post(agent, `/agreements/${agreement.id}`, { _csrf: await token(), ...fullForm(f), notes: "bijgewerkt", version: "1" });
    expect(kept.status).toBe(303);
    expect(ctx.db.select().from(agreements).get()!.documentId).toBe(document.id);
    const second = Buffer.concat([PDF, Buffer.from("% versie 2\n")]);
    const replaced = await post(agent, `/agreements/${agreement.id}`, { _csrf: await token(), ...fullForm(f), version: "2" }, { filename: "v2.pdf", content: second });
    expect(replaced.status).toBe(303);
    const now = ctx.db.select().from(agreements).get()!;
    expect(now.documentId).not.toBe(document.id);
    expect(ctx.db.select().from(documents).where(eq(documents.id, now.documentId!)).get()!.sha256).toBe(sha256(second));
  });

  it("refuses a multipart POST without the CSRF token with 403 and stores nothing", async () => {
    const f = fixture();
    const { agent } = await officer();
    const res = await post(agent, "/agreements", fullForm(f), { filename: "x.pdf", content: PDF });
    expect(res.status).toBe(403);
    expect(res.text).toContain("Formulier verlopen");
    const wrong = await post(agent, "/agreements", { _csrf: "0".repeat(64), ...fullForm(f) }, { filename: "x.pdf", content: PDF });
    expect(wrong.status).toBe(403);
    expect(ctx.db.select().from(agreements).all()).toHaveLength(0);
    expect(ctx.db.select().from(documents).all()).toHaveLength(0);
    expect(filesUnder(docsDir)).toEqual([]);
  });

  it("refuses to serve a document whose file was altered on disk, with 500, a logged error and a Dutch message", async () => {
    const f = fixture();
    const { agent, token } = await officer();
    const { agreement, document } = await createWithPdf(agent, await token(), f);
    writeFileSync(join(docsDir, document.sha256.slice(0, 2), document.sha256), Buffer.concat([PDF, Buffer.from("% ingevoegd\n")]));
    const logged = jest.spyOn(quietLogger, "error");
    try {
      const res = await agent.get(`/agreements/${agreement.id}/document`);
      expect(res.status).toBe(500);
      expect(res.headers["content-type"]).toContain("text/html");
      expect(res.text).toContain("Het opgeslagen bestand komt niet meer overeen met het document dat is geüpload");
      expect(logged).toHaveBeenCalledWith(expect.stringContaining(`wijkt af van de vastgelegde ${document.sha256}`));
    } finally {
      logged.mockRestore();
    }
  });

  it("answers 404 for the document of an agreement without one", async () => {
    const f = fixture();
    const agreement = addAgreement({ supplierId: f.topicus.id });
    const { agent } = await officer();
    expect((await agent.get(`/agreements/${agreement.id}/document`)).status).toBe(404);
  });
});

describe("access", () => {
  it("lets an auditor read the list, the page and the document, but change nothing", async () => {
    const f = fixture();
    const writer = await officer();
    const { agreement } = await createWithPdf(writer.agent, await writer.token(), f);
    const auditor = await loginAs(ctx.app, await makeUser(ctx.db, "auditor"));
    expect((await auditor.agent.get("/agreements")).text).toContain("VO-2025-001");
    const page = await auditor.agent.get(`/agreements/${agreement.id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(`/agreements/${agreement.id}/edit`);
    expect(page.text).not.toContain("/agreements/new");
    expect((await auditor.agent.get(`/agreements/${agreement.id}/document`)).status).toBe(200);
    expect((await auditor.agent.get("/agreements/new")).status).toBe(403);
    expect((await auditor.agent.get(`/agreements/${agreement.id}/edit`)).status).toBe(403);
    expect((await auditor.agent.get(`/agreements/${agreement.id}/new-version`)).status).toBe(403);
    const token = await auditor.token();
    expect((await post(auditor.agent, "/agreements", { _csrf: token, ...fullForm(f) })).status).toBe(403);
    expect((await post(auditor.agent, `/agreements/${agreement.id}`, { _csrf: token, ...fullForm(f), version: "1" })).status).toBe(403);
    expect((await auditor.agent.post(`/agreements/${agreement.id}/delete`).type("form").send({ version: 1, _csrf: token })).status).toBe(403);
    expect(ctx.db.select().from(agreements).all()).toHaveLength(1);
  });

  it("lets an admin create and edit agreements", async () => {
    const f = fixture();
    const admin = await loginAs(ctx.app, await makeUser(ctx.db, "admin"));
    expect((await post(admin.agent, "/agreements", { _csrf: await admin.token(), ...fullForm(f) })).status).toBe(303);
    const saved = ctx.db.select().from(agreements).get()!;
    expect((await post(admin.agent, `/agreements/${saved.id}`, { _csrf: await admin.token(), ...fullForm(f), version: "1" })).status).toBe(303);
  });

  it("shows a school user only the agreements of applications their schools use, and answers any other id as not found", async () => {
    const f = fixture();
    const writer = await officer();
    const { agreement: ours } = await createWithPdf(writer.agent, await writer.token(), f); // covers Somtoday (school A) and ParnasSys
    const theirs = addAgreement({ supplierId: f.iddink.id, reference: "IDD-ANDER", documentId: ours.documentId }, [f.studiewijzer.id]);
    const uncovered = addAgreement({ supplierId: f.topicus.id, reference: "ZONDER-APP" });
    const school = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [f.schoolA.id] }));

    const home = await school.agent.get("/").redirects(1);
    expect(home.text).toContain('href="/agreements"');
    const list = await school.agent.get("/agreements");
    expect(list.status).toBe(200);
    expect(list.text).toContain("VO-2025-001");
    expect(list.text).not.toContain("IDD-ANDER");
    expect(list.text).not.toContain("ZONDER-APP");
    expect(list.text).not.toContain(">Iddink<"); // not even as a filter option
    expect(list.text).toMatch(/VO-2025-001[\s\S]*?<td class="num">1<\/td>/); // only their own application counted

    const page = await school.agent.get(`/agreements/${ours.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Somtoday");
    expect(page.text).not.toContain("ParnasSys");
    expect(page.text).not.toContain("Wijzigingshistorie");
    expect(page.text).not.toContain(`/agreements/${ours.id}/edit`);
    expect((await school.agent.get(`/agreements/${ours.id}/document`)).status).toBe(200);

    for (const id of [theirs.id, uncovered.id, 9999]) {
      expect((await school.agent.get(`/agreements/${id}`)).status).toBe(404);
      expect((await school.agent.get(`/agreements/${id}/document`)).status).toBe(404);
    }
    expect((await school.agent.get(`/agreements?q=IDD`)).text).not.toContain("IDD-ANDER");
    expect((await school.agent.get("/agreements/new")).status).toBe(403);
    expect((await school.agent.get(`/agreements/${ours.id}/edit`)).status).toBe(403);
    expect((await post(school.agent, `/agreements/${ours.id}`, { _csrf: await school.token(), ...fullForm(f), version: "1" })).status).toBe(403);
  });

  it("shows a school user without schools no agreements", async () => {
    const f = fixture();
    const agreement = addAgreement({ supplierId: f.topicus.id, reference: "VO-X" }, [f.somtoday.id]);
    const school = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [] }));
    expect((await school.agent.get("/agreements")).text).not.toContain("VO-X");
    expect((await school.agent.get(`/agreements/${agreement.id}`)).status).toBe(404);
  });

  it("sends a visitor who is not logged in to the log-in page", async () => {
    const f = fixture();
    const agreement = addAgreement({ supplierId: f.topicus.id });
    const request = (await import("supertest")).default;
    for (const path of ["/agreements", `/agreements/${agreement.id}`, `/agreements/${agreement.id}/document`]) {
      const res = await request(ctx.app).get(path);
      expect(res.status).toBe(303);
      expect(res.headers.location).toContain("/login");
    }
  });
});
