// Spreadsheet import through HTTP: upload (XLSX and CSV), the mapping step, the preview with every kind of
// row, the all-or-nothing commit with its audit entries, re-import as a no-op, and each kind of bad input.
import ExcelJS from "exceljs";
import { createHash } from "node:crypto";
import { and, eq, like } from "drizzle-orm";
import request from "supertest";
import { verifyAuditChain } from "../src/audit/audit.chain";
import {
  agreementApplications,
  agreements,
  applicationData,
  applicationFunctions,
  applications,
  applicationSchools,
  auditLog,
  imports,
  suppliers,
} from "../src/db/schema";
import { buildTestApp, csrfFrom, decoded, loginAs, makeSchool, makeUser, type TestContext } from "./helpers/app";
import { makeApplication, makeSupplier } from "./helpers/factories";
import { deflateRawSync } from "node:zlib";

// Imports of a few hundred rows go through the features' own services, row by row: seconds, not milliseconds.
jest.setTimeout(60_000);

let ctx: TestContext;
afterEach(() => ctx?.close());

type Agent = Awaited<ReturnType<typeof loginAs>>["agent"];
type CellInput = string | number | boolean | Date | null | { formula: string } | { error: string };

const HEAD = [
  "Applicatie",
  "Leverancier",
  "KvK-nummer leverancier",
  "Omschrijving",
  "Levensfase",
  "Gebruikt door leerlingen",
  "Verwerkt persoonsgegevens",
  "Land gegevensopslag",
  "Gegevens binnen de EER",
  "Doorgiftemechanisme",
  "Eenmalige kosten",
  "Licentiekosten per jaar",
  "Scholen (BRIN)",
  "Categorieën persoonsgegevens",
  "Betrokkenen",
  "FORA-functies",
];

