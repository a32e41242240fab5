// The reports an auditor downloads: each read back as a spreadsheet, a CSV file or a PDF and checked against the
// database, with its provenance, its hashes and the download log; who may have which report; bad input.
import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
import { eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { evaluateApplications, statusLabel } from "../src/compliance/compliance.service";
import type { Role } from "../src/db/enums";
import { auditLog, board, breaches, dpias, reportDownloads, retentionRules, subProcessors } from "../src/db/schema";
import { labelOf } from "../src/i18n";
import { addDays, todayIso } from "../src/lib/dates";
import { formatDate } from "../src/lib/format";
import { amsterdamMidnight } from "../src/lib/amsterdam";
import { buildTestApp, download, loginAs, makeSchool, makeUser, type TestContext } from "./helpers/app";
import { makeAgreement, makeApplication, makeClassification, makeSupplier, processes } from "./helpers/factories";
import { pdfText } from "./helpers/pdf";
import { hashPassword } from "../src/auth/passwords";
import { seedDemoBoard } from "../src/demo/demo-board";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

type Agent = Awaited<ReturnType<typeof loginAs>>["agent"];
const as = async (role: Role, schoolIds?: number[]) => (await loginAs(ctx.app, await makeUser(ctx.db, role, { schoolIds }))).agent;
const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const today = todayIso();

async function workbook(bytes: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}
/** A sheet's rows as arrays of cell values (row 1 is the header). */
function sheetRows(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}
/** The Verantwoording sheet as label → value (rows with an empty label continue the one above). */
function provenanceOf(sheet: ExcelJS.Worksheet): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  let last = "";
  sheet.eachRow((row) => {
    const [label, value] = (row.values as unknown[]).slice(1);
    if (typeof label === "string" && label !== "") last = label;
    if (value !== undefined) (out[last] ??= []).push(value);
  });
  return out;
}
const csvRows = (bytes: Buffer): string[][] => parse(bytes.toString("utf8"), { delimiter: ";", bom: true, relax_column_count: false }) as string[][];

/** A small board with one application of each colour, an agreement with every exception, a DPIA and breaches. */
function register() {
  ctx.db.update(board).set({ dpoName: "Mr. F.G. de Waard", dpoEmail: "fg@bestuur.example", kvk: "12345678" }).where(eq(board.id, 1)).run();
  const north = makeSchool(ctx.db, { name: "De Noorderzon" });
  const south = makeSchool(ctx.db, { name: "De Zuiderzon" });
  const topicus = makeSupplier(ctx.db, { name: "Topicus" });
  const lvs = makeApplication(ctx.db, {
    name: "Leerlingvolgsysteem",
    supplierId: topicus.id,
    schoolIds: [north.id],
    goal: "De ontwikkeling van leerlingen volgen",
    costLicencePerYearCents: 123_450,
    dataInEea: false,
    dataLocationCountry: "Verenigde Staten",
    transferMechanism: "scc",
  });
  processes(ctx.db, lvs.id, ["contact", "health"]);
  const agreement = makeAgreement(ctx.db, { supplierId: topicus.id, reference: "VO-LVS", model: "2.0", applicationIds: [lvs.id], categories: ["contact"], endsOn: addDays(today, 30) });
  ctx.db.insert(subProcessors).values({ agreementId: agreement.id, name: "Amazon Web Services", service: "hosting", country: "Verenigde Staten", inEea: false }).run();
  makeClassification(ctx.db, lvs.id, { confidentiality: "hoog", assessorName: "P. Officer" });

  const mail = makeApplication(ctx.db, { name: '=HYPERLINK("http://evil.example","klik")', schoolIds: [south.id] });
  processes(ctx.db, mail.id, ["contact"]);
  ctx.db.insert(dpias).values({ applicationId: mail.id, required: "nee", criteria: ["monitoring"], notRequiredReasoning: "Alleen namen en e-mailadressen", status: "afgerond" }).run();

  const quiz = makeApplication(ctx.db, { name: "Quizlet", processesPersonalData: false, schoolIds: [north.id] });

  ctx.db
    .insert(breaches)
    .values([
      {
        title: "Exportbestand openbaar",
        applicationId: lvs.id,
        discoveredAt: new Date("2025-03-10T09:00:00Z"),
        regulatorNotified: "ja",
        regulatorNotifiedAt: new Date("2025-03-11T08:00:00Z"),
        risk: "hoog_risico",
        peopleCount: 120,
        affectsConfidentiality: true,
      },
      { title: "Verkeerde mail", discoveredAt: new Date("2025-09-01T10:00:00Z"), regulatorNotified: "nee", regulatorReasoning: "Geen risico", risk: "geen" },
    ])
    .run();
  return { north, south, topicus, lvs, mail, quiz, agreement };
}

