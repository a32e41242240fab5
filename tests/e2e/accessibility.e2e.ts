/// <reference lib="dom" />
// Accessibility (WCAG 2.1 AA) in a real browser: axe-core on every main page for every role, the privacy
// officer's main flow by keyboard only, and pages at 200% zoom and on a phone-width screen.
import axe from "axe-core";
import type { Page } from "playwright-core";
import { SYSTEM_ACTOR } from "../../src/audit/audit.service";
import { inviteUser } from "../../src/users/users.service";
import { logIn, newPage, screenshot, startHarness, type Harness } from "./browser";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

type Role = "admin" | "privacy_officer" | "school" | "auditor";

/** Main pages per role; ids from the demo board (the school user's school is the first school). */
const PAGES: Record<Role, string[]> = {
  privacy_officer: [
    "/", "/applications", "/applications/1", "/applications/new", "/applications/1/data", "/applications/1/classification",
    "/applications/1/measures", "/suppliers", "/suppliers/1", "/agreements", "/agreements/1", "/agreements/1/edit", "/schools", "/schools/1",
    "/categories", "/measures", "/fora", "/overviews", "/overviews/coverage", "/overviews/biv", "/overviews/rationalisation", "/rules", "/audit", "/account",
    "/reports", "/reports/snapshots", "/audit/verify", "/intake", "/intake/new", "/intake/1", "/reminders", "/dpias", "/applications/1/dpia",
    "/applications/1/dpia/edit", "/breaches", "/breaches/1", "/breaches/new", "/retention",
  ],
  admin: ["/", "/admin/board", "/admin/settings", "/schools/new", "/admin/users", "/admin/users/new", "/admin/users/1", "/admin/users/1/edit", "/admin/users/sign-in", "/account/sessions", "/account/two-factor"],
  auditor: ["/", "/applications", "/applications/1", "/agreements/1", "/overviews/biv", "/audit"],
  school: ["/schools/1", "/applications", "/agreements", "/rules", "/account", "/intake", "/intake/new", "/reports", "/reminders"],
};

async function seriousViolations(page: Page) {
  await page.evaluate(axe.source);
  const result = await page.evaluate(() =>
    (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  );
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}

describe.each(Object.keys(PAGES) as Role[])("axe as %s", (role) => {
  let page: Page;
  beforeAll(async () => {
    page = (await newPage(h)).page;
    await logIn(page, role);
  });

  it.each(PAGES[role])("has no serious or critical violations on %s", async (path) => {
    const res = await page.goto(path);
    expect(res?.status()).toBe(200);
    expect(await seriousViolations(page)).toEqual([]);
  });
});

it("has no serious or critical violations on the page behind an invitation link", async () => {
  const { link } = inviteUser(h.running.connection.db, SYSTEM_ACTOR, { name: "Nieuwe Collega", email: "nieuw@svor.example", role: "auditor", schoolIds: [] }, { publicUrl: h.running.url, boardName: "Bestuur" });
  const { page } = await newPage(h);
  await page.goto(new URL(link).pathname);
  await page.getByRole("heading", { name: "Wachtwoord instellen", level: 1 }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);
});

it("has no serious or critical violations on the log-in page", async () => {
  const { page } = await newPage(h);
  await page.goto("/login");
  expect(await seriousViolations(page)).toEqual([]);
});

it("lets a privacy officer log in, find an application and change its data by keyboard only", async () => {
  const { page } = await newPage(h);
  await page.goto("/login");
  await focusByTab(page, "#email");
  await page.keyboard.type("privacy@svor.example");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Demo-privacy-2026!");
  await page.keyboard.press("Enter");
  await page.waitForURL((url) => url.pathname === "/");

  // The skip link takes keyboard users past the menu.
  await page.keyboard.press("Tab");
  await expect(page.locator(".skip-link")).toBeFocusedIn(page);
  await page.keyboard.press("Enter");

  await page.goto("/applications");
  await page.locator("#q").focus();
  await page.keyboard.type("Magister");
  await page.keyboard.press("Enter");
  await page.waitForURL(/q=Magister/);
  await focusByTab(page, 'a[href="/applications/1"]');
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/applications\/1$/);
  await focusByTab(page, 'a[href="/applications/1/data"]');
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/applications\/1\/data$/);
  await focusByTab(page, 'input[name="rows[k10][subjects]"][value="1"]');
  await page.keyboard.press("Space");
  await focusByTab(page, "form button[type=submit]");
  await page.keyboard.press("Enter");
  await page.getByText("De verwerkte persoonsgegevens zijn opgeslagen.").waitFor();
});

it("stays usable at 200% zoom and on a phone-width screen: nothing wider than the screen but scrollable tables", async () => {
  for (const [name, options] of [
    ["zoom-200", { viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 }],
    ["phone", { viewport: { width: 360, height: 740 }, isMobile: true }],
  ] as const) {
    const { page, context } = await newPage(h, options);
    await logIn(page, "privacy_officer");
    for (const path of ["/", "/applications", "/applications/1", "/agreements/1/edit", "/overviews/coverage"]) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect({ path, overflow }).toEqual({ path, overflow: 0 });
      await expect(page.locator("h1")).toBeVisibleIn(page);
    }
    await screenshot(page, `layout-${name}`);
    await context.close();
  }
});

/** Presses Tab until the element matching the selector has focus (at most 200 times). */
async function focusByTab(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Met Tab niet bereikt: ${selector}`);
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toBeFocusedIn(page: Page): Promise<R>;
      toBeVisibleIn(page: Page): Promise<R>;
    }
  }
}

expect.extend({
  async toBeFocusedIn(locator: ReturnType<Page["locator"]>, _page: Page) {
    const pass = await locator.evaluate((el) => el === document.activeElement);
    return { pass, message: () => `verwacht dat ${locator.toString()} de focus heeft` };
  },
  async toBeVisibleIn(locator: ReturnType<Page["locator"]>, _page: Page) {
    const pass = await locator.isVisible();
    return { pass, message: () => `verwacht dat ${locator.toString()} zichtbaar is` };
  },
});
