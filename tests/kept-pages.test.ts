// Kept pages (src/http/kept-pages.ts), safe by design: one explicit scope (role, schools, day, query) is both the
// key of a kept body and the only input of its render function; in tests what a render returns is frozen deeply.
import type { Response } from "express";
import { memoByVersion } from "../src/db/client";
import { allKeptPages, keptPage, pageScope, renderKept, scopeKey, type PageScope } from "../src/http/kept-pages";
import type { CurrentUser } from "../src/http/policy";
import { buildTestApp, loginAs, makeSchool, makeUser, type TestContext } from "./helpers/app";
import { makeApplication } from "./helpers/factories";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

const person = (overrides: Partial<CurrentUser>): CurrentUser => ({ id: 1, name: "Anna", email: "anna@school.example", role: "school", schoolIds: [], ...overrides });

/** What renderKept needs of a response: the app (its views, its env) and render; the rendered page is recorded. */
function fakeResponse() {
  const rendered: Record<string, unknown>[] = [];
  const res = { app: ctx.app, req: { app: ctx.app }, render: (_view: string, model: Record<string, unknown>) => rendered.push(model) };
  return { res: res as unknown as Response, rendered };
}

describe("the scope of a kept page", () => {
  it("holds only the role, the school user's schools, the day and the query: nothing else of the reader", () => {
    const scope = pageScope(person({ id: 7, schoolIds: [3, 1] }), { sort: "name" }, "2026-03-29");
    expect(scope).toEqual({ role: "school", schools: [1, 3], day: "2026-03-29", query: { sort: "name" } });
    expect(scopeKey(scope)).not.toMatch(/Anna|anna@|"id"/);
  });

  it("is one key for two school users of the same schools, and another for other schools, another role or another day", () => {
    const key = (user: Partial<CurrentUser>, day = "2026-03-29") => scopeKey(pageScope(person(user), { sort: "name" }, day));
    expect(key({ id: 1, name: "Anna", schoolIds: [1, 2] })).toBe(key({ id: 2, name: "Bram", email: "b@x.example", schoolIds: [2, 1] }));
    expect(key({ schoolIds: [1, 2] })).not.toBe(key({ schoolIds: [1] }));
    expect(key({ schoolIds: [1] })).not.toBe(key({ schoolIds: [1] }, "2026-03-30"));
    // The other roles see every school: their own school list (if any) does not split or shape their page.
    expect(key({ role: "privacy_officer", schoolIds: [4] })).toBe(key({ role: "privacy_officer", schoolIds: [] }));
    expect(key({ role: "privacy_officer" })).not.toBe(key({ role: "auditor" }));
  });

  it("reaches every kept page's render function as a frozen copy read back from its key, with the database and nothing else", () => {
    let received: unknown[] = [];
    const page = keptPage<{ sort: string }>("kept-body", (...args) => {
      received = args;
      return { keptBody: "<p>lijst</p>" };
    });
    const query = { sort: "name" };
    const scope = pageScope(person({ schoolIds: [2] }), query, "2026-10-25");
    renderKept(fakeResponse().res, ctx.db, page, "Lijst", scope);
    expect(received).toHaveLength(2);
    expect(received[0]).toBe(ctx.db);
    const given = received[1] as PageScope<{ sort: string }>;
    expect(given).toEqual({ role: "school", schools: [2], day: "2026-10-25", query: { sort: "name" } });
    expect(given.query).not.toBe(query);
    expect(Object.isFrozen(given) && Object.isFrozen(given.query) && Object.isFrozen(given.schools)).toBe(true);
    for (const kept of allKeptPages()) expect(kept.render.length).toBeLessThanOrEqual(2);
  });
});

describe("kept values in tests", () => {
  it("freezes the model a render returns, deeply, with the kept values it shares with other pages", () => {
    const shared = () => memoByVersion(ctx.db, "test:shared-options", () => [{ value: 1, label: "Eén", detail: { note: "gedeeld" } }]);
    const first = keptPage("kept-body", () => ({ keptBody: "<p>eerste</p>", options: shared(), nested: { rows: [{ name: "A" }] } }));
    const { res, rendered } = fakeResponse();
    renderKept(res, ctx.db, first, "Eerste", pageScope(person({}), {}, "2026-01-01"));
    expect(rendered).toHaveLength(1);
    expect(Object.isFrozen(shared()[0])).toBe(true);
    expect(Object.isFrozen(shared()[0]!.detail)).toBe(true);
    // A later page that changes what it shares with the first fails here, rather than changing the first's lists.
    const careless = keptPage("kept-body", () => {
      (shared()[0] as { label: string }).label = "Gewijzigd";
      return { keptBody: "" };
    });
    expect(() => renderKept(res, ctx.db, careless, "Tweede", pageScope(person({}), {}, "2026-01-01"))).toThrow(TypeError);
    expect(shared()[0]!.label).toBe("Eén");
  });
});

describe("the kept list of applications", () => {
  it("shows each school user the applications of their own schools, also right after a school user of other schools", async () => {
    const north = makeSchool(ctx.db, { name: "School Noord" });
    const south = makeSchool(ctx.db, { name: "School Zuid" });
    makeApplication(ctx.db, { name: "Noordpakket", schoolIds: [north.id] });
    makeApplication(ctx.db, { name: "Zuidpakket", schoolIds: [south.id] });
    const { agent: northAgent } = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [north.id] }));
    const { agent: southAgent } = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [south.id] }));
    const northList = (await northAgent.get("/applications")).text;
    const southList = (await southAgent.get("/applications")).text;
    expect(northList).toContain("Noordpakket");
    expect(northList).not.toContain("Zuidpakket");
    expect(southList).toContain("Zuidpakket");
    expect(southList).not.toContain("Noordpakket");
  });

  it("shows a second school user of the same school that list, with their own name in the layout and not the first's", async () => {
    const school = makeSchool(ctx.db, { name: "School West" });
    makeApplication(ctx.db, { name: "Westpakket", schoolIds: [school.id] });
    const first = await makeUser(ctx.db, "school", { schoolIds: [school.id] });
    const second = await makeUser(ctx.db, "school", { schoolIds: [school.id] });
    const firstPage = (await (await loginAs(ctx.app, first)).agent.get("/applications")).text;
    const secondPage = (await (await loginAs(ctx.app, second)).agent.get("/applications")).text;
    expect(firstPage).toContain(first.name);
    expect(secondPage).toContain("Westpakket");
    expect(secondPage).toContain(second.name);
    expect(secondPage).not.toContain(first.name);
    expect(secondPage).not.toContain(first.email);
  });
});
