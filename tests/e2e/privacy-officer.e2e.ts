// A privacy officer brings a new application into the register entirely through the browser: supplier,
// application, the data it processes, the agreement with its signed PDF, the classification and its
// measures; the application turns green, and the history shows who did what.
import { todayIso } from "../../src/lib/dates";
import { logIn, newPage, samplePdf, screenshot, startHarness, type Harness } from "./browser";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

it("brings in an application with supplier, agreement and PDF, classifies it and sees it turn green", async () => {
  const { page, context } = await newPage(h);
  await logIn(page, "privacy_officer");
  const today = todayIso();

  await page.goto("/suppliers/new");
  await page.locator("#name").fill("Pluspunt Leermiddelen B.V.");
  await page.locator("#kvk").fill("87654321");
  await page.locator("#covenantStatus").selectOption("deelnemer");
  await page.getByRole("button", { name: "Opslaan" }).click();
  await page.getByText("Leverancier Pluspunt Leermiddelen B.V. is toegevoegd.").waitFor();

  await page.goto("/applications/new");
  await page.locator("#name").fill("Pluspunt Rekenen");
  await page.locator("#supplierId").selectOption({ label: "Pluspunt Leermiddelen B.V." });
  await page.locator("#goal").fill("Adaptief rekenen in groep 5 tot en met 8");
  await page.getByLabel("Basisschool De Regenboog (17RB)").check();
  await page.getByRole("button", { name: "Opslaan" }).click();
  await page.waitForURL(/\/applications\/\d+$/);
  const appUrl = new URL(page.url()).pathname;
  await page.getByText("Niet op orde").first().waitFor();

  await page.getByRole("link", { name: "Gegevens wijzigen" }).click();
  const contact = page.locator("fieldset", { has: page.locator("legend", { hasText: /^Contactgegevens$/ }) });
  await contact.getByLabel("Leerlingen").check();
  await contact.getByLabel("Waarom (doel)").fill("Inloggen en voortgang per leerling");
  await page.getByRole("button", { name: "Opslaan" }).click();
  await page.waitForURL(new RegExp(`${appUrl}#gegevens$`));

  await page.getByRole("link", { name: "Verwerkersovereenkomst toevoegen" }).click();
  await page.locator("#reference").fill("PP-2026-001");
  await page.locator("#model").selectOption("4.0");
  await page.locator("#status").selectOption("ondertekend");
  await page.locator("#signedOn").fill(today);
  await page.locator("#startsOn").fill(today);
  await page.getByLabel("Contactgegevens", { exact: true }).check();
  await page.locator("fieldset", { has: page.locator("legend", { hasText: "Betrokkenen" }) }).getByLabel("Leerlingen").check();
  await page.locator("#document").setInputFiles(samplePdf(h.dir));
  await page.getByRole("button", { name: "Opslaan" }).last().click();
  await page.getByText("Verwerkersovereenkomst PP-2026-001 is toegevoegd.").waitFor();
  await page.getByText("verwerkersovereenkomst-getekend.pdf", { exact: true }).waitFor();
  await screenshot(page, "privacy-officer-agreement");

  await page.goto(appUrl);
  await page.getByRole("link", { name: "Classificeren" }).click();
  await page.getByLabel("Een dag of langer zonder merkbare schade", { exact: false }).check();
  await page.getByLabel("Fouten zijn acceptabel of vallen snel op.").check();
  await page.getByLabel("Beperkte schade", { exact: false }).check();
  await page.locator("#special-nee").check();
  await page.locator("#scale-klein").check();
  await page.getByRole("button", { name: "Niveau voorstellen" }).click();
  await page.getByText("Voorstel op basis van de antwoorden").waitFor();
  await page.locator("#rationale").fill("Oefenstof en voortgang; een dag zonder is geen probleem.");
  await page.getByRole("button", { name: "Classificatie vastleggen" }).click();
  await page.getByText("De BIV-classificatie is vastgelegd.").waitFor();

  await page.getByRole("link", { name: "Maatregelen bijwerken" }).click();
  await page.getByLabel("Stand: Toegang op basis van rollen").selectOption("aanwezig");
  await page.getByLabel("Stand: Versleuteld transport (TLS)").selectOption("aanwezig");
  await page.getByRole("button", { name: "Opslaan" }).click();
  await page.getByText("De maatregelen zijn bijgewerkt.").waitFor();

  await page.goto(appUrl);
  await page.locator("#status-heading", { hasText: "Op orde" }).waitFor();
  await screenshot(page, "privacy-officer-application-green");
  const history = await page.locator(".history").innerText();
  expect(history).toContain("Applicatie Pluspunt Rekenen aangemaakt");
  expect(history).toContain("BIV-classificatie van Pluspunt Rekenen");
  await context.close();
});
