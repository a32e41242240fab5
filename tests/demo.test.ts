// The demo board: it fills an empty register, every printed log-in works, and a second fill is refused.
import { hashPassword } from "../src/auth/passwords";
import { DEMO_USERS, seedDemoBoard } from "../src/demo/demo-board";
import { buildTestApp, loginAs, type TestContext } from "./helpers/app";

let ctx: TestContext;
beforeAll(async () => {
  ctx = buildTestApp();
  await seedDemoBoard(ctx.db, { now: new Date("2026-11-21T10:00:00Z"), hashPassword });
});
afterAll(() => ctx.close());

const count = (table: string) => (ctx.connection.sqlite.prepare(`select count(*) n from ${table}`).get() as { n: number }).n;

it("fills a board of about eight schools and forty applications with agreements in every state", () => {
  expect(count("schools")).toBeGreaterThanOrEqual(7);
  expect(count("applications")).toBeGreaterThanOrEqual(38);
  const statuses = ctx.connection.sqlite.prepare("select distinct status from agreements").all().map((r) => (r as { status: string }).status);
  expect(statuses).toEqual(expect.arrayContaining(["ondertekend", "verlopen", "in_beoordeling", "aangeboden"]));
  const models = ctx.connection.sqlite.prepare("select distinct model from agreements").all().map((r) => (r as { model: string }).model);
  expect(models).toEqual(expect.arrayContaining(["4.0", "3.0"]));
  expect(ctx.connection.sqlite.pragma("foreign_key_check")).toEqual([]);
});

it.each(DEMO_USERS.map((u) => [u.role, u] as const))("lets the printed %s log in and see the home page of the role", async (role, user) => {
  const { agent } = await loginAs(ctx.app, user);
  const home = await agent.get("/").redirects(1);
  expect(home.status).toBe(200);
  expect(home.text).toContain("Stichting Voorbeeld Onderwijs Rivierenland");
  expect(home.text).toContain(`Ingelogd als <a href="/account">${user.name}</a>`);
  if (role === "school") expect(home.text).toContain(`<h1>${user.schools![0]}`);
  else expect(home.text).toContain("<h1>Dashboard</h1>");
});

it("shows the school user only its own school's applications on its home page", async () => {
  const user = DEMO_USERS.find((u) => u.role === "school")!;
  const { agent } = await loginAs(ctx.app, user);
  const home = await agent.get("/").redirects(1);
  for (const name of user.schools ?? []) expect(home.text).toContain(name);
  const others = ctx.connection.sqlite.prepare("select name from schools").all().map((r) => (r as { name: string }).name).filter((n) => !user.schools?.includes(n));
  for (const name of others) expect(home.text).not.toContain(name);
});

it("refuses to fill a register that already has data", async () => {
  await expect(seedDemoBoard(ctx.db, { now: new Date(), hashPassword })).rejects.toThrow();
});
