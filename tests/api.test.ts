// The JSON API through HTTP: personal tokens (created and revoked in the browser), every endpoint for every
// role with the browser's school rules, strict input (400 per field), the register's rules (422), optimistic
// locking (409), and every response checked against the OpenAPI document with ajv.
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import request from "supertest";
import { createToken, hashToken } from "../src/api/tokens.service";
import type { Role } from "../src/db/enums";
import { apiTokens, applications, applicationSchools, auditLog, classifications, users } from "../src/db/schema";
import type { CurrentUser } from "../src/http/policy";
import { buildTestApp, csrfFrom, decoded, loginAs, makeSchool, makeUser, type TestContext } from "./helpers/app";
import { categoryId, makeAgreement, makeApplication, makeClassification, makeSupplier, processes, subjectId } from "./helpers/factories";
import { rewriteRefs } from "./helpers/openapi";

jest.setTimeout(30_000);

// ---------------------------------------------------------------------------------------------
// The OpenAPI document as ajv schemas: its component schemas under $defs of one schema "api".

type Json = Record<string, unknown>;
let doc: Json;
let ajv: Ajv2020;

function loadSpec(spec: Json) {
  doc = spec;
  ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: "api", $defs: rewriteRefs((spec.components as Json).schemas) as Json });
}

/** Path template of a concrete path: /applications/12/status → /applications/{id}/status. */
function templateOf(path: string): string {
  const bare = path.replace(/^\/api\/v1/, "").split("?")[0]!;
  return bare.replace(/\/\d+(?=\/|$)/g, "/{id}");
}

/** The response matches what the document promises for this path, method and status. */
function expectDocumented(res: request.Response, method: string, path: string) {
  const operation = ((doc.paths as Json)[templateOf(path)] as Json | undefined)?.[method.toLowerCase()] as Json | undefined;
  if (!operation) throw new Error(`Niet gedocumenteerd: ${method} ${templateOf(path)}`);
  const response = (operation.responses as Json)[String(res.status)] as Json | undefined;
  if (!response) throw new Error(`Status ${res.status} niet gedocumenteerd voor ${method} ${templateOf(path)}`);
  const schema = rewriteRefs((((response.content as Json)["application/json"] as Json).schema)) as Json;
  const validate = ajv.compile(schema);
  if (!validate(res.body)) throw new Error(`${method} ${path} (${res.status}) wijkt af van de beschrijving: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(res.body).slice(0, 500)}`);
}

// ---------------------------------------------------------------------------------------------

let ctx: TestContext;

const call = (method: "get" | "post" | "patch", path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) => {
  const r = request(ctx.app)[method](`/api/v1${path}`);
  if (token) r.set("Authorization", `Bearer ${token}`);
  for (const [name, value] of Object.entries(headers)) r.set(name, value);
  return body === undefined ? r : r.send(body as object);
};

/** Calls and checks the response against the OpenAPI document. */
async function api(method: "get" | "post" | "patch", path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await call(method, path, token, body, headers);
  expectDocumented(res, method, path);
  return res;
}

const tokenFor = (user: { id: number; name: string; email: string; role: Role }, schoolIds: number[] = []) =>
  createToken(ctx.db, { id: user.id, name: user.name, email: user.email, role: user.role, schoolIds } as CurrentUser, { name: "test" }).token;

async function fixture() {
  ctx = buildTestApp();
  const own = makeSchool(ctx.db, { name: "Eigen school" });
  const other = makeSchool(ctx.db, { name: "Andere school" });
  const supplier = makeSupplier(ctx.db, { name: "Iddink", kvk: "12345678" });
  const ownApp = makeApplication(ctx.db, { name: "Magister", supplierId: supplier.id, schoolIds: [own.id] });
  const otherApp = makeApplication(ctx.db, { name: "Somtoday", schoolIds: [other.id] });
  processes(ctx.db, ownApp.id, ["contact", "health"]);
  const ownAgreement = makeAgreement(ctx.db, { supplierId: supplier.id, applicationIds: [ownApp.id, otherApp.id], categories: ["contact"] });
  const otherAgreement = makeAgreement(ctx.db, { supplierId: otherApp.supplierId, applicationIds: [otherApp.id] });
  const ownClassification = makeClassification(ctx.db, ownApp.id);
  const otherClassification = makeClassification(ctx.db, otherApp.id);
  const roles = {
    admin: await makeUser(ctx.db, "admin"),
    privacy_officer: await makeUser(ctx.db, "privacy_officer"),
    auditor: await makeUser(ctx.db, "auditor"),
    school: await makeUser(ctx.db, "school", { schoolIds: [own.id] }),
  };
  const tokens = {
    admin: tokenFor(roles.admin),
    privacy_officer: tokenFor(roles.privacy_officer),
    auditor: tokenFor(roles.auditor),
    school: tokenFor(roles.school, [own.id]),
  };
  const spec = await request(ctx.app).get("/api/v1/openapi.json");
  loadSpec(spec.body as Json);
  return { own, other, supplier, ownApp, otherApp, ownAgreement, otherAgreement, ownClassification, otherClassification, roles, tokens };
}

