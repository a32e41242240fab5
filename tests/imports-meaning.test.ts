// Imports never change meaning silently, through the real flow (upload → preview → confirm): an agreement keeps
// the reseller cover the form recorded, columns the import does not read are named, a CSV row longer than its
// headings is refused, a country outside the EEA cannot be "inside the EEA", and the defaults a new row gets are shown.
import ExcelJS from "exceljs";
import { and, eq } from "drizzle-orm";
import request from "supertest";
import { agreementApplications, agreements, suppliers } from "../src/db/schema";
import { buildTestApp, csrfFrom, decoded, loginAs, makeUser, type TestContext } from "./helpers/app";
import { makeAgreement, makeApplication, makeSupplier } from "./helpers/factories";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

type Agent = ReturnType<typeof request.agent>;

function csv(rows: (string | null)[][]): Buffer {
  const quote = (v: string | null) => (v === null ? "" : /[;"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return Buffer.from(`\uFEFF${rows.map((r) => r.map(quote).join(";")).join("\r\n")}\r\n`, "utf8");
}

async function xlsx(rows: (string | null)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Gegevens");
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function officer(): Promise<Agent> {
  return (await loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"))).agent;
}

/** Uploads the file and opens what the upload leads to: the mapping step or the preview. */
async function upload(agent: Agent, kind: string, content: Buffer, fileName = "bestand.csv") {
  const token = csrfFrom((await agent.get("/imports")).text);
  const res = await agent.post("/imports").field("_csrf", token).field("kind", kind).attach("file", content, fileName);
  expect(res.status).toBe(303);
  const location = String(res.headers.location);
  return { location, id: /\/imports\/([0-9a-f]{32})/.exec(location)![1]!, page: await agent.get(location) };
}

/** Uploads and confirms the mapping step as guessed (if there is one): the preview. */
async function preview(agent: Agent, kind: string, content: Buffer) {
  const uploaded = await upload(agent, kind, content);
  if (!uploaded.location.endsWith("/mapping")) return uploaded;
  const values: Record<string, string> = { _csrf: csrfFrom(uploaded.page.text) };
  for (const match of uploaded.page.text.matchAll(/<select id="(column\d+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    values[match[1]!] = /<option value="([^"]*)" selected>/.exec(match[2]!)?.[1] ?? "";
  }
  const saved = await agent.post(`/imports/${uploaded.id}/mapping`).type("form").send(values);
  expect(saved.status).toBe(303);
  return { ...uploaded, page: await agent.get(`/imports/${uploaded.id}`) };
}

function countsOf(html: string) {
  const n = (label: string) => Number(new RegExp(`<dt>${label}</dt><dd>(\\d+)</dd>`).exec(html)?.[1] ?? NaN);
  return { new: n("Nieuw"), changed: n("Gewijzigd"), unchanged: n("Ongewijzigd"), wrong: n("Met fouten") };
}

async function commit(agent: Agent, id: string, html: string) {
  const fingerprint = /name="fingerprint" value="([0-9a-f]{64})"/.exec(html)?.[1] ?? "0".repeat(64);
  return agent.post(`/imports/${id}/commit`).type("form").send({ _csrf: csrfFrom(html), fingerprint });
}

describe("agreements covered through a reseller", () => {
  it("keeps another supplier's application that the agreement covers with a recorded reseller reason, and its reason; a file still cannot add such a cover", async () => {
    const microsoft = makeSupplier(ctx.db, { name: "Microsoft" });
    const noordhoff = makeSupplier(ctx.db, { name: "Noordhoff" });
    const m365 = makeApplication(ctx.db, { name: "Microsoft 365", supplierId: microsoft.id });
    const studygo = makeApplication(ctx.db, { name: "StudyGo", supplierId: noordhoff.id });
    const agreement = makeAgreement(ctx.db, { reference: "VO-MS-1", supplierId: microsoft.id, model: "eigen", signedOn: "2025-01-15", applicationIds: [m365.id] });
    const reason = "Microsoft levert StudyGo door als wederverkoper";
    ctx.db.insert(agreementApplications).values({ agreementId: agreement.id, applicationId: studygo.id, resellerReason: reason }).run();
    const agent = await officer();

    const head = ["Kenmerk", "Leverancier", "Model", "Status", "Ondertekend op", "Applicaties", "Aantekeningen"];
    const { id, page } = await preview(
      agent,
      "agreements",
      csv([head, ["VO-MS-1", "Microsoft", "eigen", "ondertekend", "2025-01-15", "Microsoft 365; StudyGo", "Verlengd"], ["VO-MS-2", "Microsoft", "eigen", "concept", null, "StudyGo", null]]),
    );
    expect(countsOf(page.text)).toMatchObject({ changed: 1, wrong: 1 });
    expect(decoded(page.text)).toContain("Cel F3</strong> (Applicaties): Hoort bij een andere leverancier: StudyGo (van Noordhoff).");

    const fixed = await preview(agent, "agreements", csv([head, ["VO-MS-1", "Microsoft", "eigen", "ondertekend", "2025-01-15", "Microsoft 365; StudyGo", "Verlengd"]]));
    expect(countsOf(fixed.page.text)).toMatchObject({ changed: 1, wrong: 0 });
    expect((await commit(agent, fixed.id, fixed.page.text)).status).toBe(303);
    expect(ctx.db.select().from(agreements).where(eq(agreements.id, agreement.id)).get()?.notes).toBe("Verlengd");
    expect(
      ctx.db.select().from(agreementApplications).where(and(eq(agreementApplications.agreementId, agreement.id), eq(agreementApplications.applicationId, studygo.id))).get(),
    ).toMatchObject({ resellerReason: reason });
    expect(id).not.toBe(fixed.id);
    expect(ctx.db.select().from(suppliers).all()).toHaveLength(2);
  });
});

describe("columns the import does not read", () => {
  it("reads 'Einde VO' as the agreement's end date, so an ended agreement does not import as current", async () => {
    makeSupplier(ctx.db, { name: "Iddink" });
    const agent = await officer();
    const { id, page, location } = await upload(
      agent,
      "agreements",
      csv([
        ["Kenmerk", "Leverancier", "Model VO", "Status VO", "Ondertekend op", "Start VO", "Einde VO"],
        ["VO-2019-07", "Iddink", "3.0", "ondertekend", "2019-06-01", "2019-08-01", "31-07-2024"],
      ]),
    );
    expect(location).toBe(`/imports/${id}`);
    expect(decoded(page.text)).not.toContain("wordt niet geïmporteerd");
    expect((await commit(agent, id, page.text)).status).toBe(303);
    expect(ctx.db.select().from(agreements).get()).toMatchObject({ reference: "VO-2019-07", model: "3.0", startsOn: "2019-08-01", endsOn: "2024-07-31" });
  });

  it("lists every column that feeds no field in the preview as 'wordt niet geïmporteerd', also one without a heading that holds data", async () => {
    makeSupplier(ctx.db, { name: "Iddink" });
    const agent = await officer();
    const { page } = await preview(
      agent,
      "agreements",
      csv([
        ["Kenmerk", "Leverancier", "Model", "Contractwaarde", "", "Einde contract (VO)"],
        ["VO-1", "Iddink", "4.0", "€ 12.000", "zie map", "31-07-2024"],
      ]),
    );
    expect(countsOf(page.text)).toMatchObject({ new: 1, wrong: 0 });
    const text = decoded(page.text);
    expect(text).toContain("Kolommen die niet worden geïmporteerd");
    expect(text).toContain("Kolom D: Contractwaarde (wordt niet geïmporteerd)");
    expect(text).toContain("Kolom E: (zonder kop) (wordt niet geïmporteerd)");
    expect(text).toContain("Kolom F: Einde contract (VO) (wordt niet geïmporteerd)");
    expect(text).not.toMatch(/Kolom [ABC]: [^<]*wordt niet geïmporteerd/);
  });
});

describe("rows that do not fit under the headings", () => {
  it("refuses a CSV row with more cells than headings at that row, instead of cutting it to size", async () => {
    const agent = await officer();
    const file = Buffer.from(
      "\uFEFFNaam;KvK-nummer;Website;Opmerkingen\r\nIddink;12345678;https://www.iddink.nl;Levert boeken; ook digitaal\r\nTopicus;87654321;https://www.topicus.nl;Leerlingadministratie\r\n",
      "utf8",
    );
    const { id, page } = await preview(agent, "suppliers", file);
    expect(countsOf(page.text)).toMatchObject({ new: 1, wrong: 1 });
    expect(decoded(page.text)).toMatch(/id="rij-2"[\s\S]*?Deze rij heeft 5 cellen, maar het bestand heeft 4 kolomkoppen/);
    expect((await commit(agent, id, page.text)).status).toBe(422);
    expect(ctx.db.select().from(suppliers).all()).toHaveLength(0);
  });

  it("refuses a value in a column without a heading after the last heading, in CSV and XLSX alike", async () => {
    const agent = await officer();
    for (const file of [csv([["Naam", "KvK-nummer", ""], ["Iddink", "12345678", "vergeten kop"]]), await xlsx([["Naam", "KvK-nummer"], ["Iddink", "12345678", "vergeten kop"]])]) {
      const { page } = await preview(agent, "suppliers", file);
      expect(countsOf(page.text)).toMatchObject({ new: 0, wrong: 1 });
      expect(decoded(page.text)).toContain("Deze rij heeft een waarde in kolom C, maar die kolom heeft geen kop.");
    }
  });
});

describe("data locations outside the EEA", () => {
  it("refuses a country outside the EEA with 'binnen de EER' ja, or left blank, at that cell; 'nee' with a mechanism passes", async () => {
    for (const name of ["Zoom", "Padlet", "Iddink", "Google"]) makeSupplier(ctx.db, { name });
    const agent = await officer();
    const { id, page } = await preview(
      agent,
      "applications",
      csv([
        ["Applicatie", "Leverancier", "Land gegevensopslag", "Gegevens binnen de EER", "Doorgiftemechanisme"],
        ["Zoom", "Zoom", "Verenigde Staten", "ja", null],
        ["Padlet", "Padlet", "VS", null, null],
        ["Magister", "Iddink", "Nederland", "ja", null],
        ["Google Classroom", "Google", "Ierland / Verenigde Staten", "nee", "scc"],
      ]),
    );
    expect(countsOf(page.text)).toMatchObject({ new: 2, wrong: 2 });
    const text = decoded(page.text);
    expect(text).toContain("Cel D2</strong> (Gegevens binnen de EER): Verenigde Staten ligt (deels) buiten de EER: 'binnen de EER' kan dan niet ja zijn.");
    expect(text).toContain("Cel D3</strong> (Gegevens binnen de EER): VS ligt (deels) buiten de EER: vul bij 'binnen de EER' nee in");
    expect((await commit(agent, id, page.text)).status).toBe(422);
  });

  it("refuses a country outside the EEA when the file has no 'binnen de EER' column at all, naming the field", async () => {
    makeSupplier(ctx.db, { name: "Slack" });
    const agent = await officer();
    const { page } = await preview(agent, "applications", csv([["Applicatie", "Leverancier", "Land gegevensopslag"], ["Slack", "Slack", "Verenigde Staten"]]));
    expect(countsOf(page.text)).toMatchObject({ new: 0, wrong: 1 });
    expect(decoded(page.text)).toContain("Gegevens binnen de EER: Verenigde Staten ligt (deels) buiten de EER: vul bij 'binnen de EER' nee in");
  });
});

describe("defaults the import fills in", () => {
  it("shows, for each new row, the values the register fills in that the file does not give, marked as default", async () => {
    for (const name of ["Iddink", "Topicus"]) makeSupplier(ctx.db, { name });
    const agent = await officer();
    const { id, page } = await preview(
      agent,
      "applications",
      csv([
        ["Applicatie", "Leverancier", "Levensfase", "Categorieën persoonsgegevens", "Betrokkenen"],
        ["Magister", "Iddink", null, "contact", null],
        ["Somtoday", "Topicus", "in gebruik", "contact", "Ouders/verzorgers"],
      ]),
    );
    expect(countsOf(page.text)).toMatchObject({ new: 2, wrong: 0 });
    const row = (n: number) => decoded(new RegExp(`<tr class="import-row[^"]*" id="rij-${n}">([\\s\\S]*?)</tr>`).exec(page.text)?.[1] ?? "");
    const magister = row(2);
    expect(magister).toContain("Niet in het bestand; het register vult in:");
    for (const [field, value] of [
      ["Levensfase", "In gebruik"],
      ["Verwerkt persoonsgegevens", "Ja"],
      ["Gegevens binnen de EER", "Onbekend"],
      ["Betrokkenen", "Leerlingen"],
    ]) {
      expect(magister).toMatch(new RegExp(`<span class="changes__field">${field}</span>: ${value} <span class="tag">standaardwaarde</span>`));
    }
    const somtoday = row(3);
    expect(somtoday).not.toContain('<span class="changes__field">Levensfase</span>');
    expect(somtoday).not.toContain('<span class="changes__field">Betrokkenen</span>');
    expect(somtoday).toMatch(/<span class="changes__field">Verwerkt persoonsgegevens<\/span>: Ja <span class="tag">standaardwaarde<\/span>/);
    expect((await commit(agent, id, page.text)).status).toBe(303);
  });

  it("shows the default status of a new agreement", async () => {
    makeSupplier(ctx.db, { name: "Iddink" });
    const agent = await officer();
    const { page } = await preview(agent, "agreements", csv([["Kenmerk", "Leverancier", "Model"], ["VO-1", "Iddink", "4.0"]]));
    expect(decoded(page.text)).toMatch(/<span class="changes__field">Status<\/span>: Concept <span class="tag">standaardwaarde<\/span>/);
  });
});
