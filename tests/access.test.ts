// Each role is refused what it may not do, on the server; a school user sees only its own schools.
import request from "supertest";
import { buildTestApp, csrfFrom, loginAs, makeSchool, makeUser, type TestContext } from "./helpers/app";

let ctx: TestContext;
afterEach(() => ctx.close());

describe("CSRF", () => {
  beforeEach(() => {
    ctx = buildTestApp();
  });

  it("refuses a POST without a token with 403", async () => {
    const user = await makeUser(ctx.db, "admin");
    const { agent } = await loginAs(ctx.app, user);
    const res = await agent.post("/account/password").type("form").send({ currentPassword: "x", newPassword: "y", confirmPassword: "y" });
    expect(res.status).toBe(403);
    expect(res.text).toContain("Formulier verlopen");
  });

  it("refuses a POST with a wrong token with 403", async () => {
    const user = await makeUser(ctx.db, "admin");
    const { agent } = await loginAs(ctx.app, user);
    const res = await agent.post("/logout").type("form").send({ _csrf: "0".repeat(64) });
    expect(res.status).toBe(403);
    expect((await agent.get("/")).status).toBe(200);
  });

  it("refuses a log-in without a token with 403", async () => {
    const user = await makeUser(ctx.db, "admin");
    const res = await request(ctx.app).post("/login").type("form").send({ email: user.email, password: user.password });
    expect(res.status).toBe(403);
  });

  it("refuses a token taken from another session", async () => {
    const user = await makeUser(ctx.db, "admin");
    const other = csrfFrom((await request(ctx.app).get("/login")).text);
    const { agent } = await loginAs(ctx.app, user);
    const res = await agent.post("/logout").type("form").send({ _csrf: other });
    expect(res.status).toBe(403);
  });
});

describe("roles", () => {
  beforeEach(() => {
    ctx = buildTestApp();
  });

  it.each(["school", "auditor", "privacy_officer"] as const)("refuses the board settings to a %s with 403", async (role) => {
    const school = makeSchool(ctx.db);
    const user = await makeUser(ctx.db, role, { schoolIds: role === "school" ? [school.id] : [] });
    const { agent, token } = await loginAs(ctx.app, user);
    expect((await agent.get("/admin/board")).status).toBe(403);
    const post = await agent.post("/admin/board").type("form").send({ name: "Overname", version: 1, _csrf: await token() });
    expect(post.status).toBe(403);
  });

  it("refuses the change history to a school user with 403", async () => {
    const school = makeSchool(ctx.db);
    const user = await makeUser(ctx.db, "school", { schoolIds: [school.id] });
    const { agent } = await loginAs(ctx.app, user);
    const res = await agent.get("/audit");
    expect(res.status).toBe(403);
    expect(res.text).toContain("Geen toegang");
  });

  it.each(["admin", "privacy_officer", "auditor"] as const)("shows the change history to a %s", async (role) => {
    const user = await makeUser(ctx.db, role);
    const { agent } = await loginAs(ctx.app, user);
    expect((await agent.get("/audit")).status).toBe(200);
  });
});

describe("a school user and other schools", () => {
  beforeEach(() => {
    ctx = buildTestApp();
  });

  it("opens its own school's page but gets not found on another school's id", async () => {
    const own = makeSchool(ctx.db, { name: "De Eigen School" });
    const other = makeSchool(ctx.db, { name: "De Andere School" });
    const user = await makeUser(ctx.db, "school", { schoolIds: [own.id] });
    const { agent } = await loginAs(ctx.app, user);
    const mine = await agent.get(`/schools/${own.id}`);
    expect(mine.status).toBe(200);
    expect(mine.text).toContain("De Eigen School");
    const theirs = await agent.get(`/schools/${other.id}`);
    expect(theirs.status).toBe(404);
    expect(theirs.text).not.toContain("De Andere School");
  });

  it("lists only its own schools", async () => {
    const own = makeSchool(ctx.db, { name: "De Eigen School" });
    makeSchool(ctx.db, { name: "De Andere School" });
    const user = await makeUser(ctx.db, "school", { schoolIds: [own.id] });
    const { agent } = await loginAs(ctx.app, user);
    for (const path of ["/schools", "/"]) {
      const res = await agent.get(path).redirects(1);
      expect(res.status).toBe(200);
      expect(res.text).toContain("De Eigen School");
      expect(res.text).not.toContain("De Andere School");
    }
  });

  it("answers 404 for a school id that does not exist and for one that is not a number", async () => {
    const user = await makeUser(ctx.db, "privacy_officer");
    const { agent } = await loginAs(ctx.app, user);
    expect((await agent.get("/schools/999999")).status).toBe(404);
    expect((await agent.get("/schools/abc")).status).toBe(404);
  });
});

describe("error pages", () => {
  beforeEach(() => {
    ctx = buildTestApp();
  });

  it("answers an unknown page with a Dutch 404 page", async () => {
    const res = await request(ctx.app).get("/bestaat-niet");
    expect(res.status).toBe(404);
    expect(res.text).toContain("Pagina niet gevonden");
    expect(res.text).toContain('<html lang="nl">');
  });

  it("answers a malformed form body with 400, not 500", async () => {
    const res = await request(ctx.app).post("/login").set("Content-Type", "application/json").send('{"email": ');
    expect(res.status).toBe(400);
  });

  it("sends the security headers with a content security policy that allows no inline script", async () => {
    const res = await request(ctx.app).get("/login");
    const csp = String(res.headers["content-security-policy"]);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-frame-options"]).toBe("SAMEORIGIN");
    expect(res.headers["x-powered-by"]).toBeUndefined();
  });
});
