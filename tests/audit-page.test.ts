// The page /audit (issue 17, item 6): every entry, a page at a time; record types in Dutch; each record linked
// to its page when it still exists and the reader may open it; filters on record type, user and period, with a
// Dutch message (not a 500) for a filter that does not fit.
import { auditPageIds, type AuditFilter } from "../src/audit/audit.repository";
import { recordChange, type Actor } from "../src/audit/audit.service";
import { amsterdamMidnight } from "../src/lib/amsterdam";
import { addDays, todayIso } from "../src/lib/dates";
import { buildTestApp, decoded, loginAs, makeUser, type TestContext } from "./helpers/app";
import { makeApplication, makeSupplier } from "./helpers/factories";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

const reader = async (role: "admin" | "privacy_officer" | "auditor" = "auditor") => loginAs(ctx.app, await makeUser(ctx.db, role));
const write = (actor: Actor, entityType: string, entityId: number | null, summary: string, at?: Date) =>
  recordChange(ctx.db, { actor, action: "update", entityType, entityId, summary, before: { name: "a" }, after: { name: "b" }, at });
const SOMEONE: Actor = { id: null, label: "Iemand <iemand@example.org>" };
/** The table rows of the page, as text. */
const rows = (html: string) =>
  [...decoded(html).matchAll(/<tr>([\s\S]*?)<\/tr>/g)].slice(1).map((m) => m[1]!.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim());

