// The browser side of the flows: the real server on a temporary database with the demo board, and Debian's
// chromium driven by playwright-core (no browser download). Screenshots go to test-artifacts/ (git ignores it).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { hashPassword } from "../../src/auth/passwords";
import { loadConfig } from "../../src/config";
import { DEMO_USERS, seedDemoBoard } from "../../src/demo/demo-board";
import { start, type Running } from "../../src/server";

export const ARTIFACTS = join(__dirname, "..", "..", "test-artifacts");
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export type Harness = { running: Running; browser: Browser; dir: string; close: () => Promise<void> };

/**
 * The server on a fresh temporary folder: with the demo board, or (`fresh`) as a new installation with only the
 * first admin from ADMIN_EMAIL/ADMIN_PASSWORD in `env`.
 */
export async function startHarness(options: { fresh?: boolean; env?: Record<string, string> } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "ibp-e2e-"));
  const config = {
    ...loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", SESSION_SECRET: "e2e-secret-e2e-secret-e2e-secret!!", ...options.env }),
    databasePath: join(dir, "register.sqlite"),
    documentsDir: join(dir, "documents"),
    port: 0,
  };
  const running = await start(config, options.fresh ? undefined : (connection) => seedDemoBoard(connection.db, { now: new Date(), hashPassword }));
  // Flags as the machine notes prescribe: no sandbox as root, and no background network (the network is closed).
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  return {
    running,
    browser,
    dir,
    close: async () => {
      await browser.close();
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function demoUser(role: (typeof DEMO_USERS)[number]["role"]) {
  return DEMO_USERS.find((u) => u.role === role)!;
}

export async function newPage(h: Harness, options: Parameters<Browser["newContext"]>[0] = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await h.browser.newContext({ baseURL: h.running.url, locale: "nl-NL", timezoneId: "Europe/Amsterdam", ...options });
  const page = await context.newPage();
  return { context, page };
}

export async function logIn(page: Page, role: (typeof DEMO_USERS)[number]["role"]): Promise<void> {
  const user = demoUser(role);
  await page.goto("/login");
  await page.getByLabel("E-mailadres").fill(user.email);
  await page.getByLabel("Wachtwoord").fill(user.password);
  await page.getByRole("button", { name: "Inloggen" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** A small valid PDF, as a signed agreement would be. */
export function samplePdf(dir: string): string {
  const body = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
  const path = join(dir, "verwerkersovereenkomst-getekend.pdf");
  writeFileSync(path, body);
  return path;
}