async function xlsx(rows: CellInput[][], sheetName = "Gegevens"): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  for (const row of rows) sheet.addRow(row.map((v) => (v !== null && typeof v === "object" && "formula" in v ? { formula: v.formula, result: 0 } : v)) as ExcelJS.CellValue[]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function csv(rows: (string | number | null)[][], options: { delimiter?: string; bom?: boolean } = {}): Buffer {
  const d = options.delimiter ?? ";";
  const quote = (v: string | number | null) => {
    const s = v === null ? "" : String(v);
    return s.includes(d) || s.includes('"') || s.includes("\n") ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const text = rows.map((r) => r.map(quote).join(d)).join("\r\n");
  return Buffer.from(`${options.bom === false ? "" : "\uFEFF"}${text}\r\n`, "utf8");
}

const SUPPLIERS = ["Iddink", "Topicus", "Heutink", "Malmberg", "Noordhoff", "ThiemeMeulenhoff", "Microsoft", "Google"];

/** The world the import meets: schools, suppliers (two with a KvK number), reference data from the seed. */
function world() {
  ctx = buildTestApp();
  makeSchool(ctx.db, { name: "De Regenboog", brin: "12AB" });
  makeSchool(ctx.db, { name: "Het Baken", brin: "34CD", location: "00" });
  makeSchool(ctx.db, { name: "Het Baken, Noord", brin: "34CD", location: "01" });
  makeSchool(ctx.db, { name: "De Wegwijzer", brin: "56EF" });
  SUPPLIERS.forEach((name, i) => makeSupplier(ctx.db, { name, kvk: i < 2 ? `1000000${i}` : null }));
}

/** One application row of the "applicatieoverzicht". Values as a board would type them. */
function appRow(i: number, overrides: Partial<Record<(typeof HEAD)[number], CellInput>> = {}): CellInput[] {
  const values: Record<string, CellInput> = {
    Applicatie: `App ${i}`,
    Leverancier: SUPPLIERS[i % SUPPLIERS.length]!,
    "KvK-nummer leverancier": null,
    Omschrijving: `Omschrijving van app ${i}`,
    Levensfase: i % 5 === 0 ? "Wordt uitgefaseerd" : "in gebruik",
    "Gebruikt door leerlingen": i % 2 === 0 ? "ja" : "nee",
    "Verwerkt persoonsgegevens": "ja",
    "Land gegevensopslag": i % 7 === 0 ? "Verenigde Staten" : "Nederland",
    "Gegevens binnen de EER": i % 7 === 0 ? "nee" : "ja",
    Doorgiftemechanisme: i % 7 === 0 ? "EU-US Data Privacy Framework" : null,
    "Eenmalige kosten": i % 3 === 0 ? 1234.5 : null,
    "Licentiekosten per jaar": 100 + i,
    "Scholen (BRIN)": i % 4 === 0 ? "12AB; 34CD00" : "56EF",
    "Categorieën persoonsgegevens": i % 6 === 0 ? "Contactgegevens; progress; health" : "contact; Studievoortgang en resultaten",
    Betrokkenen: null,
    "FORA-functies": i % 2 === 0 ? "Leerlingadministratie" : "oo.rooster; Lesgeven en digitale leeromgeving",
    ...overrides,
  };
  return HEAD.map((h) => values[h] ?? null);
}

async function officer() {
  return loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
}

async function upload(agent: Agent, kind: string, content: Buffer, fileName: string, csrf?: string) {
  const token = csrf ?? csrfFrom((await agent.get("/imports")).text);
  return agent.post("/imports").field("_csrf", token).field("kind", kind).attach("file", content, fileName);
}

/** Uploads and follows to the preview (or mapping) page. */
async function preview(agent: Agent, kind: string, content: Buffer, fileName: string) {
  const res = await upload(agent, kind, content, fileName);
  expect(res.status).toBe(303);
  const location = String(res.headers.location);
  const page = await agent.get(location);
  return { location, page, id: /\/imports\/([0-9a-f]{32})/.exec(location)![1]! };
}

function countsOf(html: string) {
  const n = (label: string) => Number(new RegExp(`<dt>${label}</dt><dd>(\\d+)</dd>`).exec(html)?.[1] ?? NaN);
  return { new: n("Nieuw"), changed: n("Gewijzigd"), unchanged: n("Ongewijzigd"), wrong: n("Met fouten"), skipped: n("Lege rijen overgeslagen") };
}

const fingerprintOf = (html: string) => /name="fingerprint" value="([0-9a-f]{64})"/.exec(html)?.[1];

async function commit(agent: Agent, id: string, html: string) {
  return agent.post(`/imports/${id}/commit`).type("form").send({ _csrf: csrfFrom(html), fingerprint: fingerprintOf(html) ?? "0".repeat(64) });
}

/** A first import of 70 applications, committed: the register the big file meets. */
async function baseImport(agent: Agent) {
  const file = await xlsx([HEAD, ...Array.from({ length: 70 }, (_, k) => appRow(k + 1))]);
  const { id, page } = await preview(agent, "applications", file, "basis.xlsx");
  expect(countsOf(page.text)).toEqual({ new: 70, changed: 0, unchanged: 0, wrong: 0, skipped: 0 });
  expect((await commit(agent, id, page.text)).status).toBe(303);
}

/** The realistic file: 40 unchanged, 30 changed, 120 new, 10 wrong, and 2 empty rows in between. */
function bigFileRows(): CellInput[][] {
  const rows: CellInput[][] = [HEAD];
  // Unchanged: the same facts written differently (amounts as Dutch text, lists in another order, labels for codes).
  for (let i = 1; i <= 40; i++) {
    rows.push(
      appRow(i, {
        "Eenmalige kosten": i % 3 === 0 ? "€ 1.234,50" : null,
        "Licentiekosten per jaar": `${100 + i},00`,
        "Scholen (BRIN)": i % 4 === 0 ? "34cd00; 12ab" : "56EF",
        "Categorieën persoonsgegevens": i % 6 === 0 ? "health; Studievoortgang en resultaten; contact" : "Contactgegevens; progress",
        "Gebruikt door leerlingen": i % 2 === 0 ? "Ja" : "Nee",
        Levensfase: i % 5 === 0 ? "uitfaseren" : "In gebruik",
      }),
    );
    if (i === 20) rows.push(HEAD.map(() => null));
  }
  // Changed: a description, a licence fee, the schools, the categories.
  for (let i = 41; i <= 70; i++) {
    const kind = i % 3;
    rows.push(
      appRow(i, {
        Omschrijving: kind === 0 ? `Nieuwe omschrijving ${i}` : `Omschrijving van app ${i}`,
        "Licentiekosten per jaar": kind === 1 ? "2.500,00" : 100 + i,
        "Scholen (BRIN)": kind === 2 ? "12AB; 34CD01; 56EF" : i % 4 === 0 ? "12AB; 34CD00" : "56EF",
      }),
    );
  }
  for (let i = 71; i <= 190; i++) {
    rows.push(appRow(i));
    if (i === 150) rows.push(HEAD.map(() => null));
  }
  // Wrong, each in its own way.
  rows.push(appRow(191, { Leverancier: "Onbekend B.V." }));
  rows.push(appRow(192, { "Scholen (BRIN)": "12AB; 99ZZ" }));
  rows.push(appRow(193, { "Categorieën persoonsgegevens": "contact; schoenmaat" }));
  rows.push(appRow(194, { "KvK-nummer leverancier": "12AB" }));
  rows.push(appRow(195, { "Licentiekosten per jaar": "twaalf euro" }));
  rows.push(appRow(196, { Omschrijving: { formula: "HYPERLINK(\"http://evil\")" } }));
  rows.push(appRow(100));
  rows.push(appRow(198, { "Gegevens binnen de EER": "nee", Doorgiftemechanisme: null }));
  rows.push(appRow(199, { Levensfase: "misschien" }));
  rows.push(appRow(200, { "FORA-functies": "Koffiezetten" }));
  return rows;
}

describe("importing applications", () => {
  it("previews a realistic 200-row XLSX file: new, changed (with differences), unchanged and wrong rows with a message per cell", async () => {
    world();
    const { agent } = await officer();
    await baseImport(agent);
    const rows = bigFileRows();
    expect(rows.length - 1 - 2).toBe(200);
    const { page, location } = await preview(agent, "applications", await xlsx(rows), "applicatieoverzicht.xlsx");
    expect(page.status).toBe(200);
    expect(countsOf(page.text)).toEqual({ new: 120, changed: 30, unchanged: 40, wrong: 10, skipped: 2 });
    const text = decoded(page.text);
    // Differences per field.
    expect(text).toMatch(/Omschrijving<\/span>: <del>Omschrijving van app 42<\/del> → <ins>Nieuwe omschrijving 42<\/ins>/);
    expect(text).toMatch(/Licentiekosten per jaar<\/span>: <del>€\s?143,00<\/del> → <ins>€\s?2\.500,00<\/ins>/);
    expect(text).toContain("Het Baken, Noord (34CD01)");
    // A message per cell, at its row and column (row numbers as in the spreadsheet: header is row 1, two empty rows).
    const rowOf = (n: number) => rows.findIndex((r) => r[0] === `App ${n}`) + 1;
    expect(text).toContain(`Cel B${rowOf(191)}</strong> (Leverancier): Onbekende leverancier: Onbekend B.V.`);
    expect(text).toContain(`Cel M${rowOf(192)}</strong> (Scholen (BRIN)): Onbekende school: 99ZZ`);
    expect(text).toContain(`Cel N${rowOf(193)}</strong> (Categorieën persoonsgegevens): Onbekende categorie persoonsgegevens: schoenmaat`);
    expect(text).toContain(`Cel C${rowOf(194)}</strong> (KvK-nummer leverancier): Een KvK-nummer bestaat uit 8 cijfers.`);
    expect(text).toContain(`Cel L${rowOf(195)}</strong> (Licentiekosten per jaar): Vul een bedrag in euro's in`);
    expect(text).toContain(`Cel D${rowOf(196)}</strong> (Omschrijving): Formules worden niet geïmporteerd`);
    expect(text).toContain(`Dubbele rij: dezelfde gegevens staan ook op rij ${rowOf(100)}`);
    expect(text).toContain(`Cel J${rowOf(198)}</strong> (Doorgiftemechanisme): Gegevens buiten de EER vragen om een doorgiftemechanisme`);
    expect(text).toContain(`Cel E${rowOf(199)}</strong> (Levensfase): 'misschien' is geen geldige keuze.`);
    expect(text).toContain(`Cel P${rowOf(200)}</strong> (FORA-functies): Onbekende FORA-functie: Koffiezetten`);
    expect(text).toContain("Lege rijen overgeslagen: 22, 153.");
    // Nothing written by looking.
    expect(ctx.db.select().from(applications).all()).toHaveLength(70);
    // The filter shows only the wrong rows.
    const wrongOnly = await agent.get(`${location}?show=wrong`);
    expect((wrongOnly.text.match(/class="import-row /g) ?? []).length).toBe(10);
  });

  it("refuses to commit while rows are wrong and writes nothing", async () => {
    world();
    const { agent } = await officer();
    await baseImport(agent);
    const { id, page } = await preview(agent, "applications", await xlsx(bigFileRows()), "overzicht.xlsx");
    expect(fingerprintOf(page.text)).toBeUndefined();
    const before = ctx.db.select().from(auditLog).all().length;
    const res = await agent.post(`/imports/${id}/commit`).type("form").send({ _csrf: csrfFrom(page.text), fingerprint: "0".repeat(64) });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Er is niets geïmporteerd: het bestand bevat rijen met fouten.");
    expect(ctx.db.select().from(applications).all()).toHaveLength(70);
    expect(ctx.db.select().from(auditLog).all()).toHaveLength(before);
    expect(ctx.db.select().from(imports).all()).toHaveLength(1);
  });

  it("commits the corrected file in one transaction, with audit entries that name the import, and records the import", async () => {
    world();
    const { agent } = await officer();
    await baseImport(agent);
    const rows = bigFileRows().slice(0, -10);
    const file = await xlsx(rows);
    const { id, page } = await preview(agent, "applications", file, "overzicht.xlsx");
    expect(countsOf(page.text)).toEqual({ new: 120, changed: 30, unchanged: 40, wrong: 0, skipped: 2 });
    const res = await commit(agent, id, page.text);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/imports");
    expect(decoded((await agent.get("/imports")).text)).toContain("Import #2 is opgeslagen: 120 nieuw, 30 gewijzigd, 40 ongewijzigd.");

    expect(ctx.db.select().from(applications).all()).toHaveLength(190);
    const app42 = ctx.db.select().from(applications).where(eq(applications.name, "App 42")).get()!;
    expect(app42.description).toBe("Nieuwe omschrijving 42");
    const app43 = ctx.db.select().from(applications).where(eq(applications.name, "App 43")).get()!;
    expect(app43.costLicencePerYearCents).toBe(250000);
    const app44 = ctx.db.select().from(applications).where(eq(applications.name, "App 44")).get()!;
    expect(ctx.db.select().from(applicationSchools).where(eq(applicationSchools.applicationId, app44.id)).all()).toHaveLength(3);
    // A new one with everything: supplier, schools, data (pupils by default), functions, costs, location.
    const app77 = ctx.db.select().from(applications).where(eq(applications.name, "App 77")).get()!;
    expect(app77).toMatchObject({ dataLocationCountry: "Verenigde Staten", dataInEea: false, transferMechanism: "dpf", costLicencePerYearCents: 17700, usedByPupils: false });
    expect(ctx.db.select().from(applicationData).where(eq(applicationData.applicationId, app77.id)).all()).toHaveLength(2);
    expect(ctx.db.select().from(applicationFunctions).where(eq(applicationFunctions.applicationId, app77.id)).all()).toHaveLength(2);

    const record = ctx.db.select().from(imports).where(eq(imports.id, 2)).get()!;
    expect(record).toMatchObject({ kind: "applications", fileName: "overzicht.xlsx", counts: { new: 120, changed: 30, unchanged: 40, wrong: 0, skipped: 2 } });
    expect(record.sha256).toBe(createHash("sha256").update(file).digest("hex"));
    const created = ctx.db.select().from(auditLog).where(eq(auditLog.summary, "Import #2: applicatie App 77 aangemaakt")).get();
    expect(created).toMatchObject({ action: "create", entityType: "application", entityId: app77.id });
    expect(ctx.db.select().from(auditLog).where(eq(auditLog.summary, "Import #2: applicatie App 42 gewijzigd")).get()).toBeDefined();
    expect(ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "import"), eq(auditLog.entityId, 2))).get()!.summary).toBe(
      "Import #2: applicaties uit overzicht.xlsx (120 nieuw, 30 gewijzigd, 40 ongewijzigd)",
    );
    // Every entry this import wrote names it, and the change history's hash chain still holds.
    const entries = ctx.db.select().from(auditLog).where(like(auditLog.summary, "Import #2:%")).all();
    expect(entries.length).toBeGreaterThanOrEqual(150);
    expect(verifyAuditChain(ctx.db)).toMatchObject({ ok: true });
  });

  it("re-importing the same file finds every row unchanged, offers nothing to commit and writes nothing", async () => {
    world();
    const { agent } = await officer();
    const file = await xlsx([HEAD, ...Array.from({ length: 120 }, (_, k) => appRow(k + 1))]);
    const first = await preview(agent, "applications", file, "overzicht.xlsx");
    expect((await commit(agent, first.id, first.page.text)).status).toBe(303);
    const auditBefore = ctx.db.select().from(auditLog).all().length;

    const again = await preview(agent, "applications", file, "overzicht.xlsx");
    expect(countsOf(again.page.text)).toEqual({ new: 0, changed: 0, unchanged: 120, wrong: 0, skipped: 0 });
    expect(again.page.text).toContain("Er is niets te importeren: alle rijen staan al zo in het register.");
    expect(fingerprintOf(again.page.text)).toBeUndefined();
    expect(ctx.db.select().from(auditLog).all()).toHaveLength(auditBefore);
    expect(ctx.db.select().from(imports).all()).toHaveLength(1);
  });

  it("reads the same file as CSV (';', BOM, Dutch amounts) with the same result as the XLSX", async () => {
    world();
    const { agent } = await officer();
    await baseImport(agent);
    const rows = bigFileRows().map((row) => row.map((v) => (v !== null && typeof v === "object" && "formula" in v ? `=${v.formula}` : (v as string | number | null))));
    const { page } = await preview(agent, "applications", csv(rows), "overzicht.csv");
    expect(countsOf(page.text)).toEqual({ new: 120, changed: 30, unchanged: 40, wrong: 10, skipped: 2 });
    expect(decoded(page.text)).toContain("Formules worden niet geïmporteerd (=HYPERLINK");
  });

  it("reads CSV separated by ',' without BOM, with amounts in Dutch notation", async () => {
    world();
    const { agent } = await officer();
    const file = csv(
      [
        ["Applicatie", "Leverancier", "Eenmalige kosten", "Licentiekosten per jaar", "Scholen (BRIN)", "Categorieën persoonsgegevens"],
        ["Magister", "Iddink", "1.234,50", "€ 12.000", "12AB; 56EF", "contact; bsn"],
        ["Somtoday", "Topicus", "99,95", "1250.5", "34CD00", "Contactgegevens"],
      ],
      { delimiter: ",", bom: false },
    );
    const { id, page } = await preview(agent, "applications", file, "export.csv");
    expect(countsOf(page.text)).toMatchObject({ new: 2, wrong: 0 });
    expect((await commit(agent, id, page.text)).status).toBe(303);
    expect(ctx.db.select().from(applications).where(eq(applications.name, "Magister")).get()).toMatchObject({ costOneTimeCents: 123450, costLicencePerYearCents: 1200000 });
    expect(ctx.db.select().from(applications).where(eq(applications.name, "Somtoday")).get()).toMatchObject({ costOneTimeCents: 9995, costLicencePerYearCents: 125050 });
  });

  it("leaves a stored value as it is when its cell is empty", async () => {
    world();
    const { agent } = await officer();
    const first = await preview(agent, "applications", csv([["Applicatie", "Leverancier", "Omschrijving", "Licentiekosten per jaar"], ["Magister", "Iddink", "LAS", "100"]]), "a.csv");
    await commit(agent, first.id, first.page.text);
    const second = await preview(agent, "applications", csv([["Applicatie", "Leverancier", "Omschrijving", "Licentiekosten per jaar"], ["Magister", "Iddink", "", "200"]]), "b.csv");
    expect(countsOf(second.page.text)).toMatchObject({ changed: 1 });
    await commit(agent, second.id, second.page.text);
    expect(ctx.db.select().from(applications).get()).toMatchObject({ description: "LAS", costLicencePerYearCents: 20000 });
  });
  it("matches an application whose name differs only by a non-breaking space or spacing, not as a second one", async () => {
    world();
    const { agent } = await officer();
    const first = await preview(agent, "applications", csv([["Applicatie", "Leverancier", "Licentiekosten per jaar"], ["Microsoft 365", "Microsoft", "100"]]), "a.csv");
    await commit(agent, first.id, first.page.text);
    const second = await preview(agent, "applications", csv([["Applicatie", "Leverancier", "Licentiekosten per jaar"], ["Microsoft\u00a0 365 ", "Microsoft", "200"]]), "b.csv");
    expect(countsOf(second.page.text)).toMatchObject({ changed: 1 });
    await commit(agent, second.id, second.page.text);
    expect(ctx.db.select().from(applications).all()).toHaveLength(1);
  });
});

describe("importing suppliers and agreements", () => {
  it("matches suppliers on KvK number or name, shows the changes and refuses an invalid KvK at its cell", async () => {
    world();
    const { agent } = await officer();
    const file = csv([
      ["Naam", "KvK-nummer", "Convenant", "ISO 27001", "Website"],
      ["Iddink Learning", "10000000", "Deelnemer convenant", "ja", "https://iddink.nl"],
      ["topicus", "", "medestander", "nee", ""],
      ["Nieuw B.V.", "12345678", "geen", "x", ""],
      ["Fout B.V.", "1234", "geen", "nee", ""],
    ]);
    const { id, page } = await preview(agent, "suppliers", file, "leveranciers.csv");
    expect(countsOf(page.text)).toEqual({ new: 1, changed: 2, unchanged: 0, wrong: 1, skipped: 0 });
    const text = decoded(page.text);
    expect(text).toMatch(/Naam<\/span>: <del>Iddink<\/del> → <ins>Iddink Learning<\/ins>/);
    expect(text).toMatch(/Convenant<\/span>: <del>Geen deelname<\/del> → <ins>Medestander convenant<\/ins>/);
    expect(text).toContain("Cel B5</strong> (KvK-nummer): Een KvK-nummer bestaat uit 8 cijfers.");
    expect((await commit(agent, id, page.text)).status).toBe(422);

    const fixed = csv([
      ["Naam", "KvK-nummer", "Convenant", "ISO 27001", "Website"],
      ["Iddink Learning", "10000000", "Deelnemer convenant", "ja", "https://iddink.nl"],
      ["Nieuw B.V.", "12345678", "geen", "x", ""],
    ]);
    const second = await preview(agent, "suppliers", fixed, "leveranciers.csv");
    expect((await commit(agent, second.id, second.page.text)).status).toBe(303);
    expect(ctx.db.select().from(suppliers).where(eq(suppliers.kvk, "10000000")).get()).toMatchObject({ name: "Iddink Learning", covenantStatus: "deelnemer", certIso27001: true });
    expect(ctx.db.select().from(suppliers).where(eq(suppliers.kvk, "12345678")).get()).toMatchObject({ name: "Nieuw B.V.", certIso27001: true });
    expect(ctx.db.select().from(auditLog).where(eq(auditLog.summary, "Import #1: leverancier Nieuw B.V. aangemaakt")).get()).toBeDefined();
  });

  it("imports agreements with Dutch and ISO dates, model and status by label, and covered applications; refuses impossible dates at the cell", async () => {
    world();
    const iddink = ctx.db.select().from(suppliers).where(eq(suppliers.name, "Iddink")).get()!;
    const magister = makeApplication(ctx.db, { name: "Magister", supplierId: iddink.id });
    const { agent } = await officer();
    const head = ["Kenmerk", "Leverancier", "Model", "Status", "Ondertekend op", "Ingangsdatum", "Einddatum", "Applicaties", "Categorieën persoonsgegevens", "Meldtermijn datalek (uren)"];
    const file = await xlsx([
      head,
      ["VO-2025-01", "Iddink", "Model VO 4.0", "Ondertekend", "15-01-2025", new Date(Date.UTC(2025, 1, 1)), "2027-07-31", "Magister", "contact; progress", 48],
      ["VO-2025-02", "Iddink", "3", "concept", null, "31-02-2025", "2025-13-01", "Magister", null, null],
      ["VO-2025-03", "Iddink", "4.0", "ondertekend", null, null, null, "Magister", null, null],
      ["VO-2025-04", "Iddink", "4.0", "concept", null, null, null, "Somtoday", null, null],
    ]);
    const { id, page } = await preview(agent, "agreements", file, "vo.xlsx");
    expect(countsOf(page.text)).toMatchObject({ new: 1, wrong: 3 });
    const text = decoded(page.text);
    expect(text).toContain("Cel F3</strong> (Ingangsdatum): '31-02-2025' is geen bestaande datum.");
    expect(text).toContain("Cel G3</strong> (Einddatum): '2025-13-01' is geen bestaande datum.");
    expect(text).toContain("Cel E4</strong> (Ondertekend op): Een ondertekende overeenkomst heeft een datum van ondertekening.");
    expect(text).toContain("Cel H5</strong> (Applicaties): Onbekende applicatie: Somtoday.");
    expect((await commit(agent, id, page.text)).status).toBe(422);

    const good = await preview(agent, "agreements", await xlsx([head, ["VO-2025-01", "Iddink", "Model VO 4.0", "Ondertekend", "15-01-2025", new Date(Date.UTC(2025, 1, 1)), "2027-07-31", "Magister", "contact; progress", 48]]), "vo.xlsx");
    expect((await commit(agent, good.id, good.page.text)).status).toBe(303);
    const saved = ctx.db.select().from(agreements).get()!;
    expect(saved).toMatchObject({ reference: "VO-2025-01", model: "4.0", status: "ondertekend", signedOn: "2025-01-15", startsOn: "2025-02-01", endsOn: "2027-07-31", breachNotificationHours: 48 });
    expect(ctx.db.select().from(agreementApplications).where(eq(agreementApplications.agreementId, saved.id)).all()).toEqual([{ agreementId: saved.id, applicationId: magister.id, resellerReason: null }]);
    // Again: unchanged.
    const again = await preview(agent, "agreements", await xlsx([head, ["VO-2025-01", "Iddink", "4.0", "ondertekend", "2025-01-15", "01-02-2025", "31-07-2027", "Magister", "progress; contact", "48"]]), "vo.xlsx");
    expect(countsOf(again.page.text)).toMatchObject({ unchanged: 1, new: 0, changed: 0 });
  });
  it("matches an agreement's applications only among its own supplier's: another supplier's application is an error at the cell and stays uncovered", async () => {
    world();
    const microsoft = ctx.db.select().from(suppliers).where(eq(suppliers.name, "Microsoft")).get()!;
    const noordhoff = ctx.db.select().from(suppliers).where(eq(suppliers.name, "Noordhoff")).get()!;
    makeApplication(ctx.db, { name: "Microsoft 365", supplierId: microsoft.id });
    const studygo = makeApplication(ctx.db, { name: "StudyGo", supplierId: noordhoff.id });
    const { agent } = await officer();
    const head = ["Kenmerk", "Leverancier", "Model", "Status", "Ondertekend op", "Applicaties"];
    const { id, page } = await preview(agent, "agreements", await xlsx([head, ["VO-MS-1", "Microsoft", "eigen", "ondertekend", "2025-01-15", "Microsoft 365; StudyGo"]]), "vo.xlsx");
    expect(countsOf(page.text)).toMatchObject({ new: 0, wrong: 1 });
    expect(decoded(page.text)).toContain("Cel F2</strong> (Applicaties): Hoort bij een andere leverancier: StudyGo (van Noordhoff). Een overeenkomst van Microsoft dekt alleen applicaties van Microsoft");
    expect((await commit(agent, id, page.text)).status).toBe(422);
    expect(ctx.db.select().from(agreementApplications).where(eq(agreementApplications.applicationId, studygo.id)).all()).toEqual([]);
  });
});

describe("bad input", () => {
  it("refuses a file that is not a spreadsheet: a PDF, an image, an old .xls, a Word document", async () => {
    world();
    const { agent } = await officer();
    const pdf = await upload(agent, "applications", Buffer.from("%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n\x00\x00"), "lijst.xlsx");
    expect(pdf.status).toBe(422);
    expect(pdf.text).toContain("Dit bestand is geen spreadsheet.");
    const png = await upload(agent, "applications", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), "lijst.csv");
    expect(png.text).toContain("Dit bestand is geen spreadsheet.");
    const xls = await upload(agent, "applications", Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]), "lijst.xls");
    expect(decoded(xls.text)).toContain("Dit is een oud Excel-bestand (.xls).");
    // A ZIP that is not a workbook (e.g. a .docx).
    const workbook = await xlsx([HEAD]);
    const docx = Buffer.from(workbook.toString("latin1").replace(/xl\/workbook\.xml/g, "xl/notebook.xml"), "latin1");
    expect((await upload(agent, "applications", docx, "lijst.xlsx")).text).toContain("Dit bestand is geen spreadsheet.");
    const latin1 = Buffer.from("Applicatie;Leverancier\nCafé;Iddink\n", "latin1");
    expect(decoded((await upload(agent, "applications", latin1, "lijst.csv")).text)).toContain("niet in UTF-8 opgeslagen");
    expect(ctx.db.select().from(applications).all()).toHaveLength(0);
  });

  it("refuses a file over the upload limit with a message at the file field", async () => {
    ctx = buildTestApp({ uploadMaxBytes: 2000 });
    const { agent } = await officer();
    const big = csv([["Applicatie", "Leverancier"], ...Array.from({ length: 200 }, (_, i) => [`App ${i}`, "Iddink"])]);
    const res = await upload(agent, "applications", big, "groot.csv");
    expect(res.status).toBe(422);
    expect(res.text).toContain("Het bestand is te groot.");
    expect(res.text).toMatch(/<option value="applications" selected>/);
  });

  it("refuses a workbook that unpacks to more than 20 MB before reading it, however small the upload", async () => {
    world();
    const { agent } = await officer();
    // 2,100 different texts of 10,000 characters: some 21 MB of XML inside, a few hundred kB zipped.
    const rows = [["Applicatie", "Leverancier"], ...Array.from({ length: 1050 }, (_, i) => [`${i} ${"a".repeat(9990)}`, `${i} ${"b".repeat(9990)}`])];
    const workbook = await xlsx(rows);
    expect(workbook.length).toBeLessThan(2 * 1024 * 1024);
    const res = await upload(agent, "applications", workbook, "groot.xlsx");
    expect(res.status).toBe(422);
    expect(res.text).toContain("Dit Excel-bestand is uitgepakt te groot om te verwerken.");
  });

  it("refuses a workbook whose zip headers understate its unpacked size, by inflating it, before exceljs reads it", async () => {
    world();
    const { agent } = await officer();
    // A hand-made ZIP: every header claims 100 bytes unpacked, but the sheet inflates to 30 MB (some 30 kB packed).
    const entries = [
      { name: "[Content_Types].xml", data: Buffer.from("<Types/>") },
      { name: "xl/workbook.xml", data: Buffer.from("<workbook/>") },
      { name: "xl/worksheets/sheet1.xml", data: Buffer.alloc(30 * 1024 * 1024, "a") },
    ].map((e) => ({ name: Buffer.from(e.name), packed: deflateRawSync(e.data), crc: 0 }));
    const locals: Buffer[] = [];
    const centrals: Buffer[] = [];
    let offset = 0;
    for (const e of entries) {
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(8, 8);
      local.writeUInt32LE(e.packed.length, 18);
      local.writeUInt32LE(100, 22);
      local.writeUInt16LE(e.name.length, 26);
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(20, 4);
      central.writeUInt16LE(20, 6);
      central.writeUInt16LE(8, 10);
      central.writeUInt32LE(e.packed.length, 20);
      central.writeUInt32LE(100, 24);
      central.writeUInt16LE(e.name.length, 28);
      central.writeUInt32LE(offset, 42);
      locals.push(local, e.name, e.packed);
      centrals.push(central, e.name);
      offset += 30 + e.name.length + e.packed.length;
    }
    const directory = Buffer.concat(centrals);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(offset, 16);
    const bomb = Buffer.concat([...locals, directory, end]);
    expect(bomb.length).toBeLessThan(200 * 1024);
    const res = await upload(agent, "applications", bomb, "bom.xlsx");
    expect(res.status).toBe(422);
    expect(res.text).toContain("Dit Excel-bestand is uitgepakt te groot om te verwerken.");
  });

  it("refuses formulas: XLSX cells with a formula and CSV cells that a spreadsheet would run, at their cell", async () => {
    world();
    const { agent } = await officer();
    const x = await preview(agent, "applications", await xlsx([["Applicatie", "Leverancier", "Omschrijving", "Doel"], ["A", "Iddink", { formula: "1+1" }, { error: "#N/A" }]]), "f.xlsx");
    expect(decoded(x.page.text)).toContain("Cel C2</strong> (Omschrijving): Formules worden niet geïmporteerd (=1+1)");
    expect(decoded(x.page.text)).toContain("Cel D2</strong> (Doel): Deze cel bevat een foutwaarde (#N/A).");
    const c = await preview(
      agent,
      "applications",
      csv([["Applicatie", "Leverancier", "Omschrijving", "Licentiekosten per jaar"], ["B", "Iddink", "@SUM(A1:A2)", "-cmd|' /C calc'!A0"], ["C", "Iddink", "+31 6 1234 5678", ""]]),
      "f.csv",
    );
    const text = decoded(c.page.text);
    expect(text).toContain("Cel C2</strong> (Omschrijving): Formules worden niet geïmporteerd (@SUM(A1:A2))");
    expect(text).toContain("Cel D2</strong> (Licentiekosten per jaar): Formules worden niet geïmporteerd");
    expect(countsOf(c.page.text)).toMatchObject({ new: 1, wrong: 1 });
  });

  it("skips empty rows and says which", async () => {
    world();
    const { agent } = await officer();
    const { page } = await preview(agent, "applications", csv([["Applicatie", "Leverancier"], ["A", "Iddink"], ["", ""], ["  ", null], ["B", "Iddink"], ["", ""]]), "leeg.csv");
    expect(countsOf(page.text)).toEqual({ new: 2, changed: 0, unchanged: 0, wrong: 0, skipped: 2 });
    expect(page.text).toContain("Lege rijen overgeslagen: 3, 4.");
  });

  it("reports a duplicate row at its second occurrence, naming the first", async () => {
    world();
    const { agent } = await officer();
    const { page } = await preview(agent, "applications", csv([["Applicatie", "Leverancier"], ["Magister", "Iddink"], ["Somtoday", "Topicus"], ["magister", "iddink"]]), "dubbel.csv");
    expect(countsOf(page.text)).toMatchObject({ new: 2, wrong: 1 });
    expect(decoded(page.text)).toContain("Cel A4</strong> (Applicatie): Dubbele rij: dezelfde gegevens staan ook op rij 2.");
  });

  it("refuses an upload without a CSRF token", async () => {
    world();
    const { agent } = await officer();
    const res = await agent.post("/imports").field("kind", "applications").attach("file", csv([["Applicatie", "Leverancier"]]), "a.csv");
    expect(res.status).toBe(403);
  });

  it("asks for a kind and a file", async () => {
    world();
    const { agent } = await officer();
    const token = csrfFrom((await agent.get("/imports")).text);
    const res = await agent.post("/imports").field("_csrf", token).field("kind", "");
    expect(res.status).toBe(422);
    expect(res.text).toContain("Kies wat u importeert.");
    expect(res.text).toContain("Kies een bestand.");
  });
});