describe("the reports page", () => {
  it("lists every report with its description, filters and the three formats as plain GET forms", async () => {
    register();
    const res = await (await as("auditor")).get("/reports");
    expect(res.status).toBe(200);
    for (const key of ["applications", "agreements", "biv", "register", "dpias", "breaches", "retention", "history"]) {
      expect(res.text).toContain(`<form method="get" action="/reports/${key}/download"`);
    }
    expect(res.text).toContain("Register van verwerkingsactiviteiten (AVG art. 30)");
    expect(res.text).toContain('name="format" value="xlsx"');
    expect(res.text).toContain('name="format" value="csv"');
    expect(res.text).toContain('name="format" value="pdf"');
    expect(res.text).toContain('<option value="red">Niet op orde</option>');
    expect(res.text).toContain('id="history-type"');
    expect(res.text).toContain('id="breaches-from"');
    expect(res.text).toContain("CSV bevat de tabel ‘Applicaties’.");
    expect(res.text).toContain('href="/reports/snapshots"');
  });

  it("offers a school user only the reports of its own school, without the board-wide ones", async () => {
    const { north } = register();
    const res = await (await as("school", [north.id])).get("/reports");
    expect(res.status).toBe(200);
    expect(res.text).toContain('action="/reports/applications/download"');
    expect(res.text).toContain('action="/reports/retention/download"');
    for (const key of ["register", "breaches", "history"]) expect(res.text).not.toContain(`action="/reports/${key}/download"`);
    expect(res.text).toContain("De Noorderzon");
    expect(res.text).not.toContain("De Zuiderzon");
    expect(res.text).not.toContain('href="/reports/snapshots"');
    expect(res.text).toContain('href="/reports"');
  });
});

