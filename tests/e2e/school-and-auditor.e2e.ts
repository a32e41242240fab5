// A school user checks its school and requests a new application; an auditor downloads each report format
// and the files open: the XLSX is read back, the CSV parsed, the PDF's text found.
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { pdfText } from "../helpers/pdf";
import { logIn, newPage, screenshot, startHarness, type Harness } from "./browser";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

it("lets a school user check its school and request an application", async () => {
  const { page, context } = await newPage(h);
  await logIn(page, "school");
  await page.waitForURL(/\/schools\/\d+$/);
  await page.getByRole("heading", { level: 1, name: "Basisschool De Regenboog" }).waitFor();
  await page.getByText("Waarom deze status?").waitFor();
  await screenshot(page, "school-overview");

  await page.goto("/intake/new");
  await page.locator("#applicationName").fill("Typetuin");
  await page.locator("#goal").fill("Typevaardigheid oefenen in groep 7 en 8");
  await page.locator("#foraFunctionId").selectOption({ label: "Digitale leermiddelen" });
  await page.locator("#existingAlternatives").fill("Geen typecursus in het huidige aanbod");
  await page.locator("#landscapeFit").fill("Werkt in de browser, inloggen via Entree");
  // Contactgegevens (category 1) of Leerlingen (subject 1), as seeded.
  await page.locator('input[name="rows[k1][subjects]"][value="1"]').check();
  await page.locator('input[name="rows[k1][purpose]"]').fill("Inloggen en voortgang");
  await page.locator("#costOneTimeCents").fill("0");
  await page.locator("#costLicencePerYearCents").fill("450,00");
  await page.locator("#costImplementationCents").fill("0");
  await page.locator("#supplierName").fill("Typetuin B.V.");
  await page.locator("#supplierCovenantStatus").selectOption("onbekend");
  await page.getByRole("button", { name: "Aanvraag indienen" }).last().click();
  await page.getByText("De aanvraag voor Typetuin is ingediend.").waitFor();
  await screenshot(page, "school-intake-submitted");
  await context.close();
});

it("lets an auditor download every report format, and the files open", async () => {
  const { page, context } = await newPage(h);
  await logIn(page, "auditor");
  await page.goto("/reports");
  await screenshot(page, "auditor-reports");

  const download = async (format: string) => {
    const [file] = await Promise.all([
      page.waitForEvent("download"),
      page.locator('form[action="/reports/applications/download"]').locator(`button[value="${format}"]`).click(),
    ]);
    const path = await file.path();
    const { readFileSync } = await import("node:fs");
    return { name: file.suggestedFilename(), content: readFileSync(path) };
  };

  const xlsx = await download("xlsx");
  expect(xlsx.name).toMatch(/\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx.content as unknown as ArrayBuffer);
  expect(workbook.worksheets.length).toBeGreaterThan(1);
  const rows = workbook.worksheets.map((ws) => ws.rowCount).reduce((a, b) => a + b, 0);
  expect(rows).toBeGreaterThan(40);

  const csv = await download("csv");
  expect(csv.content.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  const records = parse(csv.content.subarray(3).toString("utf8"), { delimiter: ";" }) as string[][];
  expect(records.length).toBeGreaterThan(40);
  expect(records.flat().join(" ")).toContain("Magister");

  const pdf = await download("pdf");
  const { text } = pdfText(pdf.content);
  expect(text).toContain("Stichting Voorbeeld Onderwijs Rivierenland");
  expect(text).toMatch(/[Pp]eildatum/);
  await context.close();
});
