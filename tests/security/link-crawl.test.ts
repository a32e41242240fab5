// Every link a role is shown must lead somewhere it may go: starting at "/", each role follows every same-origin
// <a href> breadth first and no link may answer 403 or 404. Only links are followed (GET); forms are never
// submitted, so the crawl changes nothing. Query-string variants (sorting, paging, filters) are capped per path
// so the crawl stays bounded on the demo board.
import { hashPassword } from "../../src/auth/passwords";
import { DEMO_USERS, seedDemoBoard } from "../../src/demo/demo-board";
import { buildTestApp, loginAs, type TestContext } from "../helpers/app";

const ROLES = ["admin", "privacy_officer", "auditor", "school"] as const;
/** Distinct query strings followed per path; the rest are variants of a page already checked. */
const MAX_QUERY_VARIANTS = 3;
/** A safety bound on pages per role; the demo board has far fewer distinct paths. */
const MAX_PAGES = 3000;
/** GET links that end the session would cut the crawl short; they are not pages. */
const SKIP = [/^\/logout\b/];

let ctx: TestContext;
beforeAll(async () => {
  ctx = buildTestApp();
  await seedDemoBoard(ctx.db, { now: new Date(), hashPassword });
});
afterAll(() => ctx.close());

function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

/** Same-origin link targets of a page, resolved against the page, without fragments. */
function linksOf(html: string, from: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
    const raw = decodeEntities((m[1] ?? m[2] ?? "").trim());
    if (!raw || raw.startsWith("#") || /^(mailto|tel|javascript):/i.test(raw)) continue;
    const url = new URL(raw, `http://register.test${from}`);
    if (url.origin !== "http://register.test") continue;
    out.push(url.pathname + url.search);
  }
  return out;
}

it.each(ROLES)("as %s, no link on any reachable page answers 403 or 404", async (role) => {
  const { agent } = await loginAs(ctx.app, DEMO_USERS.find((u) => u.role === role)!);
  const seen = new Set<string>(["/"]);
  const variants = new Map<string, number>();
  const queue: { path: string; from: string }[] = [{ path: "/", from: "(start)" }];
  const failures: string[] = [];
  let fetched = 0;
  while (queue.length > 0 && fetched < MAX_PAGES) {
    const { path, from } = queue.shift()!;
    fetched++;
    const res = await agent.get(path).buffer(true);
    if (res.status === 403 || res.status === 404) {
      failures.push(`${res.status} ${path} (link on ${from})`);
      continue;
    }
    if (res.status >= 300 && res.status < 400 && res.headers.location) {
      const target = new URL(res.headers.location, `http://register.test${path}`);
      if (target.origin === "http://register.test") enqueue(target.pathname + target.search, path);
      continue;
    }
    // Downloads (PDF, XLSX, CSV, JSON) are fetched for their status only.
    if (!String(res.headers["content-type"] ?? "").startsWith("text/html")) continue;
    for (const link of linksOf(res.text, path)) enqueue(link, path);
  }
  expect(fetched).toBeLessThan(MAX_PAGES);
  expect(failures).toEqual([]);

  function enqueue(link: string, from: string) {
    if (seen.has(link) || SKIP.some((re) => re.test(link))) return;
    const [pathname, query] = [link.split("?")[0]!, link.includes("?")];
    if (query) {
      const n = variants.get(pathname) ?? 0;
      if (n >= MAX_QUERY_VARIANTS) return;
      variants.set(pathname, n + 1);
    }
    seen.add(link);
    queue.push({ path: link, from });
  }
}, 240_000);
