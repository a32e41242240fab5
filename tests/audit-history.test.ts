// The change history in words on a record's page (issue 17, item 6): names instead of ids or JSON, Dutch dates,
// ja/nee, list changes as "+ added / − removed", no bookkeeping or secrets; and one save is one entry.
import { and, eq } from "drizzle-orm";
import request from "supertest";
import { verifyAuditChain } from "../src/audit/audit.chain";
import { createToken, hashToken } from "../src/api/tokens.service";
import { auditLog, foraFunctions, securityMeasures } from "../src/db/schema";
import { seedDemoBoard } from "../src/demo/demo-board";
import { nl } from "../src/i18n";
import type { CurrentUser } from "../src/http/policy";
import { buildTestApp, decoded, loginAs, makeSchool, makeUser, type TestContext } from "./helpers/app";
import { categoryId, makeAgreement, makeApplication, makeClassification, makeSupplier, subjectId } from "./helpers/factories";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

const officer = async () => loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
const fn = (code: string) => ctx.db.select().from(foraFunctions).where(eq(foraFunctions.code, code)).get()!;
const entriesOf = (type: string, id: number) =>
  ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, type), eq(auditLog.entityId, id))).all();
/** The list of changes of the newest entry on a page, as text. */
const newestChanges = (html: string) => decoded(/<ul class="changes">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? "").replace(/<[^>]+>/g, "").replace(/\s+/g, " ").trim();

function applicationForm(supplierId: number, extra: Record<string, unknown> = {}) {
  return {
    name: "Magister",
    supplierId,
    description: "Leerlingadministratie",
    goal: "Administratie",
    lifecycle: "in_gebruik",
    usedByPupils: "on",
    processesPersonalData: "on",
    dataLocationCountry: "Nederland",
    dataInEea: "ja",
    ...extra,
  };
}