type Fixture = Awaited<ReturnType<typeof fixture>>;

describe("reading, for each role", () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture();
  });
  afterAll(() => ctx.close());

  const ROLES = ["admin", "privacy_officer", "auditor", "school"] as const;
  const READERS = ["admin", "privacy_officer", "auditor"];
  /** Each endpoint with the status each role gets. */
  const cases: { name: string; path: (f: Fixture) => string; allowed: readonly string[]; otherwise: number }[] = [
    { name: "/schools", path: () => "/schools", allowed: ROLES, otherwise: 403 },
    { name: "/schools/{own school}", path: (f) => `/schools/${f.own.id}`, allowed: ROLES, otherwise: 403 },
    { name: "/schools/{other school}", path: (f) => `/schools/${f.other.id}`, allowed: READERS, otherwise: 403 },
    { name: "/suppliers", path: () => "/suppliers", allowed: READERS, otherwise: 403 },
    { name: "/suppliers/{supplier}", path: (f) => `/suppliers/${f.supplier.id}`, allowed: READERS, otherwise: 403 },
    { name: "/applications", path: () => "/applications", allowed: ROLES, otherwise: 403 },
    { name: "/applications?school={other school}", path: (f) => `/applications?school=${f.other.id}`, allowed: READERS, otherwise: 403 },
    { name: "/applications/{own application}", path: (f) => `/applications/${f.ownApp.id}`, allowed: ROLES, otherwise: 403 },
    { name: "/applications/{other application}", path: (f) => `/applications/${f.otherApp.id}`, allowed: READERS, otherwise: 403 },
    { name: "/applications/{own application}/status", path: (f) => `/applications/${f.ownApp.id}/status`, allowed: ROLES, otherwise: 403 },
    { name: "/applications/{other application}/status", path: (f) => `/applications/${f.otherApp.id}/status`, allowed: READERS, otherwise: 403 },
    { name: "/agreements", path: () => "/agreements", allowed: ROLES, otherwise: 403 },
    { name: "/agreements/{own agreement}", path: (f) => `/agreements/${f.ownAgreement.id}`, allowed: ROLES, otherwise: 403 },
    { name: "/agreements/{other agreement}", path: (f) => `/agreements/${f.otherAgreement.id}`, allowed: READERS, otherwise: 403 },
    { name: "/classifications", path: () => "/classifications", allowed: ROLES, otherwise: 403 },
    { name: "/classifications?application={other application}", path: (f) => `/classifications?application=${f.otherApp.id}`, allowed: READERS, otherwise: 403 },
    { name: "/classifications/{own classification}", path: (f) => `/classifications/${f.ownClassification.id}`, allowed: ROLES, otherwise: 403 },
    { name: "/classifications/{other classification}", path: (f) => `/classifications/${f.otherClassification.id}`, allowed: READERS, otherwise: 403 },
    { name: "/data-categories", path: () => "/data-categories", allowed: READERS, otherwise: 403 },
    { name: "/data-subjects", path: () => "/data-subjects", allowed: READERS, otherwise: 403 },
    { name: "/fora-functions", path: () => "/fora-functions", allowed: READERS, otherwise: 403 },
    { name: "/compliance", path: () => "/compliance", allowed: ROLES, otherwise: 403 },
  ];

  describe.each(ROLES)("as %s", (role) => {
    it.each(cases.map((c) => [c.name, c] as const))("GET %s", async (_name, c) => {
      const res = await api("get", c.path(f), f.tokens[role]);
      expect(res.status).toBe(c.allowed.includes(role) ? 200 : c.otherwise);
      if (res.status === 403) expect(res.body.error.message).toBe("U heeft geen toegang tot dit record of deze handeling.");
    });
  });

  it("shows a school user only its own schools, applications, agreements and classifications", async () => {
    const t = f.tokens.school;
    expect((await api("get", "/schools", t)).body.data.map((s: Json) => s.id)).toEqual([f.own.id]);
    expect((await api("get", "/applications", t)).body.data.map((a: Json) => a.id)).toEqual([f.ownApp.id]);
    const agreementsRes = await api("get", "/agreements", t);
    expect(agreementsRes.body.data.map((a: Json) => a.id)).toEqual([f.ownAgreement.id]);
    // The shared agreement covers the other school's application too: the school user does not see that one.
    expect(agreementsRes.body.data[0].applicationIds).toEqual([f.ownApp.id]);
    expect((await api("get", "/classifications", t)).body.data.map((c: Json) => c.id)).toEqual([f.ownClassification.id]);
    expect((await api("get", "/compliance", t)).body.total).toBe(1);
    const detail = await api("get", `/applications/${f.ownApp.id}`, t);
    expect(detail.body.schools.map((s: Json) => s.id)).toEqual([f.own.id]);
  });

  it("answers a school user 403, never 404, for ids that do not exist: nothing is revealed", async () => {
    for (const path of ["/applications/999999", "/applications/999999/status", "/agreements/999999", "/classifications/999999", "/schools/999999"]) {
      const res = await api("get", path, f.tokens.school);
      expect(res.status).toBe(403);
    }
    expect((await api("get", "/applications/999999", f.tokens.auditor)).status).toBe(404);
  });

  it("returns an application with its data, schools, functions, classification, agreements, status and findings", async () => {
    const res = await api("get", `/applications/${f.ownApp.id}`, f.tokens.auditor);
    expect(res.body).toMatchObject({ id: f.ownApp.id, name: "Magister", supplier: { id: f.supplier.id, name: "Iddink" }, version: 1 });
    expect(res.body.data.map((d: Json) => (d.category as Json).code).sort()).toEqual(["contact", "health"]);
    expect(res.body.classification.id).toBe(f.ownClassification.id);
    expect(res.body.agreements.map((a: Json) => a.id)).toEqual([f.ownAgreement.id]);
    const status = await api("get", `/applications/${f.ownApp.id}/status`, f.tokens.auditor);
    expect(status.body.status).toBe(res.body.status);
    expect(status.body.findings.length).toBeGreaterThan(0);
    expect(status.body.findings[0]).toHaveProperty("text");
  });

  it("filters and pages with a consistent envelope", async () => {
    for (let i = 0; i < 5; i++) makeApplication(ctx.db, { name: `Extra ${i}`, supplierId: f.supplier.id });
    const page1 = await api("get", `/applications?supplier=${f.supplier.id}&per_page=2&page=1`, f.tokens.auditor);
    expect(page1.body).toMatchObject({ page: 1, perPage: 2, total: 6 });
    expect(page1.body.data).toHaveLength(2);
    const page3 = await api("get", `/applications?supplier=${f.supplier.id}&per_page=2&page=3`, f.tokens.auditor);
    expect(page3.body.data).toHaveLength(2);
    const names = [...page1.body.data, ...page3.body.data].map((a: Json) => a.name);
    expect(new Set(names).size).toBe(4);
    const red = await api("get", "/applications?status=red", f.tokens.auditor);
    expect(red.body.data.every((a: Json) => a.status === "red")).toBe(true);
    const search = await api("get", "/applications?q=%20magis%20", f.tokens.auditor);
    expect(search.body.data.map((a: Json) => a.name)).toEqual(["Magister"]);
    const own = await api("get", `/applications?school=${f.own.id}`, f.tokens.school);
    expect(own.body.total).toBe(1);
  });

  it("rejects unknown query parameters and wrong types with 400 and a message per parameter", async () => {
    const res = await api("get", "/applications?page=abc&colour=red&status=purple", f.tokens.admin);
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({
      page: "page: verwacht een geheel getal.",
      colour: "colour is geen veld of parameter van deze API.",
      status: "status moet een van deze waarden zijn: red, orange, green, grey.",
    });
    const tooMany = await api("get", "/applications?per_page=500", f.tokens.admin);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.fields).toEqual({ per_page: "per_page mag hoogstens 200 zijn." });
  });

  it("serves the OpenAPI 3.1 document without a token, describing every route", async () => {
    const res = await request(ctx.app).get("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(["/schools", "/applications/{id}/status", "/agreements", "/classifications", "/fora-functions", "/compliance"]),
    );
    // Every schema compiles as strict JSON Schema 2020-12, and every operation but this one documents 401.
    for (const name of Object.keys(res.body.components.schemas)) expect(ajv.getSchema(`api#/$defs/${name}`)).toBeDefined();
    for (const [path, operations] of Object.entries(res.body.paths as Record<string, Record<string, { responses: Json }>>)) {
      for (const method of ["get", "post", "patch"]) if (operations[method] && path !== "/openapi.json") expect(operations[method]!.responses).toHaveProperty("401");
    }
  });

  it("answers 422 naming functionIds when an application refers to an unknown FORA function", async () => {
    const res = await api("post", "/applications", f.tokens.admin, { name: "Onbekende functie", supplierId: f.supplier.id, functionIds: [999999] });
    expect(res.status).toBe(422);
    expect(res.body.error.fields.functionIds).toContain("999999");
  });

  it("names the licence and gives every operation a unique operationId", async () => {
    const res = await request(ctx.app).get("/api/v1/openapi.json");
    expect(res.body.info.license).toEqual({ name: "EUPL-1.2", identifier: "EUPL-1.2" });
    const ids = Object.values(res.body.paths as Record<string, Record<string, { operationId?: string } | string>>).flatMap((item) =>
      Object.values(item).flatMap((op) => (typeof op === "object" ? [op.operationId] : [])),
    );
    expect(ids.every((id) => typeof id === "string" && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain("getApplicationsById");
  });

  it("answers unknown routes under /api/v1 with a JSON 404", async () => {
    const res = await call("get", "/nothing-here", f.tokens.admin);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { status: 404, message: "Niet gevonden." } });
  });
});

