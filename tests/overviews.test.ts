import { eq } from "drizzle-orm";
import type { Role } from "../src/db/enums";
import { applicationFunctions, applicationMeasures, dataCategories, foraFunctions, securityMeasures } from "../src/db/schema";
import { buildTestApp, countStatements, decoded, loginAs, makeSchool, makeUser, type TestContext } from "./helpers/app";
import { makeAgreement, makeApplication, makeClassification, makeSupplier, processes } from "./helpers/factories";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

const as = async (role: Role, schoolIds?: number[]) => (await loginAs(ctx.app, await makeUser(ctx.db, role, { schoolIds }))).agent;
const label = (code: string) => ctx.db.select().from(dataCategories).where(eq(dataCategories.code, code)).get()!.label;
const fnByCode = (code: string) => ctx.db.select().from(foraFunctions).where(eq(foraFunctions.code, code)).get()!;
const serve = (applicationId: number, code: string) => ctx.db.insert(applicationFunctions).values({ applicationId, functionId: fnByCode(code).id }).run();

/** The part of a page from the element with this id to the end of its section. */
function section(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) throw new Error(`Geen sectie ${id}`);
  return html.slice(start, html.indexOf("</section>", start));
}

/** The coverage matrix as people read it: per application id, per category label, what its cell says. */
function matrixOf(html: string) {
  const text = decoded(html);
  const headers = [...text.matchAll(/<th scope="col" class="matrix__category"[^>]*>.*?<span class="visually-hidden">([^<]+)<\/span><\/th>/g)].map((m) => m[1]!);
  const rows = new Map<number, { cells: Record<string, string>; gaps: number; status: string }>();
  for (const m of text.matchAll(/<tr>\s*<th scope="row"><a href="\/applications\/(\d+)">[^<]*<\/a> \s*<span class="status [^"]+">([^<]+)<\/span>\s*<\/th>([\s\S]*?)<\/tr>/g)) {
    const states = [...m[3]!.matchAll(/<span class="visually-hidden">([^<]+)<\/span>/g)].map((s) => s[1]!);
    const gaps = Number(/<td class="num">(\d+)<\/td>\s*$/.exec(m[3]!)![1]);
    rows.set(Number(m[1]), { cells: Object.fromEntries(headers.map((h, i) => [h, states[i]!])), gaps, status: m[2]! });
  }
  const footer = /<tfoot>[\s\S]*?<\/tfoot>/.exec(text)?.[0] ?? "";
  const totals = [...footer.matchAll(/<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
  return { headers, rows, totals: Object.fromEntries(headers.map((h, i) => [h, totals[i]!])), totalGaps: totals[headers.length] };
}

/** The BIV table: per aspect, the numbers under laag, midden, hoog and "geen classificatie". */
function bivCounts(html: string): Record<string, number[]> {
  const table = /<table class="table biv-table">[\s\S]*?<\/table>/.exec(html)![0];
  const out: Record<string, number[]> = {};
  for (const row of table.matchAll(/<tr>\s*<th scope="row">([^<]+)<\/th>([\s\S]*?)<\/tr>/g)) {
    out[row[1]!] = [...row[2]!.matchAll(/<td class="num">(?:<a[^>]*>)?(\d+)/g)].map((m) => Number(m[1]));
  }
  return out;
}

describe("coverage matrix", () => {
  function coverageData() {
    const north = makeSchool(ctx.db, { name: "De Noorderzon" });
    const south = makeSchool(ctx.db, { name: "De Zuiderzon" });
    const supplier = makeSupplier(ctx.db);
    const covered = makeApplication(ctx.db, { name: "Leerlingvolgsysteem", supplierId: supplier.id, schoolIds: [north.id] });
    processes(ctx.db, covered.id, ["contact", "health", "bsn"]);
    makeAgreement(ctx.db, { supplierId: supplier.id, applicationIds: [covered.id], categories: ["contact", "health"] });
    const expired = makeApplication(ctx.db, { name: "Oude toetsmodule", schoolIds: [south.id] });
    processes(ctx.db, expired.id, ["contact", "progress"]);
    makeAgreement(ctx.db, { applicationIds: [expired.id], categories: ["contact", "progress"], startsOn: "2023-01-01", endsOn: "2025-06-30" });
    const noData = makeApplication(ctx.db, { name: "Roosterbord", processesPersonalData: false, schoolIds: [north.id] });
    const archived = makeApplication(ctx.db, { name: "Gearchiveerde app", archivedAt: new Date(), schoolIds: [north.id] });
    processes(ctx.db, archived.id, ["contact"]);
    const retired = makeApplication(ctx.db, { name: "Uitgefaseerde app", lifecycle: "uitgefaseerd", schoolIds: [north.id] });
    processes(ctx.db, retired.id, ["contact"]);
    return { north, south, covered, expired, noData, archived, retired };
  }

  it("marks each processed category as covered or not, and every other category as not processed", async () => {
    const { covered } = coverageData();
    const res = await (await as("privacy_officer")).get("/overviews/coverage");
    expect(res.status).toBe(200);
    const row = matrixOf(res.text).rows.get(covered.id)!;
    expect(row.cells[label("contact")]).toBe("gedekt");
    expect(row.cells[label("health")]).toBe("gedekt");
    expect(row.cells[label("bsn")]).toBe("niet gedekt");
    expect(row.cells[label("progress")]).toBe("niet verwerkt");
    expect(Object.values(row.cells).filter((c) => c === "niet verwerkt")).toHaveLength(13);
    expect(row.gaps).toBe(1);
  });

  it("does not count an expired agreement as cover", async () => {
    const { expired } = coverageData();
    const res = await (await as("privacy_officer")).get("/overviews/coverage");
    const row = matrixOf(res.text).rows.get(expired.id)!;
    expect(row.cells[label("contact")]).toBe("niet gedekt");
    expect(row.cells[label("progress")]).toBe("niet gedekt");
    expect(row.gaps).toBe(2);
    expect(row.status).toBe("Niet op orde");
  });

  it("shows one column per category that is not archived, with the full label as text", async () => {
    coverageData();
    ctx.db.update(dataCategories).set({ archivedAt: new Date() }).where(eq(dataCategories.code, "other")).run();
    const res = await (await as("privacy_officer")).get("/overviews/coverage");
    const { headers } = matrixOf(res.text);
    expect(headers).toHaveLength(15);
    expect(headers).toContain("BSN / persoonsgebonden nummer (PGN)");
    expect(headers).not.toContain(label("other"));
  });

  it("leaves out applications that are archived, retired or process no personal data", async () => {
    const { covered, expired, noData, archived, retired } = coverageData();
    const res = await (await as("privacy_officer")).get("/overviews/coverage");
    expect([...matrixOf(res.text).rows.keys()].sort()).toEqual([covered.id, expired.id].sort());
    for (const app of [noData, archived, retired]) expect(res.text).not.toContain(`href="/applications/${app.id}"`);
  });

  it("counts the gaps per category in the footer row and in total", async () => {
    coverageData();
    const res = await (await as("privacy_officer")).get("/overviews/coverage");
    const { totals, totalGaps } = matrixOf(res.text);
    expect(totals[label("contact")]).toBe(1);
    expect(totals[label("bsn")]).toBe(1);
    expect(totals[label("progress")]).toBe(1);
    expect(totals[label("health")]).toBe(0);
    expect(totalGaps).toBe(3);
    expect(res.text).toContain("2 applicaties, 3 niet gedekte combinaties");
  });

  it("shows only the applications the chosen school uses", async () => {
    const { north, covered, expired } = coverageData();
    const res = await (await as("auditor")).get(`/overviews/coverage?school=${north.id}`);
    expect([...matrixOf(res.text).rows.keys()]).toEqual([covered.id]);
    expect(res.text).not.toContain(`href="/applications/${expired.id}"`);
    expect(res.text).toContain(`<option value="${north.id}" selected>De Noorderzon</option>`);
  });

  it("shows only the applications with a gap when asked, and ignores a school filter that is not a number", async () => {
    const supplier = makeSupplier(ctx.db);
    const complete = makeApplication(ctx.db, { supplierId: supplier.id });
    processes(ctx.db, complete.id, ["contact"]);
    makeAgreement(ctx.db, { supplierId: supplier.id, applicationIds: [complete.id], categories: ["contact"] });
    const { covered, expired } = coverageData();
    const agent = await as("privacy_officer");
    const all = await agent.get("/overviews/coverage?school=abc");
    expect(all.status).toBe(200);
    expect(matrixOf(all.text).rows.has(complete.id)).toBe(true);
    const gaps = await agent.get("/overviews/coverage?gaps=on");
    expect([...matrixOf(gaps.text).rows.keys()].sort()).toEqual([covered.id, expired.id].sort());
  });

  it("explains the symbols in a legend above the table", async () => {
    coverageData();
    const res = await (await as("privacy_officer")).get("/overviews/coverage");
    const legend = res.text.indexOf('class="legend"');
    expect(legend).toBeGreaterThan(0);
    expect(legend).toBeLessThan(res.text.indexOf("<table"));
    expect(res.text).toContain("verwerkt maar niet gedekt (hiaat)");
  });

  it("says so when no application processes personal data", async () => {
    const res = await (await as("privacy_officer")).get("/overviews/coverage");
    expect(res.status).toBe(200);
    expect(res.text).toContain("Er zijn geen actieve applicaties die persoonsgegevens verwerken.");
    expect(res.text).not.toContain("<table");
  });

  it("builds the matrix with as many queries for thirty applications as for three", async () => {
    const agent = await as("privacy_officer");
    const queriesFor = async (n: number) => {
      for (let i = 0; i < n; i += 1) {
        const app = makeApplication(ctx.db);
        processes(ctx.db, app.id, ["contact", "progress"]);
        makeAgreement(ctx.db, { applicationIds: [app.id], categories: ["contact"] });
        makeClassification(ctx.db, app.id);
      }
      return countStatements(ctx.connection.sqlite, () => agent.get("/overviews/coverage"));
    };
    const few = await queriesFor(3);
    const many = await queriesFor(27);
    expect(few).toBeGreaterThan(5);
    expect(many).toBe(few);
  });
});

describe("BIV overview", () => {
  function bivData() {
    const strong = makeApplication(ctx.db, { name: "Zorgdossier Sterk" });
    processes(ctx.db, strong.id, ["health"]);
    makeClassification(ctx.db, strong.id, { availability: "hoog", integrity: "midden", confidentiality: "hoog" });
    for (const m of ctx.db.select().from(securityMeasures).all()) {
      ctx.db.insert(applicationMeasures).values({ applicationId: strong.id, measureId: m.id, status: "aanwezig" }).run();
    }
    const low = makeApplication(ctx.db, { name: "Zorgapp Laag" });
    processes(ctx.db, low.id, ["health"]);
    makeClassification(ctx.db, low.id, { availability: "hoog", integrity: "hoog", confidentiality: "hoog", assessedOn: "2024-01-01", nextReviewOn: "2025-01-01" });
    makeClassification(ctx.db, low.id, { availability: "laag", integrity: "laag", confidentiality: "laag", assessedOn: "2024-02-01", nextReviewOn: "2025-02-01" });
    const unclassified = makeApplication(ctx.db, { name: "Nieuwe app" });
    const middle = makeApplication(ctx.db, { name: "Middenmoot" });
    processes(ctx.db, middle.id, ["contact"]);
    makeClassification(ctx.db, middle.id);
    const archived = makeApplication(ctx.db, { name: "Archief", archivedAt: new Date() });
    makeClassification(ctx.db, archived.id, { availability: "hoog" });
    const noData = makeApplication(ctx.db, { name: "Geen gegevens", processesPersonalData: false });
    makeClassification(ctx.db, noData.id, { availability: "hoog" });
    return { strong, low, unclassified, middle };
  }

  it("counts the active applications per aspect and level from their newest classification, and those without one", async () => {
    bivData();
    const res = await (await as("privacy_officer")).get("/overviews/biv");
    expect(res.status).toBe(200);
    expect(bivCounts(res.text)).toEqual({
      Beschikbaarheid: [1, 1, 1, 1],
      Integriteit: [1, 2, 0, 1],
      Vertrouwelijkheid: [1, 1, 1, 1],
    });
  });

  it("lists the applications behind a number when it is followed", async () => {
    const { strong, low } = bivData();
    const agent = await as("auditor");
    const overview = await agent.get("/overviews/biv");
    expect(decoded(overview.text)).toContain('href="/overviews/biv?aspect=vertrouwelijkheid&level=hoog#selectie"');
    const res = await agent.get("/overviews/biv?aspect=vertrouwelijkheid&level=hoog");
    const selection = section(res.text, "selectie");
    expect(selection).toContain("Applicaties met Vertrouwelijkheid hoog (1)");
    expect(selection).toContain(`href="/applications/${strong.id}"`);
    expect(selection).toContain("Hoog / Midden / Hoog");
    expect(selection).not.toContain(`href="/applications/${low.id}"`);
  });

  it("lists the applications without a classification, with where to classify them", async () => {
    const { unclassified, middle } = bivData();
    const res = await (await as("privacy_officer")).get("/overviews/biv");
    const list = section(res.text, "zonder-classificatie");
    expect(list).toContain(`href="/applications/${unclassified.id}"`);
    expect(list).toContain(`href="/applications/${unclassified.id}/classification"`);
    expect(list).not.toContain(`href="/applications/${middle.id}"`);
  });

  it("lists overdue classifications with the date the review was due", async () => {
    const { low, strong } = bivData();
    const res = await (await as("privacy_officer")).get("/overviews/biv");
    const list = section(res.text, "te-laat");
    expect(list).toContain(`href="/applications/${low.id}"`);
    expect(list).toContain("01-02-2025");
    expect(list).not.toContain(`href="/applications/${strong.id}"`);
  });

  it("lists classifications lower than their data imply, with the levels and the categories why", async () => {
    const { low, strong, middle } = bivData();
    const res = await (await as("privacy_officer")).get("/overviews/biv");
    const list = section(res.text, "te-laag");
    expect(list).toMatch(new RegExp(`href="/applications/${low.id}">Zorgapp Laag</a></th><td>Laag</td><td>Hoog</td><td>Medische gegevens / gezondheid en welzijn</td>`));
    expect(list).toContain(`href="/applications/${low.id}/classification"`);
    expect(list).not.toContain(`href="/applications/${strong.id}"`);
    expect(list).not.toContain(`href="/applications/${middle.id}"`);
  });

  it("lists applications whose required measures are not in place, with how many", async () => {
    const { middle, strong } = bivData();
    const res = await (await as("privacy_officer")).get("/overviews/biv");
    const list = section(res.text, "maatregelen");
    expect(list).toMatch(new RegExp(`href="/applications/${middle.id}">Middenmoot</a></th><td class="num">5</td>`));
    expect(list).toContain(`href="/applications/${middle.id}/measures"`);
    expect(list).not.toContain(`href="/applications/${strong.id}"`);
  });

  it("shows the auditor where things stand but no links to change them", async () => {
    const { unclassified } = bivData();
    const res = await (await as("auditor")).get("/overviews/biv");
    expect(res.text).toContain(`href="/applications/${unclassified.id}"`);
    expect(res.text).not.toContain(`href="/applications/${unclassified.id}/classification"`);
  });
});

describe("application rationalisation", () => {
  function rationalisationData() {
    const magister = makeApplication(ctx.db, { name: "Magister", costLicencePerYearCents: 100000, costOneTimeCents: 50000 });
    const somtoday = makeApplication(ctx.db, { name: "Somtoday", costLicencePerYearCents: 25050 });
    const retired = makeApplication(ctx.db, { name: "ParnasSys oud", lifecycle: "uitgefaseerd", costLicencePerYearCents: 99900 });
    const archived = makeApplication(ctx.db, { name: "Archiefrooster", archivedAt: new Date() });
    const loose = makeApplication(ctx.db, { name: "Losse app" });
    const retiredLoose = makeApplication(ctx.db, { name: "Uitgefaseerd los", lifecycle: "uitgefaseerd" });
    serve(magister.id, "oo.administratie");
    serve(somtoday.id, "oo.administratie");
    serve(retired.id, "oo.administratie");
    serve(magister.id, "oo.aanwezigheid");
    serve(archived.id, "oo.rooster");
    return { magister, somtoday, retired, archived, loose, retiredLoose };
  }
  const functionBlock = (html: string, code: string) => {
    const start = html.indexOf(`href="/fora/functions/${fnByCode(code).id}"`);
    if (start < 0) return "";
    return html.slice(start, html.indexOf("</tbody>", start));
  };

  it("flags a function served by more than one active application as a possible duplicate, with the summed licence costs", async () => {
    const { magister, somtoday, retired } = rationalisationData();
    const res = await (await as("privacy_officer")).get("/overviews/rationalisation");
    expect(res.status).toBe(200);
    const block = functionBlock(res.text, "oo.administratie");
    expect(block).toContain("mogelijk dubbel");
    expect(block).toMatch(/2 actieve applicaties, samen €\s1\.250,50 licentie per jaar/);
    expect(block).toContain(`href="/applications/${magister.id}"`);
    expect(block).toContain(`href="/applications/${somtoday.id}"`);
    expect(block).not.toContain(`href="/applications/${retired.id}"`);
    expect(block).toMatch(/€\s500,00/);
    expect(functionBlock(res.text, "oo.aanwezigheid")).not.toContain("mogelijk dubbel");
  });

  it("lists the functions no active application serves", async () => {
    rationalisationData();
    const res = await (await as("privacy_officer")).get("/overviews/rationalisation");
    const list = section(res.text, "zonder-applicatie");
    expect(list).toContain(`href="/fora/functions/${fnByCode("oo.rooster").id}"`);
    expect(list).not.toContain(`href="/fora/functions/${fnByCode("oo.administratie").id}"`);
    expect(list).not.toContain(`href="/fora/functions/${fnByCode("oo.aanwezigheid").id}"`);
    expect(functionBlock(res.text, "oo.rooster")).toContain("geen applicatie");
  });

  it("lists the active applications without any FORA function", async () => {
    const { loose, retiredLoose, magister } = rationalisationData();
    const res = await (await as("privacy_officer")).get("/overviews/rationalisation");
    const list = section(res.text, "zonder-functie");
    expect(list).toContain(`href="/applications/${loose.id}"`);
    expect(list).toContain(`href="/applications/${loose.id}/edit"`);
    expect(list).not.toContain(`href="/applications/${retiredLoose.id}"`);
    expect(list).not.toContain(`href="/applications/${magister.id}"`);
  });

  it("shows only the possible duplicates when asked", async () => {
    rationalisationData();
    const res = await (await as("auditor")).get("/overviews/rationalisation?duplicates=on");
    expect(functionBlock(res.text, "oo.administratie")).toContain("mogelijk dubbel");
    expect(functionBlock(res.text, "oo.aanwezigheid")).toBe("");
    expect(res.text).toMatch(/id="duplicates"[^>]*checked/);
  });
});

describe("access and escaping", () => {
  const PAGES = ["/overviews", "/overviews/coverage", "/overviews/biv", "/overviews/rationalisation"];

  it.each(["admin", "privacy_officer", "auditor"] as const)("renders every overview for %s with one heading", async (role) => {
    const app = makeApplication(ctx.db);
    processes(ctx.db, app.id, ["contact"]);
    const agent = await as(role);
    for (const path of PAGES) {
      const res = await agent.get(path);
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.text.match(/<h1[ >]/g)).toHaveLength(1);
    }
    expect((await agent.get("/")).text).toContain('href="/overviews"');
  });

  it("refuses every overview to a school user with 403 and leaves it out of the menu", async () => {
    const school = makeSchool(ctx.db);
    const agent = await as("school", [school.id]);
    for (const path of [...PAGES, `/overviews/coverage?school=${school.id}`]) expect([path, (await agent.get(path)).status]).toEqual([path, 403]);
    expect((await agent.get("/")).text).not.toContain('href="/overviews"');
  });

  it("sends a visitor who is not logged in to the log-in page", async () => {
    const res = await (await import("supertest")).default(ctx.app).get("/overviews/biv");
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });

  it("escapes HTML in an application name on every overview", async () => {
    const app = makeApplication(ctx.db, { name: '<script>alert("x")</script>' });
    processes(ctx.db, app.id, ["contact"]);
    const agent = await as("privacy_officer");
    for (const path of ["/overviews/coverage", "/overviews/biv", "/overviews/rationalisation"]) {
      const res = await agent.get(path);
      expect(res.text).toContain("&lt;script&gt;alert(");
      expect(res.text).not.toContain("<script>alert(");
    }
  });
});