describe("the history on a record's page, in words", () => {
  it("names the category an agreement gains, not the list of ids", async () => {
    const supplier = makeSupplier(ctx.db, { name: "Topicus" });
    const app = makeApplication(ctx.db, { name: "Somtoday", supplierId: supplier.id });
    const agreement = makeAgreement(ctx.db, { supplierId: supplier.id, reference: "VO-1", applicationIds: [app.id], categories: ["contact", "health"] });
    const { agent, token } = await officer();
    const ids = ["contact", "health", "progress"].map((code) => categoryId(ctx.db, code));
    const res = await agent
      .post(`/agreements/${agreement.id}`)
      .type("form")
      .send({
        reference: "VO-1",
        supplierId: supplier.id,
        model: "4.0",
        status: "ondertekend",
        signedOn: "2025-01-01",
        startsOn: "2025-01-01",
        endsOn: "2027-01-31",
        applicationIds: [app.id],
        dataCategoryIds: ids,
        dataSubjectIds: [subjectId(ctx.db, "pupils")],
        version: 1,
        _csrf: await token(),
      });
    expect(res.status).toBe(303);
    const page = await agent.get(`/agreements/${agreement.id}`);
    const changes = newestChanges(page.text);
    expect(changes).toContain("Categorieën persoonsgegevens: + Studievoortgang en resultaten");
    expect(changes).toContain("Betrokkenen: + Leerlingen");
    expect(changes).toContain("Einddatum: (leeg) → 31-01-2027");
    expect(changes).not.toMatch(/\[|\]|\{/);
    expect(changes).not.toContain(String(ids.join(",")));
  });

  it("names an application's FORA functions, data lines and schools, with Dutch dates and ja/nee", async () => {
    const supplier = makeSupplier(ctx.db, { name: "Iddink" });
    const app = makeApplication(ctx.db, { name: "Magister", supplierId: supplier.id, usedByPupils: true, processesPersonalData: true });
    const school = makeSchool(ctx.db, { name: "Het Baken" });
    const { agent, token } = await officer();
    const admin = fn("oo.administratie");
    expect(
      (
        await agent
          .post(`/applications/${app.id}`)
          .type("form")
          .send({ ...applicationForm(supplier.id, { usedByParents: "on" }), functionIds: String(admin.id), version: 1, _csrf: await token() })
      ).status,
    ).toBe(303);
    let changes = newestChanges((await agent.get(`/applications/${app.id}`)).text);
    expect(changes).toContain(`FORA-functies: + ${admin.code} ${admin.name}`);
    expect(changes).toContain("Gebruikt door ouders: nee → ja");

    const health = categoryId(ctx.db, "health");
    const pupils = subjectId(ctx.db, "pupils");
    const data = await agent
      .post(`/applications/${app.id}/data`)
      .type("form")
      .send(`_csrf=${encodeURIComponent(await token())}&version=2&rows[k${health}][subjects]=${pupils}&rows[k${health}][purpose]=Zorgdossier`);
    expect(data.status).toBe(303);
    changes = newestChanges((await agent.get(`/applications/${app.id}`)).text);
    expect(changes).toContain("+ Medische gegevens / gezondheid en welzijn – Leerlingen (Zorgdossier)");
    expect(changes).not.toMatch(/\d+:\d+/);

    const schools = await agent
      .post(`/applications/${app.id}/schools`)
      .type("form")
      .send(`_csrf=${encodeURIComponent(await token())}&version=3&rows[k${school.id}][used]=on&rows[k${school.id}][since]=2025-08-01`);
    expect(schools.status).toBe(303);
    changes = newestChanges((await agent.get(`/applications/${app.id}`)).text);
    expect(changes).toBe("Scholen: + Het Baken vanaf 01-08-2025");
  });

  it("shows levels and enumerations by their labels and a supplier named, not its id", async () => {
    const from = makeSupplier(ctx.db, { name: "Iddink" });
    const to = makeSupplier(ctx.db, { name: "Topicus" });
    const app = makeApplication(ctx.db, { name: "Magister", supplierId: from.id, lifecycle: "aangevraagd" });
    const { agent, token } = await officer();
    const res = await agent
      .post(`/applications/${app.id}`)
      .type("form")
      .send({ ...applicationForm(to.id), version: 1, _csrf: await token() });
    expect(res.status).toBe(303);
    const changes = newestChanges((await agent.get(`/applications/${app.id}`)).text);
    expect(changes).toContain("Leverancier: Iddink → Topicus");
    expect(changes).toContain("Levensfase: Aangevraagd → In gebruik");
  });

  it("shows what a creation set, without bookkeeping, and never a secret", async () => {
    const user = await makeUser(ctx.db, "privacy_officer");
    const { token } = createToken(ctx.db, { id: user.id, name: user.name, email: user.email, role: user.role, schoolIds: [] } as CurrentUser, { name: "Koppeling" });
    const { agent, token: csrf } = await loginAs(ctx.app, user);
    expect((await agent.post("/suppliers").type("form").send({ name: "Heutink", covenantStatus: "deelnemer", _csrf: await csrf() })).status).toBe(303);
    const supplier = ctx.db.select().from(auditLog).where(eq(auditLog.entityType, "supplier")).get()!;
    const page = decoded((await agent.get(`/suppliers/${supplier.entityId}`)).text);
    const changes = newestChanges(page);
    expect(changes).toContain("Naam: Heutink");
    expect(changes).toContain("Convenant: Deelnemer convenant");
    expect(changes).not.toMatch(/version|Versie|createdAt|updatedAt|\bid\b/i);
    const audit = decoded((await agent.get("/audit")).text);
    expect(audit).toContain("Begint met");
    expect(audit).not.toContain(hashToken(token));
    expect(audit).not.toMatch(/tokenHash|passwordHash/);
  });

  it("names a record that no longer exists as deleted", async () => {
    const app = makeApplication(ctx.db, { name: "Magister" });
    const agreement = makeAgreement(ctx.db, { supplierId: app.supplierId, applicationIds: [] });
    const gone = makeApplication(ctx.db, { name: "Weg", supplierId: app.supplierId });
    const { agent, token } = await officer();
    const form = {
      reference: agreement.reference,
      supplierId: app.supplierId,
      model: "4.0",
      status: "ondertekend",
      signedOn: "2025-01-01",
      startsOn: "2025-01-01",
      applicationIds: [app.id, gone.id],
      _csrf: await token(),
    };
    expect((await agent.post(`/agreements/${agreement.id}`).type("form").send({ ...form, version: 1 })).status).toBe(303);
    ctx.connection.sqlite.prepare("delete from agreement_applications where application_id = ?").run(gone.id);
    ctx.connection.sqlite.prepare("delete from applications where id = ?").run(gone.id);
    const changes = newestChanges((await agent.get(`/agreements/${agreement.id}`)).text);
    expect(changes).toContain("+ Magister");
    expect(changes).toContain(`+ #${gone.id} (verwijderd)`);
  });
});

describe("one save is one entry", () => {
  it("records an application's edit with its FORA functions as one entry", async () => {
    const supplier = makeSupplier(ctx.db);
    const app = makeApplication(ctx.db, { name: "Oud", supplierId: supplier.id });
    const { agent, token } = await officer();
    const res = await agent
      .post(`/applications/${app.id}`)
      .type("form")
      .send({ ...applicationForm(supplier.id), name: "Nieuw", functionIds: [String(fn("oo.administratie").id)], version: 1, _csrf: await token() });
    expect(res.status).toBe(303);
    const entries = entriesOf("application", app.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.before).toMatchObject({ name: "Oud", functionIds: [] });
    expect(entries[0]!.after).toMatchObject({ name: "Nieuw", functionIds: [fn("oo.administratie").id] });
    expect(entries[0]!.summary).toBe("Applicatie Nieuw gewijzigd");
    expect(verifyAuditChain(ctx.db).ok).toBe(true);
  });

  it("records saving the data lines, the schools and the measures each as one entry", async () => {
    const app = makeApplication(ctx.db);
    makeClassification(ctx.db, app.id);
    const school = makeSchool(ctx.db);
    const measure = ctx.db.select().from(securityMeasures).where(eq(securityMeasures.code, "v.rollen")).get()!;
    const { agent, token } = await officer();
    const health = categoryId(ctx.db, "health");
    const pupils = subjectId(ctx.db, "pupils");
    const send = async (path: string, body: string) =>
      (await agent.post(`/applications/${app.id}/${path}`).type("form").send(`_csrf=${encodeURIComponent(await token())}&${body}`)).status;
    expect(await send("data", `version=1&rows[k${health}][subjects]=${pupils}`)).toBe(303);
    expect(entriesOf("application", app.id)).toHaveLength(1);
    expect(await send("schools", `version=2&rows[k${school.id}][used]=on`)).toBe(303);
    expect(entriesOf("application", app.id)).toHaveLength(2);
    expect(await send("measures", `version=3&rows[k${measure.id}][status]=aanwezig`)).toBe(303);
    const entries = entriesOf("application", app.id);
    expect(entries).toHaveLength(3);
    expect(entries.map((e) => Object.keys(e.after ?? {}).filter((k) => ["data", "schools", "measures"].includes(k)))).toEqual([["data"], ["schools"], ["measures"]]);
    expect(verifyAuditChain(ctx.db).ok).toBe(true);
  });

  it("records an API update of an application and its schools as one entry", async () => {
    const school = makeSchool(ctx.db);
    const app = makeApplication(ctx.db, { name: "Magister" });
    const admin = await makeUser(ctx.db, "admin");
    const { token } = createToken(ctx.db, { id: admin.id, name: admin.name, email: admin.email, role: "admin", schoolIds: [] } as CurrentUser, { name: "test" });
    const res = await request(ctx.app)
      .patch(`/api/v1/applications/${app.id}`)
      .set("Authorization", `Bearer ${token}`)
      .send({ version: 1, description: "Leerlingvolgsysteem", schoolIds: [school.id] });
    expect(res.status).toBe(200);
    const entries = entriesOf("application", app.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.after).toMatchObject({ description: "Leerlingvolgsysteem", schools: [school.name] });
    expect(verifyAuditChain(ctx.db).ok).toBe(true);
  });

  it("keeps two saves of the same record two entries", async () => {
    const supplier = makeSupplier(ctx.db);
    const app = makeApplication(ctx.db, { name: "Een", supplierId: supplier.id });
    const { agent, token } = await officer();
    for (const [name, version] of [["Twee", 1], ["Drie", 2]] as const) {
      expect((await agent.post(`/applications/${app.id}`).type("form").send({ ...applicationForm(supplier.id), name, version, _csrf: await token() })).status).toBe(303);
    }
    expect(entriesOf("application", app.id).map((e) => e.after?.name)).toEqual(["Twee", "Drie"]);
  });
});

describe("every kind of record and field in words", () => {
  it("names every record type and field the demo board writes, on every page of /audit", async () => {
    await seedDemoBoard(ctx.db, { now: new Date(), hashPassword: async () => "x" });
    const { agent } = await loginAs(ctx.app, await makeUser(ctx.db, "admin"));
    const types = new Set(Object.values(nl.audit.recordTypes));
    let url: string | undefined = "/audit";
    let pages = 0;
    while (url) {
      const res = await agent.get(url);
      expect(res.status).toBe(200);
      const html = decoded(res.text);
      const fields = [...html.matchAll(/<span class="changes__field">([^<]*)<\/span>/g)].map((m) => m[1]!);
      expect(fields.filter((name) => /^[a-z]+[A-Z]|^[a-z]+$/.test(name))).toEqual([]);
      const rowTypes = [...html.matchAll(/<tr>\s*<td>[^<]*<\/td>\s*<td>[^<]*<\/td>\s*<td>([^<]*)<\/td>/g)].map((m) => m[1]!);
      expect(rowTypes.length).toBeGreaterThan(0);
      expect(rowTypes.filter((type) => !types.has(type))).toEqual([]);
      url = /<a href="([^"]+)" rel="next">/.exec(html)?.[1];
      pages += 1;
    }
    expect(pages).toBeGreaterThan(1);
  }, 60_000);
});
