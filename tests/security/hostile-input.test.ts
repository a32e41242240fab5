// Hostile strings typed into the register's text fields come back as text everywhere they show; none breaks
// a page, and overlong or odd input gets a Dutch message, not a 500.
import { eq } from "drizzle-orm";
import { applications, schools, suppliers } from "../../src/db/schema";
import { buildTestApp, loginAs, makeSchool, makeUser, type TestContext } from "../helpers/app";
import { processes } from "../helpers/factories";

const HOSTILE = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
  "javascript:alert(1)",
  "{{constructor.constructor('alert(1)')()}}",
  "Robert'); DROP TABLE applications;--",
  "' OR 1=1 --",
  "=HYPERLINK(\"https://evil.example\",\"klik\")",
  "\u202Egnp.exe",
  "Zoë Ĳsselmeer 👩‍🏫 e\u0301\u200d",
];

/** A string is unsafe in HTML when one of these fragments appears unescaped. */
const UNSAFE = ["<script>alert(1)", "<img src=x", "onerror=alert", "' onmouseover='"];

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

async function officer() {
  return loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
}

it("shows every hostile string as text on the lists, record pages, dashboard and overviews", async () => {
  const school = makeSchool(ctx.db, { name: HOSTILE[1]! });
  const { agent, token } = await officer();
  for (const [i, text] of HOSTILE.entries()) {
    const supplier = await agent.post("/suppliers").type("form").send({ name: `${text} ${i}`, covenantStatus: "geen", notes: text, _csrf: await token() });
    expect(supplier.status).toBe(303);
    const supplierId = Number(supplier.headers.location!.split("/").pop());
    const app = await agent
      .post("/applications")
      .type("form")
      .send({ name: `${text} app`, supplierId, description: text, goal: text, functionalOwner: text, lifecycle: "in_gebruik", processesPersonalData: "on", dataInEea: "ja", schoolIds: String(school.id), _csrf: await token() });
    expect(app.status).toBe(303);
    processes(ctx.db, Number(app.headers.location!.split("/").pop()), ["contact"]);
  }
  expect(ctx.db.select().from(suppliers).all()).toHaveLength(HOSTILE.length);
  expect(ctx.db.select().from(applications).all().map((a) => a.name)).toContain(`${HOSTILE[0]} app`);

  const firstApp = ctx.db.select().from(applications).where(eq(applications.name, `${HOSTILE[0]} app`)).get()!;
  const firstSupplier = ctx.db.select().from(suppliers).get()!;
  const pages = [
    "/", "/applications", `/applications/${firstApp.id}`, `/applications/${firstApp.id}/edit`, "/suppliers", `/suppliers/${firstSupplier.id}`,
    `/schools/${school.id}`, "/schools", "/overviews/coverage", "/overviews/rationalisation", "/overviews/biv", "/audit",
  ];
  for (const path of pages) {
    const res = await agent.get(path);
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    for (const fragment of UNSAFE) expect({ path, unsafe: res.text.includes(fragment) ? fragment : null }).toEqual({ path, unsafe: null });
  }
  const detail = await agent.get(`/applications/${firstApp.id}`);
  expect(detail.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
});

it("keeps hostile strings in forms escaped when a form comes back with errors", async () => {
  const { agent, token } = await officer();
  const res = await agent
    .post("/suppliers")
    .type("form")
    .send({ name: HOSTILE[1], kvk: "abc", covenantStatus: "geen", notes: HOSTILE[0], _csrf: await token() });
  expect(res.status).toBe(422);
  for (const fragment of UNSAFE) expect(res.text).not.toContain(fragment);
  expect(res.text).toContain("&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;");
});

it("answers overlong input with 422 and a Dutch message at the field, not a 500", async () => {
  const { agent, token } = await officer();
  const res = await agent.post("/suppliers").type("form").send({ name: "A".repeat(5000), covenantStatus: "geen", notes: "B".repeat(20000), _csrf: await token() });
  expect(res.status).toBe(422);
  expect(res.text).toContain("Dit is te lang (maximaal 200 tekens).");
  expect(res.text).toContain("Dit is te lang (maximaal 5000 tekens).");
});

it("refuses a javascript: link as a supplier's website", async () => {
  const { agent, token } = await officer();
  const res = await agent.post("/suppliers").type("form").send({ name: "X", website: "javascript:alert(1)", covenantStatus: "geen", _csrf: await token() });
  expect(res.status).toBe(422);
  expect(res.text).toContain('id="website-error"');
});

it("treats SQL in a search as text", async () => {
  const { agent } = await officer();
  makeSchool(ctx.db, { name: "Gewone School" });
  const res = await agent.get(`/applications?q=${encodeURIComponent("' OR 1=1 --")}`);
  expect(res.status).toBe(200);
  expect(res.text).toContain("Niets gevonden");
  expect(ctx.db.select().from(schools).all()).toHaveLength(1);
});