describe("tokens", () => {
  beforeEach(async () => {
    await fixture();
  });
  afterEach(() => ctx.close());

  async function createInBrowser(agent: request.Agent, values: Record<string, string>) {
    const page = await agent.get("/account/tokens");
    return agent.post("/account/tokens").type("form").send({ _csrf: csrfFrom(page.text), ...values });
  }

  it("creates a token shown once, stores only its hash and prefix, and records its last use", async () => {
    const user = await makeUser(ctx.db, "privacy_officer");
    const { agent } = await loginAs(ctx.app, user);
    const res = await createInBrowser(agent, { name: "Dashboard bestuursbureau" });
    expect(res.status).toBe(201);
    expect(res.headers["cache-control"]).toContain("no-store");
    const token = /value="(ibp_[A-Za-z0-9_-]{43})"/.exec(res.text)?.[1];
    expect(token).toBeDefined();
    const row = ctx.db.select().from(apiTokens).where(eq(apiTokens.userId, user.id)).get()!;
    expect(row).toMatchObject({ name: "Dashboard bestuursbureau", tokenHash: createHash("sha256").update(token!).digest("hex"), prefix: token!.slice(0, 12), lastUsedAt: null });
    // Not in the database in clear, not in the audit log, not on the page again.
    const dump = JSON.stringify([ctx.db.select().from(apiTokens).all(), ctx.db.select().from(auditLog).all()]);
    expect(dump).not.toContain(token);
    const again = await agent.get("/account/tokens");
    expect(again.text).not.toContain(token);
    expect(again.text).toContain(`${token!.slice(0, 12)}…`);

    expect((await api("get", "/applications", token)).status).toBe(200);
    expect(ctx.db.select().from(apiTokens).where(eq(apiTokens.id, row.id)).get()!.lastUsedAt).toBeInstanceOf(Date);
    expect(ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "api_token"), eq(auditLog.entityId, row.id))).get()!.summary).toContain("Dashboard bestuursbureau");
  });

  it("refuses a revoked token with 401", async () => {
    const user = await makeUser(ctx.db, "auditor");
    const { agent } = await loginAs(ctx.app, user);
    const created = await createInBrowser(agent, { name: "Script" });
    const token = /value="(ibp_[^"]+)"/.exec(created.text)![1]!;
    expect((await api("get", "/schools", token)).status).toBe(200);
    const row = ctx.db.select().from(apiTokens).where(eq(apiTokens.tokenHash, hashToken(token))).get()!;
    const page = await agent.get("/account/tokens");
    const revoked = await agent.post(`/account/tokens/${row.id}/revoke`).type("form").send({ _csrf: csrfFrom(page.text) });
    expect(revoked.status).toBe(303);
    expect(decoded((await agent.get("/account/tokens")).text)).toContain("De sleutel Script is ingetrokken.");
    const res = await api("get", "/schools", token);
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toContain("Bearer");
    expect(res.body.error.message).toBe("De API-sleutel is onbekend, verlopen of ingetrokken.");
  });

  it("refuses an expired token with 401 and an expiry date in the past with 422", async () => {
    const user = await makeUser(ctx.db, "admin");
    const { agent } = await loginAs(ctx.app, user);
    const past = await createInBrowser(agent, { name: "Oud", expiresOn: "2020-01-01" });
    expect(past.status).toBe(422);
    expect(past.text).toContain("Kies een datum vanaf vandaag.");
    const created = await createInBrowser(agent, { name: "Kort", expiresOn: "2099-12-31" });
    const token = /value="(ibp_[^"]+)"/.exec(created.text)![1]!;
    expect((await api("get", "/schools", token)).status).toBe(200);
    ctx.db.update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.tokenHash, hashToken(token))).run();
    expect((await api("get", "/schools", token)).status).toBe(401);
  });

  it("never accepts a browser session: the cookie alone gives 401", async () => {
    const { agent, cookie } = await loginAs(ctx.app, await makeUser(ctx.db, "admin"));
    const res = await agent.get("/api/v1/applications");
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain("Geen API-sleutel meegestuurd");
    expect((await request(ctx.app).get("/api/v1/schools").set("Cookie", cookie)).status).toBe(401);
    expectDocumented(res, "get", "/api/v1/applications");
  });

  it("refuses missing, malformed and unknown tokens, and the tokens of disabled users", async () => {
    expect((await api("get", "/schools")).status).toBe(401);
    expect((await request(ctx.app).get("/api/v1/schools").set("Authorization", "Basic YWRtaW46YWRtaW4=")).status).toBe(401);
    expect((await api("get", "/schools", "ibp_not-a-real-token")).status).toBe(401);
    const user = await makeUser(ctx.db, "admin");
    const token = tokenFor(user);
    expect((await api("get", "/schools", token)).status).toBe(200);
    ctx.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id)).run();
    expect((await api("get", "/schools", token)).status).toBe(401);
  });

  it("lets a user revoke only their own tokens", async () => {
    const owner = await makeUser(ctx.db, "admin");
    tokenFor(owner);
    const row = ctx.db.select().from(apiTokens).where(eq(apiTokens.userId, owner.id)).get()!;
    const { agent } = await loginAs(ctx.app, await makeUser(ctx.db, "admin"));
    const page = await agent.get("/account/tokens");
    expect((await agent.post(`/account/tokens/${row.id}/revoke`).type("form").send({ _csrf: csrfFrom(page.text) })).status).toBe(404);
    expect(ctx.db.select().from(apiTokens).where(eq(apiTokens.id, row.id)).get()!.revokedAt).toBeNull();
  });
});