describe("the page /audit", () => {
  it("names each record and its type in Dutch, and links it to its page", async () => {
    const supplier = makeSupplier(ctx.db, { name: "Iddink" });
    const app = makeApplication(ctx.db, { name: "Magister", supplierId: supplier.id });
    write(SOMEONE, "supplier", supplier.id, "Leverancier gewijzigd");
    write(SOMEONE, "application", app.id, "Applicatie gewijzigd");
    const { agent } = await reader();
    const res = await agent.get("/audit");
    expect(res.status).toBe(200);
    const html = decoded(res.text);
    expect(html).toContain(`<a href="/suppliers/${supplier.id}">Iddink</a>`);
    expect(html).toContain(`<a href="/applications/${app.id}">Magister</a>`);
    expect(rows(res.text)[0]).toMatch(/Applicatie Magister Applicatie gewijzigd/);
    expect(rows(res.text)[1]).toMatch(/Leverancier Iddink Leverancier gewijzigd/);
    expect(html).not.toMatch(/>\s*(supplier|application)\s*#/);
  });

  it("does not link a record that no longer exists, nor a page the reader may not open", async () => {
    const gone = makeSupplier(ctx.db, { name: "Weg BV" });
    write(SOMEONE, "supplier", gone.id, "Leverancier gewijzigd");
    ctx.connection.sqlite.prepare("delete from suppliers where id = ?").run(gone.id);
    write(SOMEONE, "settings", null, "Instellingen gewijzigd");
    const auditor = decoded((await (await reader("auditor")).agent.get("/audit")).text);
    expect(auditor).toContain(`#${gone.id} (verwijderd)`);
    expect(auditor).not.toContain(`href="/suppliers/${gone.id}"`);
    expect(auditor).toContain("Instellingen");
    expect(auditor).not.toContain('href="/admin/settings"');
    const admin = decoded((await (await reader("admin")).agent.get("/audit")).text);
    expect(admin).toContain('href="/admin/settings"');
  });

  it("pages through every entry, not only the newest", async () => {
    const supplier = makeSupplier(ctx.db);
    for (let n = 1; n <= 260; n += 1) write(SOMEONE, "supplier", supplier.id, `Wijziging ${n}`);
    const { agent } = await reader();
    const first = await agent.get("/audit");
    expect(first.text).toContain("Wijziging 260<");
    expect(first.text).not.toContain("Wijziging 200<");
    expect(decoded(first.text)).toContain('href="/audit?page=2"');
    const last = await agent.get("/audit?page=6");
    expect(last.status).toBe(200);
    expect(rows(last.text)).toHaveLength(10);
    expect(last.text).toContain("Wijziging 1<");
    expect(decoded(last.text)).toContain("251–260 van 260");
  });

  it("filters on record type, user and period, and keeps the filters in the page links", async () => {
    const supplier = makeSupplier(ctx.db);
    const app = makeApplication(ctx.db, { supplierId: supplier.id });
    const ann = await makeUser(ctx.db, "privacy_officer");
    const bob = await makeUser(ctx.db, "privacy_officer");
    const actor = (u: typeof ann): Actor => ({ id: u.id, label: `${u.name} <${u.email}>` });
    const today = todayIso();
    const longAgo = new Date(amsterdamMidnight(addDays(today, -40)) + 3_600_000);
    write(actor(ann), "supplier", supplier.id, "Ann wijzigt de leverancier", longAgo);
    write(actor(ann), "application", app.id, "Ann wijzigt de applicatie");
    write(actor(bob), "application", app.id, "Bob wijzigt de applicatie");
    for (let n = 1; n <= 60; n += 1) write(actor(bob), "supplier", supplier.id, `Bob ${n}`);
    const { agent } = await reader();
    const summaries = async (query: string) => {
      const res = await agent.get(`/audit?${query}`);
      expect(res.status).toBe(200);
      return rows(res.text).map((r) => /(\w+ wijzigt de \w+|Bob \d+)/.exec(r)?.[1]);
    };
    expect(await summaries("type=application")).toEqual(["Bob wijzigt de applicatie", "Ann wijzigt de applicatie"]);
    expect(await summaries(`user=${ann.id}`)).toEqual(["Ann wijzigt de applicatie", "Ann wijzigt de leverancier"]);
    expect(await summaries(`type=supplier&user=${ann.id}`)).toEqual(["Ann wijzigt de leverancier"]);
    expect(await summaries(`to=${addDays(today, -30)}`)).toEqual(["Ann wijzigt de leverancier"]);
    expect(await summaries(`from=${addDays(today, -1)}&to=${today}&type=application`)).toEqual(["Bob wijzigt de applicatie", "Ann wijzigt de applicatie"]);
    const page = decoded((await agent.get(`/audit?user=${bob.id}`)).text);
    expect(page).toContain(`href="/audit?user=${bob.id}&page=2"`);
    expect(page).toContain("1–50 van 61");
    expect(page).toMatch(new RegExp(`<option value="${bob.id}" selected>`));
  });

  it.each([
    ["an unknown record type", "type=DROP%20TABLE", "Kies een soort gegevens uit de lijst."],
    ["a user that is no number", "user=iemand", "Kies een gebruiker uit de lijst."],
    ["a user that does not exist", "user=999999", "Kies een gebruiker uit de lijst."],
    ["a date that does not exist", "from=2026-02-30", "Vul een bestaande datum in, zoals 2026-03-01."],
    ["an end before the start", "from=2026-03-01&to=2026-02-01", "De einddatum ligt vóór de begindatum."],
    ["page 0", "page=0", "Het paginanummer moet een heel getal van 1 of meer zijn."],
    ["a page that is no number", "page=twee", "Het paginanummer moet een heel getal van 1 of meer zijn."],
    ["a repeated filter", "type=school&type=user", "Kies een soort gegevens uit de lijst."],
  ])("answers %s with 400 and a Dutch message, keeping the filters", async (_name, query, message) => {
    write(SOMEONE, "settings", null, "Instellingen gewijzigd");
    const { agent } = await reader();
    const res = await agent.get(`/audit?${query}`);
    expect(res.status).toBe(400);
    expect(decoded(res.text)).toContain(message);
    expect(res.text).toContain("Deze filters kloppen niet");
    const typed = /from=([^&]+)/.exec(query)?.[1];
    if (typed) expect(res.text).toContain(`value="${typed}"`);
    expect(res.text).not.toContain("Instellingen gewijzigd");
  });

  it("is refused to a school user", async () => {
    const { agent } = await loginAs(ctx.app, await makeUser(ctx.db, "school"));
    expect((await agent.get("/audit?type=DROP")).status).toBe(403);
  });
});

describe("the list on a long history", () => {
  it.each([
    ["no filter", {}],
    ["a record type", { entityType: "supplier" }],
    ["a user", { userId: 1 }],
    ["a period", { fromMs: 0, toMs: 1 }],
    ["a record type and a period", { entityType: "supplier", fromMs: 0, toMs: 1 }],
    ["a user and a period", { userId: 1, fromMs: 0 }],
  ] as [string, AuditFilter][])("reads a page under %s from an index, without sorting the history", (_name, filter) => {
    const { sql, params } = auditPageIds(ctx.db, filter, 500, 50).toSQL();
    const plan = (ctx.connection.sqlite.prepare(`explain query plan ${sql}`).all(...(params as unknown[])) as { detail: string }[]).map((r) => r.detail).join(" | ");
    expect(plan).toMatch(/USING (COVERING )?INDEX audit_log_/);
    expect(plan).not.toContain("TEMP B-TREE");
  });
});
