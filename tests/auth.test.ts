import request from "supertest";
import { eq } from "drizzle-orm";
import { MAX_CONCURRENT_HASHES, withHashSlot } from "../src/auth/passwords";
import { auditLog, sessions } from "../src/db/schema";
import { buildTestApp, csrfFrom, loginAs, makeUser, PASSWORD, type TestContext } from "./helpers/app";

let ctx: TestContext;
afterEach(() => ctx.close());

async function attempt(agent: ReturnType<typeof request.agent>, email: string, password: string) {
  const page = await agent.get("/login");
  return agent.post("/login").type("form").send({ email, password, _csrf: csrfFrom(page.text) });
}

describe("log-in", () => {
  beforeEach(() => {
    ctx = buildTestApp();
  });

  it("sends an anonymous visitor to the log-in page", async () => {
    const res = await request(ctx.app).get("/");
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/login?next=%2F");
  });

  it("logs in with the right password and shows the home page", async () => {
    const user = await makeUser(ctx.db, "privacy_officer");
    const agent = request.agent(ctx.app);
    const res = await attempt(agent, user.email.toUpperCase(), PASSWORD);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/");
    const home = await agent.get("/");
    expect(home.status).toBe(200);
    expect(home.text).toContain(`Welkom, ${user.name}`);
  });

  it("gives a new session id at log-in", async () => {
    const user = await makeUser(ctx.db, "auditor");
    const agent = request.agent(ctx.app);
    const before = await agent.get("/login");
    const cookieBefore = String(before.headers["set-cookie"]);
    const res = await agent.post("/login").type("form").send({ email: user.email, password: PASSWORD, _csrf: csrfFrom(before.text) });
    const cookieAfter = String(res.headers["set-cookie"]);
    expect(cookieAfter).toMatch(/ibp\.sid=/);
    expect(cookieAfter.split(";")[0]).not.toBe(cookieBefore.split(";")[0]);
  });

  it("refuses a wrong password and an unknown e-mail with the same message", async () => {
    const user = await makeUser(ctx.db, "admin");
    const wrong = await attempt(request.agent(ctx.app), user.email, "not-the-password");
    const unknown = await attempt(request.agent(ctx.app), "nobody@test.example", "not-the-password");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.text).toContain("De combinatie van e-mailadres en wachtwoord is onjuist.");
    expect(unknown.text).toContain("De combinatie van e-mailadres en wachtwoord is onjuist.");
    expect(wrong.text).toContain(`value="${user.email}"`);
  });

  it("re-renders with 422 and a message at the field when the e-mail is empty", async () => {
    const res = await attempt(request.agent(ctx.app), "", "x");
    expect(res.status).toBe(422);
    expect(res.text).toContain('id="email-error"');
    expect(res.text).toContain("Vul dit veld in.");
  });

  it("throttles after the allowed failures, even with the right password, and alike for unknown e-mails", async () => {
    const user = await makeUser(ctx.db, "admin");
    const agent = request.agent(ctx.app);
    for (let i = 0; i < ctx.config.loginMaxFailures; i++) {
      expect((await attempt(agent, user.email, "wrong-password")).status).toBe(401);
    }
    const blocked = await attempt(agent, user.email, PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain("Te veel mislukte pogingen");

    for (let i = 0; i < ctx.config.loginMaxFailures; i++) await attempt(agent, "ghost@test.example", "wrong-password");
    expect((await attempt(agent, "ghost@test.example", "wrong-password")).status).toBe(429);
  });

  it("does not count successful log-ins towards the throttle", async () => {
    const user = await makeUser(ctx.db, "admin");
    for (let i = 0; i < ctx.config.loginMaxFailures + 2; i++) {
      expect((await attempt(request.agent(ctx.app), user.email, PASSWORD)).status).toBe(303);
    }
  });

  it("only redirects to a path on this site after log-in", async () => {
    const user = await makeUser(ctx.db, "admin");
    const agent = request.agent(ctx.app);
    const page = await agent.get("/login?next=//evil.example/x");
    const res = await agent.post("/login").type("form").send({ email: user.email, password: PASSWORD, next: "//evil.example/x", _csrf: csrfFrom(page.text) });
    expect(res.headers.location).toBe("/");
  });

  it("ends a session that has been idle longer than the idle timeout", async () => {
    const user = await makeUser(ctx.db, "admin");
    const { agent } = await loginAs(ctx.app, user);
    ctx.db.update(sessions).set({ expiresAt: Date.now() - 1000 }).run();
    const res = await agent.get("/");
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });

  it("sets the session cookie HttpOnly and SameSite", async () => {
    const res = await request(ctx.app).get("/login");
    expect(String(res.headers["set-cookie"])).toMatch(/HttpOnly/i);
    expect(String(res.headers["set-cookie"])).toMatch(/SameSite=Lax/i);
  });
});