describe("the applications report", () => {
  it("holds every application with its status and findings in XLSX, with a frozen, filtered header and real numbers", async () => {
    const { lvs } = register();
    const res = await download(await as("auditor"), "/reports/applications/download?format=xlsx");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers["content-disposition"]).toBe(`attachment; filename="ibp-applicaties-${today}.xlsx"`);
    const wb = await workbook(res.body);
    expect(wb.worksheets.map((s) => s.name)).toEqual(["Verantwoording", "Samenvatting", "Applicaties", "Bevindingen"]);

    const sheet = wb.getWorksheet("Applicaties")!;
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.autoFilter).toBeTruthy();
    expect(sheet.getColumn(1).width).toBeGreaterThan(20);
    const [header, ...rows] = sheetRows(sheet);
    expect(header).toEqual(["Applicatie", "Leverancier", "Levensfase", "Persoonsgegevens", "Aantal scholen", "Licentiekosten per jaar", "Status", "Rode bevindingen", "Oranje bevindingen", "Bevindingen"]);
    const evaluations = new Map(evaluateApplications(ctx.db).map((e) => [e.facts.name, e.evaluation]));
    expect(rows.map((r) => r[0]).sort()).toEqual([...evaluations.keys()].sort());
    for (const row of rows) {
      const evaluation = evaluations.get(String(row[0]))!;
      expect(row[6]).toBe(statusLabel(evaluation.status));
      expect(row[7] ?? 0).toBe(evaluation.findings.filter((f) => f.severity === "red").length);
    }
    const lvsRow = rows.find((r) => r[0] === lvs.name)!;
    expect(lvsRow[5]).toBe(1234.5);
    expect(lvsRow[4]).toBe(1);
    expect(sheet.getRow(rows.indexOf(lvsRow) + 2).getCell(6).numFmt).toContain("#,##0.00");

    const findings = sheetRows(wb.getWorksheet("Bevindingen")!);
    expect(findings).toContainEqual([lvs.name, "Topicus", "Rood", "De applicatie verwerkt gegevens die de geldende verwerkersovereenkomst niet dekt: Medische gegevens / gezondheid en welzijn."]);
    expect(sheetRows(wb.getWorksheet("Samenvatting")!)).toContainEqual(["Niet op orde", 2]);
  });

  it("states its provenance on the sheet Verantwoording: board, peildatum as a date, author, filters and the content hash", async () => {
    const { north } = register();
    const res = await download(await as("auditor"), `/reports/applications/download?format=xlsx&school=${north.id}&status=red`);
    const provenance = provenanceOf((await workbook(res.body)).getWorksheet("Verantwoording")!);
    expect(provenance["Bestuur (verwerkingsverantwoordelijke)"]).toEqual(["Stichting Testbestuur"]);
    expect(provenance["Peildatum"]).toEqual([new Date(`${today}T00:00:00Z`)]);
    expect(provenance["Gemaakt door"]![0]).toMatch(/^auditor \d+ <auditor\d+@test\.example>$/);
    expect(provenance["Gemaakt op"]![0]).toBeInstanceOf(Date);
    expect(provenance["Filters"]).toEqual(["School: De Noorderzon", "Status: Niet op orde"]);
    expect(provenance["SHA-256 van de inhoud"]![0]).toBe(res.headers["x-report-content-sha256"]);
    expect(provenance["SHA-256 van de inhoud"]![0]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("filters on school and status", async () => {
    const { north, lvs } = register();
    const res = await download(await as("privacy_officer"), `/reports/applications/download?format=csv&school=${north.id}&status=red`);
    const [, ...rows] = csvRows(res.body);
    expect(rows.map((r) => r[0])).toEqual([lvs.name]);
  });

  it("writes CSV as UTF-8 with BOM and ';', with formula-looking cells neutralised, and the same rows as the database", async () => {
    const { mail } = register();
    const res = await download(await as("auditor"), "/reports/applications/download?format=csv");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect([...res.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.body.toString("utf8")).toContain("Applicatie;Leverancier;Levensfase");
    expect(res.body.toString("utf8")).not.toMatch(/^\uFEFF?[#]/m);
    const [header, ...rows] = csvRows(res.body);
    expect(header![0]).toBe("Applicatie");
    expect(rows.map((r) => r[0]).sort()).toEqual(["Leerlingvolgsysteem", "Quizlet", `'${mail.name}`].sort());
    const lvs = rows.find((r) => r[0] === "Leerlingvolgsysteem")!;
    const { findings } = evaluateApplications(ctx.db).find((e) => e.facts.name === "Leerlingvolgsysteem")!.evaluation;
    const count = (severity: string) => String(findings.filter((f) => f.severity === severity).length);
    expect(lvs.slice(4, 9)).toEqual(["1", "1234,50", "Niet op orde", count("red"), count("orange")]);
    expect(count("red")).toBe("2");
    expect(rows.find((r) => r[0] === "Quizlet")![6]).toBe("N.v.t.");
  });

  it("puts the provenance of a CSV in its response headers", async () => {
    const { north } = register();
    const res = await download(await as("auditor"), `/reports/applications/download?format=csv&school=${north.id}`);
    expect(res.headers["x-report-reference-date"]).toBe(today);
    expect(decodeURIComponent(String(res.headers["x-report-board"]))).toBe("Stichting Testbestuur");
    expect(decodeURIComponent(String(res.headers["x-report-generated-by"]))).toMatch(/^auditor \d+/);
    expect(JSON.parse(decodeURIComponent(String(res.headers["x-report-filters"])))).toEqual({ school: [north.id] });
    expect(res.headers["x-report-content-sha256"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("makes a PDF summary with the board, peildatum, author, content hash, page numbers and the red and orange findings", async () => {
    register();
    const res = await download(await as("auditor"), "/reports/applications/download?format=pdf");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/pdf");
    expect(res.body.subarray(0, 5).toString()).toBe("%PDF-");
    const { text, pages } = pdfText(res.body);
    const flat = text.replace(/\s+/g, " ");
    expect(flat).toContain("Stichting Testbestuur");
    expect(flat).toContain(`Peildatum ${formatDate(today)}`);
    expect(flat).toMatch(/Gemaakt door auditor \d+/);
    expect(flat).toContain(res.headers["x-report-content-sha256"]);
    expect(flat).toContain(`Pagina 1 van ${pages}`);
    expect(flat).toContain(`Pagina ${pages} van ${pages}`);
    expect(flat).toContain("Bevindingen: Rood");
    expect(flat).toContain("Bevindingen: Oranje");
    expect(flat).toContain("Er is geen geldende, ondertekende verwerkersovereenkomst");
    expect(flat).toContain("loopt af op");
    expect(res.body.toString("latin1")).toContain(`sha256:${res.headers["x-report-content-sha256"]}`);
  });

  it("gives the three formats of one report the same content hash", async () => {
    register();
    const agent = await as("auditor");
    const hashes = await Promise.all(["xlsx", "csv", "pdf"].map(async (format) => (await download(agent, `/reports/applications/download?format=${format}`)).headers["x-report-content-sha256"]));
    expect(new Set(hashes).size).toBe(1);
  });
});

describe("on the demo board", () => {
  it("builds every report in every format, with the same rows in the spreadsheet and the CSV", async () => {
    await seedDemoBoard(ctx.db, { now: new Date(), hashPassword });
    const agent = await as("auditor");
    for (const key of ["applications", "agreements", "biv", "register", "dpias", "breaches", "retention", "history"]) {
      const xlsx = await download(agent, `/reports/${key}/download?format=xlsx`);
      const csv = await download(agent, `/reports/${key}/download?format=csv`);
      const pdf = await download(agent, `/reports/${key}/download?format=pdf`);
      expect([xlsx.status, csv.status, pdf.status]).toEqual([200, 200, 200]);
      const wb = await workbook(xlsx.body);
      const rows = csvRows(csv.body);
      // The CSV holds the main table: the sheet with the same header.
      const main = wb.worksheets.find((sheet) => JSON.stringify(sheetRows(sheet)[0]) === JSON.stringify(rows[0]));
      expect(main).toBeDefined();
      expect(sheetRows(main!).length).toBe(rows.length === 1 ? 2 : rows.length);
      expect(pdfText(pdf.body).text).toContain("Stichting Voorbeeld Onderwijs Rivierenland");
    }
    expect(ctx.db.select().from(reportDownloads).all()).toHaveLength(24);
  }, 60_000);
});

describe("every download", () => {
  it.each(["xlsx", "csv", "pdf"])("sends %s with X-Content-SHA256 of its exact bytes and records it in the download log", async (format) => {
    const { north } = register();
    const res = await download(await as("auditor"), `/reports/applications/download?format=${format}&school=${north.id}`);
    expect(res.headers["x-content-sha256"]).toBe(sha(res.body));
    expect(Number(res.headers["content-length"])).toBe(res.body.length);
    const logged = ctx.db.select().from(reportDownloads).all();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      report: "applications",
      format,
      referenceDate: today,
      filters: { school: [north.id] },
      sha256: sha(res.body),
      sizeBytes: res.body.length,
      snapshotId: null,
    });
    expect(logged[0]!.actor).toMatch(/^auditor \d+/);
  });

  it("records each download of each report, also the same one twice", async () => {
    register();
    const agent = await as("privacy_officer");
    for (const key of ["applications", "agreements", "biv", "register", "dpias", "breaches", "retention", "history"]) {
      expect((await download(agent, `/reports/${key}/download?format=csv`)).status).toBe(200);
    }
    await download(agent, "/reports/retention/download?format=csv");
    const logged = ctx.db.select().from(reportDownloads).all();
    expect(logged.map((d) => d.report)).toEqual(["applications", "agreements", "biv", "register", "dpias", "breaches", "retention", "history", "retention"]);
  });
});

describe("the agreements report", () => {
  it("has a sheet per exception list: without agreement, ending within N days, old models, categories not covered", async () => {
    const { lvs, mail } = register();
    const res = await download(await as("auditor"), "/reports/agreements/download?format=xlsx&days=45");
    const wb = await workbook(res.body);
    expect(wb.worksheets.map((s) => s.name)).toEqual(["Verantwoording", "Verwerkersovereenkomsten", "Zonder geldige VO", "Aflopend binnen 45 dagen", "Verouderd model", "Niet gedekte gegevens"]);
    const agreements = sheetRows(wb.getWorksheet("Verwerkersovereenkomsten")!);
    expect(agreements[1]!.slice(0, 4)).toEqual(["VO-LVS", "Topicus", "Model VO 2.0", "Ondertekend"]);
    expect(agreements[1]![6]).toEqual(new Date(`${addDays(today, 30)}T00:00:00Z`));
    expect(agreements[1]![14]).toBe("Amazon Web Services (Verenigde Staten)");
    expect(sheetRows(wb.getWorksheet("Zonder geldige VO")!).slice(1).map((r) => r[0])).toEqual([mail.name]);
    expect(sheetRows(wb.getWorksheet("Aflopend binnen 45 dagen")!)[1]).toEqual(["VO-LVS", "Topicus", new Date(`${addDays(today, 30)}T00:00:00Z`), 30, lvs.name]);
    expect(sheetRows(wb.getWorksheet("Verouderd model")!)[1]!.slice(0, 3)).toEqual(["VO-LVS", "Topicus", "Model VO 2.0"]);
    expect(sheetRows(wb.getWorksheet("Niet gedekte gegevens")!)[1]).toEqual([lvs.name, "Topicus", "Medische gegevens / gezondheid en welzijn", "VO-LVS"]);
  });

  it("leaves an agreement that ends after N days off the list of ending agreements", async () => {
    register();
    const wb = await workbook((await download(await as("auditor"), "/reports/agreements/download?format=xlsx&days=20")).body);
    expect(wb.worksheets.map((s) => s.name)).toContain("Aflopend binnen 20 dagen");
    expect(sheetRows(wb.getWorksheet("Aflopend binnen 20 dagen")!)[1]).toEqual(["Geen: niets gevonden voor deze lijst."]);
  });

  it("puts the agreements table, the main one, in the CSV", async () => {
    register();
    const [header, ...rows] = csvRows((await download(await as("auditor"), "/reports/agreements/download?format=csv")).body);
    expect(header!.slice(0, 2)).toEqual(["Kenmerk", "Leverancier"]);
    expect(rows).toHaveLength(1);
    expect(rows[0]![6]).toBe(addDays(today, 30));
  });
});

describe("the BIV report", () => {
  it("shows per application the classification and the required, present and missing measures", async () => {
    const { lvs } = register();
    const wb = await workbook((await download(await as("auditor"), "/reports/biv/download?format=xlsx")).body);
    const [header, ...rows] = sheetRows(wb.getWorksheet("BIV per applicatie")!);
    expect(header!.slice(0, 5)).toEqual(["Applicatie", "Leverancier", "Beschikbaarheid", "Integriteit", "Vertrouwelijkheid"]);
    const required = ctx.connection.sqlite
      .prepare("select count(*) n from security_measures where archived_at is null and ((aspect = 'vertrouwelijkheid') or (aspect in ('beschikbaarheid', 'integriteit') and level in ('laag', 'midden')))")
      .get() as { n: number };
    const lvsRow = rows.find((r) => r[0] === lvs.name)!;
    expect(lvsRow.slice(2, 7)).toEqual(["Midden", "Midden", "Hoog", new Date("2026-06-01T00:00:00Z"), "P. Officer"]);
    expect(lvsRow.slice(8, 11)).toEqual([required.n, 0, required.n]);
    expect(rows.find((r) => r[0] !== lvs.name)![2]).toBe("Niet geclassificeerd");
    const measures = sheetRows(wb.getWorksheet("Maatregelen")!).slice(1);
    expect(measures).toHaveLength(required.n);
    expect(measures.every((m) => m[0] === lvs.name && m[6] === "Niet vastgelegd")).toBe(true);
  });
});

describe("the register of processing activities (art. 30)", () => {
  it("names the board as controller with its DPO, and per processing its purposes, data, recipients, transfers and retention", async () => {
    const { lvs } = register();
    const wb = await workbook((await download(await as("auditor"), "/reports/register/download?format=xlsx")).body);
    const controller = sheetRows(wb.getWorksheet("Verwerkingsverantwoordelijke")!);
    expect(controller).toContainEqual(["Naam", "Stichting Testbestuur"]);
    expect(controller).toContainEqual(["Functionaris gegevensbescherming (FG)", "Mr. F.G. de Waard"]);
    expect(controller).toContainEqual(["E-mailadres FG", "fg@bestuur.example"]);
    const [header, ...rows] = sheetRows(wb.getWorksheet("Verwerkingsactiviteiten")!);
    expect(header).toContain("Doorgifte buiten de EER en waarborgen");
    const row = Object.fromEntries(header!.map((h, i) => [String(h), rows.find((r) => r[0] === lvs.name)![i]]));
    expect(row["Doeleinden"]).toBe("De ontwikkeling van leerlingen volgen; onderwijs");
    expect(row["Categorieën betrokkenen"]).toBe("Leerlingen");
    expect(row["Categorieën persoonsgegevens"]).toBe("Contactgegevens, Medische gegevens / gezondheid en welzijn");
    expect(row["Ontvangers"]).toBe("Topicus (verwerker); Amazon Web Services (subverwerker: hosting)");
    expect(row["Doorgifte buiten de EER en waarborgen"]).toBe(
      "Buiten de EER (Verenigde Staten); Standaardcontractbepalingen (SCC); Subverwerker Amazon Web Services (Verenigde Staten) buiten de EER",
    );
    expect(row["Bewaartermijnen"]).toBe("Geen bewaartermijn vastgelegd");
    expect(row["Beveiligingsmaatregelen (algemeen)"]).toMatch(/^B Midden, I Midden, V Hoog\. Geen maatregelen vastgelegd/);
    expect(row["Verwerkersovereenkomst"]).toBe("VO-LVS (Model 2.0)");
    expect(row["DPIA"]).toBe("Geen besluit");
    expect(rows.map((r) => r[0])).not.toContain("Quizlet");
  });

  it("lists the retention terms of the categories a processing uses", async () => {
    const { lvs } = register();
    processes(ctx.db, lvs.id, ["progress"]);
    const [header, ...rows] = csvRows((await download(await as("auditor"), "/reports/register/download?format=csv")).body);
    const retention = rows.find((r) => r[0] === lvs.name)![header!.indexOf("Bewaartermijnen")]!;
    expect(retention).toContain("Leerlingdossier: Maximaal 2 jaar (na uitschrijving van de leerling; daarna vernietigen)");
    expect(retention).toContain("Centraal examenwerk: Minimaal 6 maanden");
  });
});

describe("the DPIA, breaches and retention reports", () => {
  it("lists the DPIA decision of every application with personal data", async () => {
    const { lvs, mail } = register();
    const [header, ...rows] = csvRows((await download(await as("auditor"), "/reports/dpias/download?format=csv")).body);
    const col = (name: string) => header!.indexOf(name);
    const lvsRow = rows.find((r) => r[0] === lvs.name)!;
    expect(lvsRow[col("Bijzondere of gevoelige gegevens")]).toBe("Medische gegevens / gezondheid en welzijn");
    expect(lvsRow[col("DPIA vereist")]).toBe("Geen besluit");
    const mailRow = rows.find((r) => r[0] === `'${mail.name}`)!;
    expect(mailRow[col("DPIA vereist")]).toBe("Nee");
    expect(mailRow[col("Criteria")]).toBe("monitoring");
    expect(mailRow[col("Onderbouwing niet vereist")]).toBe("Alleen namen en e-mailadressen");
    expect(mailRow[col("Status DPIA")]).toBe("Afgerond");
  });

  it("lists breaches in the period on their discovery date, with moments as real dates in XLSX", async () => {
    register();
    const agent = await as("auditor");
    const all = csvRows((await download(agent, "/reports/breaches/download?format=csv")).body);
    expect(all.slice(1).map((r) => r[0])).toEqual(["Exportbestand openbaar", "Verkeerde mail"]);
    const march = await download(agent, "/reports/breaches/download?format=xlsx&from=2025-03-10&to=2025-03-31");
    const [header, ...rows] = sheetRows((await workbook(march.body)).getWorksheet("Datalekken")!);
    expect(rows).toHaveLength(1);
    const row = Object.fromEntries(header!.map((h, i) => [String(h), rows[0]![i]]));
    expect(row["Titel"]).toBe("Exportbestand openbaar");
    // 09:00 UTC is 10:00 in Amsterdam in March (winter time): Excel shows the wall clock.
    expect(row["Ontdekt op"]).toEqual(new Date("2025-03-10T10:00:00Z"));
    expect(row["Meldtermijn AP"]).toBe("Binnen 72 uur");
    expect(row["Risico"]).toBe("Hoog risico");
    expect(row["Aantal betrokkenen"]).toBe(120);
    expect(row["Soort inbreuk"]).toBe("Vertrouwelijkheid");
    expect(row["Leverancier"]).toBe("Topicus");
    const later = csvRows((await download(agent, "/reports/breaches/download?format=csv&from=2025-03-11")).body);
    expect(later.slice(1).map((r) => r[0])).toEqual(["Verkeerde mail"]);
  });

  it("lists the retention rules as the database holds them", async () => {
    const agent = await as("auditor");
    const [, ...rows] = csvRows((await download(agent, "/reports/retention/download?format=csv")).body);
    const rules = ctx.db.select().from(retentionRules).all();
    expect(rows).toHaveLength(rules.length);
    for (const rule of rules) {
      expect(rows).toContainEqual(
        expect.arrayContaining([rule.recordType, rule.termText, rule.termMonths === null ? "" : String(rule.termMonths), rule.trigger, labelOf("reports.labels.retentionActions", rule.action)]),
      );
    }
  });
});

describe("the change history report", () => {
  async function someChanges(agent: Agent, token: () => Promise<string>) {
    await agent.post("/suppliers").type("form").send({ name: "Heutink", covenantStatus: "geen", _csrf: await token() });
    const id = ctx.db.select().from(auditLog).get()!.entityId!;
    await agent.post(`/suppliers/${id}`).type("form").send({ name: "Heutink ICT", covenantStatus: "deelnemer", version: 1, _csrf: await token() });
    return id;
  }

  it("shows who changed what, when, from what to what, with each entry's hash", async () => {
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
    await someChanges(agent, token);
    const wb = await workbook((await download(agent, "/reports/history/download?format=xlsx")).body);
    const [header, ...rows] = sheetRows(wb.getWorksheet("Wijzigingen")!);
    expect(header).toEqual(["Nr.", "Wanneer", "Wie", "Actie", "Soort gegevens", "Record", "Omschrijving", "Van → naar", "Hash (SHA-256)"]);
    const log = ctx.db.select().from(auditLog).all();
    expect(rows.map((r) => r[0])).toEqual(log.map((e) => e.id));
    const update = rows.find((r) => r[3] === "Gewijzigd")!;
    expect(update[4]).toBe("Leverancier");
    expect(update[7]).toBe("Naam: Heutink → Heutink ICT; Convenant: Geen deelname → Deelnemer convenant");
    expect(update[8]).toBe(log[1]!.hash);
    expect(update[1]).toBeInstanceOf(Date);
    const provenance = provenanceOf(wb.getWorksheet("Verantwoording")!);
    expect(provenance["SHA-256 van de inhoud"]).toContain(`Wijzigingshistorie: 2 items, nieuwste item #${log[1]!.id} met hash ${log[1]!.hash}`);
  });

  it("filters on record type and period, and a past peildatum leaves later entries out", async () => {
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "admin"));
    await someChanges(agent, token);
    // Move the creation back a year, as if it happened then.
    const yearAgo = addDays(today, -365);
    ctx.connection.sqlite.prepare("update audit_log set at = ? where action = 'create'").run(amsterdamMidnight(yearAgo) + 3_600_000);
    const ids = (url: string) => download(agent, url).then((r) => csvRows(r.body).slice(1).map((row) => row[3]));
    expect(await ids("/reports/history/download?format=csv")).toEqual(["Aangemaakt", "Gewijzigd"]);
    expect(await ids(`/reports/history/download?format=csv&date=${addDays(today, -1)}`)).toEqual(["Aangemaakt"]);
    expect(await ids(`/reports/history/download?format=csv&from=${addDays(today, -7)}`)).toEqual(["Gewijzigd"]);
    expect(await ids(`/reports/history/download?format=csv&to=${yearAgo}`)).toEqual(["Aangemaakt"]);
    expect(await ids("/reports/history/download?format=csv&type=school")).toEqual([]);
    expect(await ids("/reports/history/download?format=csv&type=supplier")).toEqual(["Aangemaakt", "Gewijzigd"]);
  });
});

describe("the PDF summary of a long table", () => {
  it("shows the first 2,500 rows and says where the rest is", async () => {
    const insert = ctx.connection.sqlite.prepare("insert into audit_log (at, actor, action, entity_type, entity_id, summary) values (?, 'Import', 'create', 'school', ?, ?)");
    ctx.connection.sqlite.transaction(() => {
      for (let i = 1; i <= 2_600; i += 1) insert.run(Date.UTC(2026, 0, 1) + i * 60_000, i, `Wijziging ${i}`);
    })();
    const res = await download(await as("auditor"), "/reports/history/download?format=pdf");
    const flat = pdfText(res.body).text.replace(/\s+/g, " ");
    expect(flat).toContain("Deze samenvatting toont de eerste 2500 van 2600 rijen.");
    expect(flat).toContain("Wijziging 2500");
    expect(flat).not.toContain("Wijziging 2501");
    expect(flat).toContain("Wijzigingen: 2600 rijen");
  }, 30_000);
});

describe("access to reports", () => {
  it("gives a school user the report of its own school, limited to the applications that school uses", async () => {
    const { north, lvs, quiz } = register();
    const agent = await as("school", [north.id]);
    const res = await download(agent, "/reports/applications/download?format=csv");
    expect(res.status).toBe(200);
    expect(csvRows(res.body).slice(1).map((r) => r[0]).sort()).toEqual([lvs.name, quiz.name].sort());
    expect(ctx.db.select().from(reportDownloads).get()!.filters).toEqual({ school: [north.id] });
    expect((await download(agent, `/reports/applications/download?format=csv&school=${north.id}`)).status).toBe(200);
  });

  it("answers a school user's request for another school's report as for a school that does not exist, and records nothing", async () => {
    const { north, south } = register();
    const agent = await as("school", [north.id]);
    for (const key of ["applications", "agreements", "biv", "dpias"]) {
      const res = await download(agent, `/reports/${key}/download?format=xlsx&school=${south.id}`);
      const missing = await download(agent, `/reports/${key}/download?format=xlsx&school=99999`);
      expect(res.status).toBe(400);
      expect(missing.status).toBe(res.status);
      expect(res.text).toBe(missing.text);
    }
    expect(ctx.db.select().from(reportDownloads).all()).toHaveLength(0);
  });

  it("refuses a school user the board-wide reports by URL with 403", async () => {
    const { north } = register();
    const agent = await as("school", [north.id]);
    for (const key of ["register", "breaches", "history"]) {
      expect((await download(agent, `/reports/${key}/download?format=pdf`)).status).toBe(403);
    }
    expect((await download(agent, "/reports/history/download?format=pdf&from=2026-02-30")).status).toBe(403);
  });

  it.each(["admin", "privacy_officer", "auditor"] as const)("gives %s every report of the whole board", async (role) => {
    register();
    const agent = await as(role);
    for (const key of ["applications", "register", "history"]) expect((await download(agent, `/reports/${key}/download?format=csv`)).status).toBe(200);
  });

  it("sends someone who is not logged in to the login page", async () => {
    const res = await download((await import("supertest")).agent(ctx.app), "/reports/applications/download?format=csv");
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });
});

describe("bad input", () => {
  it.each([
    ["an unknown report", "/reports/onbekend/download?format=xlsx", "Deze rapportage bestaat niet."],
    ["an unknown format", "/reports/applications/download?format=docx", "Kies als formaat XLSX, CSV of PDF."],
    ["no format", "/reports/applications/download", "Kies als formaat XLSX, CSV of PDF."],
    ["an invalid status", "/reports/applications/download?format=csv&status=paars", "Het filter ‘Status’ heeft een ongeldige waarde."],
    ["a school that is not a number", "/reports/applications/download?format=csv&school=abc", "Het filter ‘School’ heeft een ongeldige waarde."],
    ["a school that does not exist", "/reports/applications/download?format=csv&school=999", "Deze school bestaat niet."],
    ["a repeated filter", "/reports/applications/download?format=csv&status=red&status=green", "Het filter ‘Status’ mag maar één keer worden opgegeven."],
    ["too many days", "/reports/agreements/download?format=csv&days=5000", "Het filter ‘Aflopend binnen (dagen)’ heeft een ongeldige waarde."],
    ["a filter of another report", "/reports/retention/download?format=csv&status=red", "Het filter ‘Status’ hoort niet bij deze rapportage."],
    ["an impossible date", "/reports/breaches/download?format=csv&from=2026-02-30", "‘2026-02-30’ is geen bestaande datum."],
    ["a date that is no date", "/reports/history/download?format=csv&date=gisteren", "‘gisteren’ is geen bestaande datum."],
    ["a reversed period", "/reports/breaches/download?format=csv&from=2025-05-01&to=2025-04-01", "De begindatum van de periode ligt na de einddatum."],
    ["a peildatum in the future", `/reports/history/download?format=csv&date=${addDays(today, 1)}`, "ligt in de toekomst"],
    ["a past peildatum where the data do not allow it", `/reports/applications/download?format=csv&date=${addDays(today, -30)}`, "Voor deze rapportage is de peildatum altijd vandaag"],
    ["an invalid record type", "/reports/history/download?format=csv&type=DROP%20TABLE", "Het filter ‘Soort gegevens’ heeft een ongeldige waarde."],
  ])("answers %s with a Dutch 400 page", async (_name, url, message) => {
    const res = await download(await as("auditor"), url);
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    const html = res.body.toString("utf8").replace(/&#x27;/g, "'");
    expect(html).toContain("Ongeldig verzoek");
    expect(html).toContain(message);
    expect(ctx.db.select().from(reportDownloads).all()).toHaveLength(0);
  });

  it("accepts today as peildatum for every report", async () => {
    const agent = await as("auditor");
    expect((await download(agent, `/reports/applications/download?format=csv&date=${today}`)).status).toBe(200);
  });
});