describe("writing", () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture();
  });
  afterEach(() => ctx.close());

  const newApplication = (f: Fixture) => ({
    name: "Gynzy",
    supplierId: f.supplier.id,
    lifecycle: "in_gebruik",
    usedByPupils: true,
    dataLocationCountry: "Nederland",
    dataInEea: true,
    costLicencePerYearCents: 125000,
    schoolIds: [f.own.id],
  });

  it("creates an application with the same rules and audit entry as the browser", async () => {
    const res = await api("post", "/applications", f.tokens.privacy_officer, newApplication(f));
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/applications/${res.body.id}`);
    expect(res.body).toMatchObject({ name: "Gynzy", usedByPupils: true, costLicencePerYearCents: 125000, version: 1 });
    expect(res.body.schools.map((s: Json) => s.id)).toEqual([f.own.id]);
    const entry = ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "application"), eq(auditLog.entityId, res.body.id))).get()!;
    expect(entry).toMatchObject({ action: "create", summary: "Applicatie Gynzy aangemaakt", userId: f.roles.privacy_officer.id });
  });

  it("refuses writes by auditors and school users with 403", async () => {
    for (const role of ["auditor", "school"] as const) {
      expect((await api("post", "/applications", f.tokens[role], newApplication(f))).status).toBe(403);
      expect((await api("patch", `/applications/${f.ownApp.id}`, f.tokens[role], { version: 1, name: "X" })).status).toBe(403);
      expect((await api("post", "/agreements", f.tokens[role], { reference: "X", supplierId: f.supplier.id, model: "4.0", status: "concept" })).status).toBe(403);
      expect((await api("post", "/classifications", f.tokens[role], {})).status).toBe(403);
    }
    expect(ctx.db.select().from(applications).all()).toHaveLength(2);
  });

  it("rejects unknown fields and wrong types with 400 and a message per field", async () => {
    const res = await api("post", "/applications", f.tokens.admin, { ...newApplication(f), name: 12, usedByPupils: "ja", colour: "blauw", schoolIds: ["een"] });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({
      name: "name: verwacht tekst.",
      usedByPupils: "usedByPupils: verwacht true of false.",
      colour: "colour is geen veld of parameter van deze API.",
      "schoolIds.0": "schoolIds.0: verwacht een getal.",
    });
    const missing = await api("post", "/applications", f.tokens.admin, {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields).toEqual({ name: "name ontbreekt; dit veld is verplicht.", supplierId: "supplierId ontbreekt; dit veld is verplicht." });
  });

  it("answers a rule of the register with 422 and a message at the field", async () => {
    const outside = await api("post", "/applications", f.tokens.admin, { ...newApplication(f), dataInEea: false });
    expect(outside.status).toBe(422);
    expect(outside.body.error.fields).toEqual({ transferMechanism: expect.stringContaining("transferMechanism is verplicht als dataInEea false is") });
    const duplicate = await api("post", "/applications", f.tokens.admin, { ...newApplication(f), name: " magister " });
    expect(duplicate.status).toBe(422);
    expect(duplicate.body.error.fields).toEqual({ name: "name: Iddink heeft al een applicatie met deze naam (hoofdletters tellen niet mee)." });
    const negative = await api("post", "/applications", f.tokens.admin, { ...newApplication(f), costOneTimeCents: -5 });
    expect(negative.status).toBe(422);
    expect(Object.keys(negative.body.error.fields)).toEqual(["costOneTimeCents"]);
  });

  it("answers values outside the documented limits with 422 and messages that name the API's fields, never a form control", async () => {
    const tomorrow = new Date(Date.now() + 36 * 3600 * 1000).toISOString().slice(0, 10);
    const cases: [string, unknown, Record<string, string>][] = [
      ["/applications", { ...newApplication(f), name: " \u00a0 " }, { name: "name mag niet leeg zijn of alleen uit spaties bestaan." }],
      ["/applications", { ...newApplication(f), name: "x".repeat(201) }, { name: "name is te lang: hoogstens 200 tekens." }],
      ["/applications", { ...newApplication(f), costOneTimeCents: 10_000_000_001 }, { costOneTimeCents: "costOneTimeCents mag hoogstens 10000000000 zijn." }],
      ["/applications", { ...newApplication(f), supplierId: 0 }, { supplierId: "supplierId moet minstens 1 zijn." }],
      ["/applications", { ...newApplication(f), lifecycle: "weg" }, { lifecycle: "lifecycle moet een van deze waarden zijn: aangevraagd, in_gebruik, uitfaseren, uitgefaseerd." }],
      ["/applications", { ...newApplication(f), supplierId: 999_999 }, { supplierId: "supplierId: er bestaat geen leverancier met id 999999." }],
      ["/applications", { ...newApplication(f), schoolIds: [f.own.id, 999_999] }, { schoolIds: "schoolIds noemt onbekende ids: 999999." }],
      [
        "/agreements",
        { reference: "VO-1", supplierId: f.supplier.id, model: "4.0", status: "ondertekend", signedOn: tomorrow, deviations: "Andere bewaartermijn" },
        { signedOn: "signedOn ligt in de toekomst; uiterlijk vandaag.", deviationsMotivation: expect.stringContaining("deviationsMotivation is verplicht") },
      ],
      ["/agreements", { reference: "VO-2", supplierId: f.supplier.id, model: "4.0", status: "concept", startsOn: "2025-02-30" }, { startsOn: "startsOn: verwacht een bestaande datum als JJJJ-MM-DD." }],
      [
        "/agreements",
        { reference: "VO-3", supplierId: f.supplier.id, model: "4.0", status: "concept", dataCategoryIds: [999_999], supersedesId: 999_999 },
        { dataCategoryIds: "dataCategoryIds noemt onbekende ids: 999999.", supersedesId: "supersedesId: er bestaat geen verwerkersovereenkomst met id 999999." },
      ],
      [
        "/agreements",
        { reference: "VO-4", supplierId: f.supplier.id, model: "4.0", status: "concept", sivonReviewUrl: "ftp://sivon.example/x", subProcessors: [{ name: "" }] },
        { sivonReviewUrl: expect.stringContaining("sivonReviewUrl: verwacht een volledig webadres"), "subProcessors.0.name": "subProcessors.0.name mag niet leeg zijn of alleen uit spaties bestaan." },
      ],
    ];
    for (const [path, body, fields] of cases) {
      const res = await api("post", path, f.tokens.admin, body);
      expect([path, res.status, res.body.error.fields]).toEqual([path, 422, fields]);
      for (const message of Object.values(res.body.error.fields as Record<string, string>)) expect(message).not.toMatch(/\b(kies|vul|klik|vink)\b/i);
    }
    expect(ctx.db.select().from(applications).all()).toHaveLength(2);
  });

  it("answers a classification dated in the future or reviewed before it was assessed with 422 at those fields", async () => {
    const tomorrow = new Date(Date.now() + 36 * 3600 * 1000).toISOString().slice(0, 10);
    const body = {
      applicationId: f.ownApp.id,
      basedOn: f.ownClassification.id,
      downtime: "dag",
      errors: "schade",
      leak: "ernstig",
      special: "ja",
      scale: "groot",
      availability: "midden",
      integrity: "hoog",
      confidentiality: "hoog",
      rationale: "Zorggegevens",
      reason: "jaarlijks",
    };
    const future = await api("post", "/classifications", f.tokens.admin, { ...body, assessedOn: tomorrow, nextReviewOn: "2999-01-01" });
    expect(future.status).toBe(422);
    expect(future.body.error.fields).toEqual({ assessedOn: "assessedOn ligt in de toekomst; uiterlijk vandaag." });
    const before = await api("post", "/classifications", f.tokens.admin, { ...body, assessedOn: "2025-03-01", nextReviewOn: "2025-03-01" });
    expect(before.body.error.fields).toEqual({ nextReviewOn: "nextReviewOn moet na assessedOn liggen." });
    const tooLow = await api("post", "/classifications", f.tokens.admin, { ...body, assessedOn: "2025-03-01", nextReviewOn: "2026-03-01", confidentiality: "laag" });
    expect(tooLow.body.error.fields.confidentiality).toMatch(/^confidentiality is lager dan de verwerkte gegevens vragen \(hoog: .+\)\. Stuur hoog, of acknowledgeLowConfidentiality true/);
    expect(ctx.db.select().from(classifications).where(eq(classifications.applicationId, f.ownApp.id)).all()).toHaveLength(1);
  });

  it("checks the token and then the permission before it parses the body: malformed JSON gets 401 or 403 first", async () => {
    const broken = (token?: string) => {
      const r = request(ctx.app).post("/api/v1/applications").set("Content-Type", "application/json");
      if (token) r.set("Authorization", `Bearer ${token}`);
      return r.send('{"name": ');
    };
    expect((await broken()).status).toBe(401);
    expect((await broken("onzin")).status).toBe(401);
    expect((await broken(f.tokens.auditor)).status).toBe(403);
    expect((await broken(f.tokens.admin)).status).toBe(400);
  });

  it("answers a method a path does not have with 405, an Allow header and a JSON error", async () => {
    const put = await request(ctx.app).put(`/api/v1/applications/${f.ownApp.id}`).set("Authorization", `Bearer ${f.tokens.admin}`).send({ name: "x" });
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe("GET, HEAD, PATCH");
    expect(put.body.error).toMatchObject({ status: 405 });
    const del = await request(ctx.app).delete("/api/v1/compliance").set("Authorization", `Bearer ${f.tokens.admin}`);
    expect(del.status).toBe(405);
    expect(del.headers.allow).toBe("GET, HEAD");
    expect(ctx.db.select().from(applications).where(eq(applications.id, f.ownApp.id)).get()!.name).toBe("Magister");
  });

  it("requires JSON and answers malformed JSON as JSON", async () => {
    const text = await request(ctx.app).post("/api/v1/applications").set("Authorization", `Bearer ${f.tokens.admin}`).set("Content-Type", "text/plain").send("name=x");
    expect(text.status).toBe(415);
    expectDocumented(text, "post", "/applications");
    const broken = await request(ctx.app).post("/api/v1/applications").set("Authorization", `Bearer ${f.tokens.admin}`).set("Content-Type", "application/json").send('{"name": ');
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toBe("De body is geen geldige JSON.");
  });

  it("updates only the fields sent, with the version for optimistic locking, and answers a stale version with 409 and the current version", async () => {
    const first = await api("patch", `/applications/${f.ownApp.id}`, f.tokens.admin, { version: 1, description: "Leerlingvolgsysteem", schoolIds: [f.own.id, f.other.id] });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ name: "Magister", description: "Leerlingvolgsysteem" });
    expect(first.body.version).toBeGreaterThan(1);
    expect(ctx.db.select().from(applicationSchools).where(eq(applicationSchools.applicationId, f.ownApp.id)).all()).toHaveLength(2);
    const stale = await api("patch", `/applications/${f.ownApp.id}`, f.tokens.privacy_officer, { version: 1, description: "Oude versie" });
    expect(stale.status).toBe(409);
    expect(stale.body.error.currentVersion).toBe(first.body.version);
    expect(ctx.db.select().from(applications).where(eq(applications.id, f.ownApp.id)).get()!.description).toBe("Leerlingvolgsysteem");
    const unknownVersion = await api("patch", `/applications/${f.ownApp.id}`, f.tokens.admin, { description: "x" });
    expect(unknownVersion.status).toBe(428);
    expect(unknownVersion.body.error.message).toContain("If-Match");
    expect((await api("patch", "/applications/999999", f.tokens.admin, { version: 1 })).status).toBe(404);
  });

  it("sends a single record's version as a strong ETag, on GET, on create and after PATCH", async () => {
    const app = await api("get", `/applications/${f.ownApp.id}`, f.tokens.auditor);
    expect(app.headers.etag).toBe('"1"');
    expect((await api("get", `/schools/${f.own.id}`, f.tokens.auditor)).headers.etag).toBe('"1"');
    expect((await api("get", `/suppliers/${f.supplier.id}`, f.tokens.auditor)).headers.etag).toBe('"1"');
    expect((await api("get", `/agreements/${f.ownAgreement.id}`, f.tokens.auditor)).headers.etag).toBe('"1"');
    const created = await api("post", "/applications", f.tokens.admin, newApplication(f));
    expect(created.headers.etag).toBe(`"${created.body.version}"`);
    // The ETag is for If-Match, not for caching: a conditional GET is answered in full.
    const again = await call("get", `/applications/${f.ownApp.id}`, f.tokens.auditor).set("If-None-Match", '"1"');
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(f.ownApp.id);
  });

  it("updates with If-Match instead of the body's version, and answers the new ETag", async () => {
    const res = await api("patch", `/applications/${f.ownApp.id}`, f.tokens.admin, { goal: "Leerlingvolgsysteem" }, { "If-Match": '"1"' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ goal: "Leerlingvolgsysteem", version: 2 });
    expect(res.headers.etag).toBe('"2"');
    const any = await api("patch", `/applications/${f.ownApp.id}`, f.tokens.admin, { goal: "Elke versie" }, { "If-Match": "*" });
    expect(any.status).toBe(200);
    expect(any.headers.etag).toBe('"3"');
  });

  it("answers an If-Match that is not the current ETag with 412, the current ETag and version, and changes nothing; a weak tag never matches", async () => {
    for (const ifMatch of ['"7"', 'W/"1"', "1", '"0", "2"']) {
      const res = await api("patch", `/applications/${f.ownApp.id}`, f.tokens.admin, { goal: "Mag niet" }, { "If-Match": ifMatch });
      expect([ifMatch, res.status, res.headers.etag, res.body.error.currentVersion]).toEqual([ifMatch, 412, '"1"', 1]);
    }
    expect(ctx.db.select().from(applications).where(eq(applications.id, f.ownApp.id)).get()).toMatchObject({ goal: null, version: 1 });
    const listed = await api("patch", `/applications/${f.ownApp.id}`, f.tokens.admin, { goal: "Wel" }, { "If-Match": '"0", "1"' });
    expect(listed.status).toBe(200);
  });

  it("evaluates If-Match before the body's version when both are sent: a stale If-Match is 412, a current one with a stale version is 409", async () => {
    const staleHeader = await api("patch", `/applications/${f.ownApp.id}`, f.tokens.admin, { version: 1, goal: "x" }, { "If-Match": '"5"' });
    expect(staleHeader.status).toBe(412);
    const staleBody = await api("patch", `/applications/${f.ownApp.id}`, f.tokens.admin, { version: 5, goal: "x" }, { "If-Match": '"1"' });
    expect(staleBody.status).toBe(409);
    expect(staleBody.body.error.currentVersion).toBe(1);
    const both = await api("patch", `/applications/${f.ownApp.id}`, f.tokens.admin, { version: 1, goal: "x" }, { "If-Match": '"1"' });
    expect(both.status).toBe(200);
    // A missing record is 404 whatever If-Match says.
    expect((await api("patch", "/applications/999999", f.tokens.admin, { goal: "x" }, { "If-Match": '"1"' })).status).toBe(404);
  });

  it("creates an agreement through the agreements service, with its lists and audit entry", async () => {
    const res = await api("post", "/agreements", f.tokens.admin, {
      reference: "VO-API-1",
      supplierId: f.supplier.id,
      model: "4.0",
      status: "ondertekend",
      signedOn: "2025-01-15",
      startsOn: "2025-02-01",
      endsOn: "2027-07-31",
      applicationIds: [f.ownApp.id],
      dataCategoryIds: [categoryId(ctx.db, "contact")],
      dataSubjectIds: [subjectId(ctx.db, "pupils")],
      subProcessors: [{ name: "AWS", country: "Ierland", inEea: true }],
      breachNotificationHours: 48,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ reference: "VO-API-1", applicationIds: [f.ownApp.id], subProcessors: [{ name: "AWS", service: null, country: "Ierland", inEea: true }] });
    expect(ctx.db.select().from(auditLog).where(eq(auditLog.summary, "Verwerkersovereenkomst VO-API-1 aangemaakt")).get()).toBeDefined();
    const refused = await api("post", "/agreements", f.tokens.admin, { reference: "VO-API-2", supplierId: f.supplier.id, model: "4.0", status: "ondertekend", startsOn: "2025-02-01", endsOn: "2024-01-01" });
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.body.error.fields).sort()).toEqual(["endsOn", "signedOn"]);
  });

  it("covers another supplier's application only with a reseller reason at resellerReasons.<id>, and shows the reason", async () => {
    const base = { reference: "VO-WV-1", supplierId: f.supplier.id, model: "4.0", status: "concept", applicationIds: [f.ownApp.id, f.otherApp.id] };
    const without = await api("post", "/agreements", f.tokens.admin, base);
    expect(without.status).toBe(422);
    expect(Object.keys(without.body.error.fields)).toEqual([`resellerReasons.${f.otherApp.id}`]);
    expect(without.body.error.fields[`resellerReasons.${f.otherApp.id}`]).toMatch(/^resellerReasons\.\d+ ontbreekt: applicatie Somtoday is van .+, niet van supplierId\./);
    const misplaced = await api("post", "/agreements", f.tokens.admin, { ...base, resellerReasons: { [f.otherApp.id]: "Wederverkoper", [f.ownApp.id]: "Eigen", "999999": "Onbekend" } });
    expect(Object.keys(misplaced.body.error.fields).sort()).toEqual([`resellerReasons.${f.ownApp.id}`, "resellerReasons.999999"].sort());
    const created = await api("post", "/agreements", f.tokens.admin, { ...base, resellerReasons: { [f.otherApp.id]: "Iddink levert Somtoday als wederverkoper." } });
    expect(created.status).toBe(201);
    expect(created.body.resellerReasons).toEqual({ [String(f.otherApp.id)]: "Iddink levert Somtoday als wederverkoper." });
    // A school user sees the reasons of its own schools' applications only.
    const asSchool = await api("get", `/agreements/${created.body.id}`, f.tokens.school);
    expect(asSchool.body.resellerReasons).toEqual({});
  });

  it("classifies an application, and answers 409 when someone classified it in between", async () => {
    const body = {
      applicationId: f.ownApp.id,
      basedOn: f.ownClassification.id,
      downtime: "dag",
      errors: "schade",
      leak: "ernstig",
      special: "ja",
      scale: "groot",
      availability: "midden",
      integrity: "hoog",
      confidentiality: "hoog",
      rationale: "Zorggegevens en cijfers",
      reason: "jaarlijks",
      assessedOn: "2026-01-10",
      nextReviewOn: "2027-01-10",
    };
    const res = await api("post", "/classifications", f.tokens.privacy_officer, body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ applicationId: f.ownApp.id, confidentiality: "hoog", proposedConfidentiality: "hoog" });
    const stale = await api("post", "/classifications", f.tokens.admin, { ...body, rationale: "Later" });
    expect(stale.status).toBe(409);
    expect(stale.body.error.currentBasedOn).toBe(res.body.id);
    const tooLow = await api("post", "/classifications", f.tokens.admin, { ...body, basedOn: res.body.id, confidentiality: "laag" });
    expect(tooLow.status).toBe(422);
    expect(tooLow.body.error.fields.confidentiality).toBeDefined();
    expect(ctx.db.select().from(classifications).where(eq(classifications.applicationId, f.ownApp.id)).all()).toHaveLength(2);
    const unknown = await api("post", "/classifications", f.tokens.admin, { ...body, applicationId: 999999 });
    expect(unknown.status).toBe(422);
  });
});