describe("log-out", () => {
  beforeEach(() => {
    ctx = buildTestApp();
  });

  it("ends the session so the old cookie no longer opens pages", async () => {
    const user = await makeUser(ctx.db, "admin");
    const { agent, token, cookie } = await loginAs(ctx.app, user);
    expect((await request(ctx.app).get("/").set("Cookie", cookie)).status).toBe(200);
    const out = await agent.post("/logout").type("form").send({ _csrf: await token() });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe("/login?out=1");
    const replay = await request(ctx.app).get("/").set("Cookie", cookie);
    expect(replay.status).toBe(303);
    expect(ctx.db.select().from(sessions).where(eq(sessions.userId, user.id)).all()).toHaveLength(0);
  });
});

describe("change own password", () => {
  beforeEach(() => {
    ctx = buildTestApp();
  });

  it("changes the password, records it, and ends the user's other sessions", async () => {
    const user = await makeUser(ctx.db, "school");
    const first = await loginAs(ctx.app, user);
    const second = await loginAs(ctx.app, user);
    const res = await first.agent
      .post("/account/password")
      .type("form")
      .send({ currentPassword: PASSWORD, newPassword: "a-new-long-password", confirmPassword: "a-new-long-password", _csrf: await first.token() });
    expect(res.status).toBe(303);
    expect((await first.agent.get("/account")).status).toBe(200);
    expect((await second.agent.get("/account")).status).toBe(303);
    await expect(loginAs(ctx.app, { email: user.email, password: "a-new-long-password" })).resolves.toBeDefined();
    const entries = ctx.db.select().from(auditLog).where(eq(auditLog.action, "password")).all();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.userId).toBe(user.id);
  });

  it("refuses a wrong current password with 422 at that field", async () => {
    const user = await makeUser(ctx.db, "auditor");
    const { agent, token } = await loginAs(ctx.app, user);
    const res = await agent
      .post("/account/password")
      .type("form")
      .send({ currentPassword: "wrong", newPassword: "a-new-long-password", confirmPassword: "a-new-long-password", _csrf: await token() });
    expect(res.status).toBe(422);
    expect(res.text).toContain('id="currentPassword-error"');
    expect(res.text).toContain("Het huidige wachtwoord klopt niet.");
  });

  it("refuses a short new password and a confirmation that differs", async () => {
    const user = await makeUser(ctx.db, "auditor");
    const { agent, token } = await loginAs(ctx.app, user);
    const res = await agent
      .post("/account/password")
      .type("form")
      .send({ currentPassword: PASSWORD, newPassword: "short", confirmPassword: "other", _csrf: await token() });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Dit is te kort (minimaal 12 tekens).");
    const mismatch = await agent
      .post("/account/password")
      .type("form")
      .send({ currentPassword: PASSWORD, newPassword: "long-enough-password", confirmPassword: "long-enough-passwort", _csrf: await token() });
    expect(mismatch.status).toBe(422);
    expect(mismatch.text).toContain("De twee nieuwe wachtwoorden zijn niet gelijk.");
  });
});

describe("password hashing", () => {
  it("runs at most two hashes at once; the others wait their turn, also after one fails", async () => {
    ctx = buildTestApp();
    let now = 0;
    let most = 0;
    const work = (fail: boolean) => async () => {
      now += 1;
      most = Math.max(most, now);
      await new Promise((resolve) => setTimeout(resolve, 5));
      now -= 1;
      if (fail) throw new Error("mislukt");
      return "klaar";
    };
    const outcomes = await Promise.allSettled(Array.from({ length: 9 }, (_, i) => withHashSlot(work(i === 1))));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(8);
    expect(most).toBe(MAX_CONCURRENT_HASHES);
    expect(MAX_CONCURRENT_HASHES).toBe(2);
  });
});
