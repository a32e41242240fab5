// People on a fresh installation, all through the browser: the first admin sets up two-factor, adds two
// schools and invites a privacy officer and two school contacts; they set their passwords through the links
// (the privacy officer also two-factor, which is compulsory for the role); a deactivated contact is out at once;
// the privacy officer signs in again with a code from the app.
import { Secret, TOTP } from "otpauth";
import type { Page } from "playwright-core";
import { newPage, screenshot, startHarness, type Harness } from "./browser";

const ADMIN = { email: "beheer@bestuur.example", password: "Beheer-wachtwoord-2026!" };
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ fresh: true, env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password } });
});
afterAll(async () => {
  await h.close();
});

/** The code an authenticator app shows now, or `steps` periods of 30 seconds later. */
function codeFor(secret: string, steps = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret.replace(/\s/g, "")), digits: 6, period: 30, algorithm: "SHA1" });
  return totp.generate({ timestamp: Date.now() + steps * 30_000 });
}

/** On the set-up page: reads the key as a person would type it into the app, confirms with its code. */
async function setUpTwoFactor(page: Page): Promise<string> {
  await page.waitForURL(/\/account\/two-factor$/);
  const secret = await page.locator("#totp-secret").inputValue();
  await page.getByLabel("Code uit de app").fill(codeFor(secret));
  await page.getByRole("button", { name: "Tweestapsverificatie aanzetten" }).click();
  await page.getByText("Bewaar deze tien codes").waitFor();
  return secret;
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("E-mailadres").fill(email);
  await page.getByLabel("Wachtwoord").fill(password);
  await page.getByRole("button", { name: "Inloggen" }).click();
}

async function addSchool(page: Page, name: string, brin: string): Promise<void> {
  await page.goto("/schools/new");
  await page.locator("#name").fill(name);
  await page.locator("#brin").fill(brin);
  await page.locator("#sector").selectOption("po");
  await page.getByRole("button", { name: "Opslaan" }).click();
  await page.waitForURL(/\/schools\/\d+$/);
}

async function invite(page: Page, values: { name: string; email: string; role: string; school?: string }): Promise<string> {
  await page.goto("/admin/users/new");
  await page.locator("#name").fill(values.name);
  await page.locator("#email").fill(values.email);
  await page.locator("#role").selectOption(values.role);
  if (values.school) await page.getByLabel(values.school).check();
  await page.getByRole("button", { name: "Gebruiker uitnodigen" }).click();
  await page.getByText(`${values.name} is uitgenodigd`).waitFor();
  return page.locator("#link").inputValue();
}

async function acceptInvitation(page: Page, link: string, password: string): Promise<void> {
  await page.goto(new URL(link).pathname);
  await page.getByLabel("Nieuw wachtwoord", { exact: true }).fill(password);
  await page.getByLabel("Nieuw wachtwoord nogmaals").fill(password);
  await page.getByRole("button", { name: "Wachtwoord instellen en inloggen" }).click();
}

it("lets an admin on a fresh installation invite a privacy officer and two school contacts, and put one out at once", async () => {
  const admin = (await newPage(h)).page;
  await signIn(admin, ADMIN.email, ADMIN.password);
  // Compulsory for admins: nothing else opens until two-factor is set up.
  await setUpTwoFactor(admin);
  await admin.goto("/applications");
  await admin.getByRole("heading", { name: "Applicaties", level: 1 }).waitFor();

  await addSchool(admin, "Basisschool De Vlinder", "12VL");
  await addSchool(admin, "Basisschool Het Anker", "13AN");
  const officerLink = await invite(admin, { name: "Pim Privacy", email: "pim@bestuur.example", role: "privacy_officer" });
  const vlinderLink = await invite(admin, { name: "Vera Vlinder", email: "vera@vlinder.example", role: "school", school: "Basisschool De Vlinder (12VL)" });
  const ankerLink = await invite(admin, { name: "Arie Anker", email: "arie@anker.example", role: "school", school: "Basisschool Het Anker (13AN)" });
  await admin.goto("/admin/users");
  await admin.getByRole("row", { name: /Arie Anker.*Uitgenodigd/ }).waitFor();
  await screenshot(admin, "people-invited");

  const officer = (await newPage(h)).page;
  await acceptInvitation(officer, officerLink, "Pim-zijn-eigen-wachtwoord");
  const officerSecret = await setUpTwoFactor(officer);
  await officer.goto("/");
  await officer.getByText("Pim Privacy").first().waitFor();

  const vera = (await newPage(h)).page;
  await acceptInvitation(vera, vlinderLink, "Vera-haar-eigen-wachtwoord");
  await vera.waitForURL((url) => !url.pathname.startsWith("/invite"));
  // A school contact lands on their own school's overview.
  await vera.getByRole("heading", { name: "Basisschool De Vlinder", level: 1 }).waitFor();
  await vera.goto("/schools");
  await vera.getByRole("link", { name: "Basisschool De Vlinder" }).waitFor();
  expect(await vera.getByText("Basisschool Het Anker").count()).toBe(0);

  const arie = (await newPage(h)).page;
  await acceptInvitation(arie, ankerLink, "Arie-zijn-eigen-wachtwoord");
  await arie.waitForURL((url) => !url.pathname.startsWith("/invite"));
  await arie.getByRole("heading", { name: "Basisschool Het Anker", level: 1 }).waitFor();

  // The link is spent: opening it again says so.
  const again = (await newPage(h)).page;
  await again.goto(new URL(ankerLink).pathname);
  await again.getByText("Deze link is al gebruikt.").waitFor();

  await admin.goto("/admin/users");
  await admin.getByRole("link", { name: "Arie Anker" }).click();
  await admin.getByRole("button", { name: "Deactiveren" }).click();
  await admin.getByText("Arie Anker is gedeactiveerd.").waitFor();
  await arie.goto("/schools");
  await arie.waitForURL(/\/login/);
  await signIn(arie, "arie@anker.example", "Arie-zijn-eigen-wachtwoord");
  await arie.getByText("De combinatie van e-mailadres en wachtwoord is onjuist.").waitFor();

  // The privacy officer signs out and in again: password, then a code from the app (the next one: a code is good once).
  await officer.getByRole("button", { name: "Uitloggen" }).click();
  await signIn(officer, "pim@bestuur.example", "Pim-zijn-eigen-wachtwoord");
  await officer.waitForURL(/\/login\/two-factor$/);
  await officer.getByLabel("Code", { exact: true }).fill(codeFor(officerSecret, 1));
  await officer.getByRole("button", { name: "Inloggen" }).click();
  await officer.waitForURL((url) => !url.pathname.startsWith("/login"));
  await officer.getByRole("button", { name: "Uitloggen" }).waitFor();
  await screenshot(officer, "people-officer-signed-in");
});