describe("the mapping step", () => {
  it("asks to map columns whose headings differ, pre-filled with the guesses, and previews with the chosen mapping", async () => {
    world();
    const { agent } = await officer();
    const file = csv([
      ["Naam pakket", "Bedrijf", "Kosten p/j", "Notitie intern"],
      ["Magister", "Iddink", "1.000", "x"],
    ]);
    const res = await upload(agent, "applications", file, "eigen.csv");
    expect(res.headers.location).toMatch(/^\/imports\/[0-9a-f]{32}\/mapping$/);
    const form = await agent.get(String(res.headers.location));
    expect(form.status).toBe(200);
    expect(decoded(form.text)).toContain("Kies nog een kolom voor: Applicatie, Leverancier.");
    expect(decoded(form.text)).toContain("Kolom A: Naam pakket");
    expect(form.text).toContain("Voorbeelden: Magister");
    // The preview is not reachable while a required field has no column.
    const id = /\/imports\/([0-9a-f]{32})/.exec(String(res.headers.location))![1]!;
    expect((await agent.get(`/imports/${id}`)).headers.location).toBe(`/imports/${id}/mapping`);

    const saved = await agent
      .post(`/imports/${id}/mapping`)
      .type("form")
      .send({ _csrf: csrfFrom(form.text), column0: "name", column1: "supplier", column2: "costLicencePerYearCents", column3: "" });
    expect(saved.status).toBe(303);
    const page = await agent.get(`/imports/${id}`);
    expect(countsOf(page.text)).toMatchObject({ new: 1, wrong: 0 });
    await commit(agent, id, page.text);
    expect(ctx.db.select().from(applications).get()).toMatchObject({ name: "Magister", costLicencePerYearCents: 100000 });
  });

  it("pre-fills known aliases and refuses a field chosen for two columns", async () => {
    world();
    const { agent } = await officer();
    const res = await upload(agent, "applications", csv([["Pakket", "Verwerker", "Onbekend"], ["Magister", "Iddink", "?"]]), "alias.csv");
    const form = await agent.get(String(res.headers.location));
    expect(form.text).toMatch(/<select id="column0"[^>]*>[\s\S]*?<option value="name" selected>/);
    expect(form.text).toMatch(/<select id="column1"[^>]*>[\s\S]*?<option value="supplier" selected>/);
    const id = /\/imports\/([0-9a-f]{32})/.exec(String(res.headers.location))![1]!;
    const refused = await agent.post(`/imports/${id}/mapping`).type("form").send({ _csrf: csrfFrom(form.text), column0: "name", column1: "supplier", column2: "name" });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("Applicatie is aan meer dan één kolom gekoppeld.");
  });

  it("needs no mapping for the template's own headings", async () => {
    world();
    const { agent } = await officer();
    for (const kind of ["applications", "suppliers", "agreements"]) {
      const template = await agent.get(`/imports/templates/${kind}.csv`);
      const res = await upload(agent, kind, Buffer.from(`${template.text}x;y;z\r\n`, "utf8"), `${kind}.csv`);
      expect(res.headers.location).toMatch(/^\/imports\/[0-9a-f]{32}$/);
    }
    // The XLSX template, filled in on its data sheet: the explanation sheet is not read.
    const binary = await agent.get("/imports/templates/suppliers.xlsx").buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on("data", (c: Buffer) => chunks.push(c));
      r.on("end", () => cb(null, Buffer.concat(chunks)));
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(binary.body as unknown as ArrayBuffer);
    workbook.getWorksheet("Gegevens")!.addRow(["Nieuwe leverancier", "87654321", "", "", "", "deelnemer", "ja", "nee", "nee", ""]);
    const filled = Buffer.from(await workbook.xlsx.writeBuffer());
    const { page } = await preview(agent, "suppliers", filled, "leveranciers.xlsx");
    expect(countsOf(page.text)).toEqual({ new: 1, changed: 0, unchanged: 0, wrong: 0, skipped: 0 });
  });
});

describe("templates, access and the kept upload", () => {
  it("offers an XLSX template with Dutch headings and an explanation sheet, and a CSV template with BOM and ';'", async () => {
    world();
    const { agent } = await officer();
    const res = await agent.get("/imports/templates/applications.xlsx").buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on("data", (c: Buffer) => chunks.push(c));
      r.on("end", () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers["content-disposition"]).toContain("ibp-sjabloon-applicaties.xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["Gegevens", "Toelichting"]);
    expect((workbook.getWorksheet("Gegevens")!.getRow(1).values as unknown[]).slice(1, 3)).toEqual(["Applicatie *", "Leverancier *"]);
    const help = workbook.getWorksheet("Toelichting")!;
    const helpText = JSON.stringify(help.getSheetValues());
    expect(helpText).toContain("Scholen (BRIN)");
    expect(helpText).toContain("Een lege cel laat de waarde in het register ongewijzigd");

    const csvRes = await agent.get("/imports/templates/agreements.csv");
    expect(csvRes.headers["content-type"]).toContain("text/csv");
    expect(csvRes.text.startsWith("\uFEFFKenmerk *;Leverancier *;")).toBe(true);
    expect((await agent.get("/imports/templates/other.csv")).status).toBe(404);
  });

  it("lets only admins and privacy officers import (school users and auditors get 403)", async () => {
    world();
    const school = makeSchool(ctx.db);
    for (const [role, status] of [["auditor", 403], ["school", 403], ["admin", 200]] as const) {
      const { agent } = await loginAs(ctx.app, await makeUser(ctx.db, role, { schoolIds: role === "school" ? [school.id] : [] }));
      expect((await agent.get("/imports")).status).toBe(status);
      expect((await agent.get("/imports/templates/applications.csv")).status).toBe(status);
    }
  });

  it("keeps an upload for its own user and session only: another user, or another session, gets 404", async () => {
    world();
    const owner = await makeUser(ctx.db, "privacy_officer");
    const { agent } = await loginAs(ctx.app, owner);
    const { location, id } = await preview(agent, "applications", csv([["Applicatie", "Leverancier"], ["A", "Iddink"]]), "a.csv");
    const other = await officer();
    expect((await other.agent.get(location)).status).toBe(404);
    const token = await other.token("/imports");
    expect((await other.agent.post(`/imports/${id}/commit`).type("form").send({ _csrf: token, fingerprint: "0".repeat(64) })).status).toBe(404);
    const sameUserOtherSession = await loginAs(ctx.app, owner);
    expect((await sameUserOtherSession.agent.get(location)).status).toBe(404);
    expect(ctx.db.select().from(applications).all()).toHaveLength(0);
  });

  it("refuses a commit with 409 and shows the new preview when the register changed since the preview", async () => {
    world();
    const { agent } = await officer();
    const first = await preview(agent, "applications", csv([["Applicatie", "Leverancier", "Omschrijving"], ["Magister", "Iddink", "LAS"]]), "a.csv");
    await commit(agent, first.id, first.page.text);
    const second = await preview(agent, "applications", csv([["Applicatie", "Leverancier", "Omschrijving"], ["Magister", "Iddink", "Leerlingadministratie"]]), "b.csv");
    // Someone edits the application in between.
    ctx.db.update(applications).set({ description: "Iets anders", version: 2 }).where(eq(applications.name, "Magister")).run();
    const res = await commit(agent, second.id, second.page.text);
    expect(res.status).toBe(409);
    expect(res.text).toContain("het register is gewijzigd sinds u het voorbeeld bekeek");
    expect(decoded(res.text)).toMatch(/<del>Iets anders<\/del> → <ins>Leerlingadministratie<\/ins>/);
    expect(ctx.db.select().from(applications).get()!.description).toBe("Iets anders");
    // Confirming the new preview works.
    expect((await commit(agent, second.id, res.text)).status).toBe(303);
    expect(ctx.db.select().from(applications).get()!.description).toBe("Leerlingadministratie");
  });

  it("cancels an upload: the preview is gone", async () => {
    world();
    const { agent } = await officer();
    const { id, page } = await preview(agent, "applications", csv([["Applicatie", "Leverancier"], ["A", "Iddink"]]), "a.csv");
    const res = await agent.post(`/imports/${id}/cancel`).type("form").send({ _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(303);
    expect((await agent.get(`/imports/${id}`)).status).toBe(404);
  });

  it("imports a board's 300 applications in one go and finds them all unchanged the next time", async () => {
    world();
    const { agent } = await officer();
    const file = await xlsx([HEAD, ...Array.from({ length: 300 }, (_, k) => appRow(k + 1))]);
    const { id, page } = await preview(agent, "applications", file, "groot.xlsx");
    expect(countsOf(page.text)).toMatchObject({ new: 300 });
    expect((await commit(agent, id, page.text)).status).toBe(303);
    expect(ctx.db.select().from(applications).all()).toHaveLength(300);
    const again = await preview(agent, "applications", file, "groot.xlsx");
    expect(countsOf(again.page.text)).toMatchObject({ unchanged: 300 });
  }, 120_000);
});

it("renders the import page without a session only as a redirect to log in", async () => {
  ctx = buildTestApp();
  const res = await request(ctx.app).get("/imports");
  expect(res.status).toBe(303);
});
