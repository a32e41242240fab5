// People: an admin invites, edits, deactivates and reactivates users; invitation links set a password once
// within 72 hours; a deactivated user is out at once; the last admin stays; users see and end their sessions.
import { and, eq } from "drizzle-orm";
import request from "supertest";
import { createToken } from "../src/api/tokens.service";
import { apiTokens, auditLog, mailOutbox, settings, userInvites, users } from "../src/db/schema";
import { buildTestApp, csrfFrom, decoded, loginAs, makeSchool, makeUser, PASSWORD, type TestContext } from "./helpers/app";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

type Agent = ReturnType<typeof request.agent>;
const post = async (agent: Agent, path: string, body: Record<string, unknown>, page = "/account") =>
  agent.post(path).type("form").send({ _csrf: csrfFrom((await agent.get(page)).text), ...body });
const userRow = (email: string) => ctx.db.select().from(users).where(eq(users.email, email)).get()!;
const linkIn = (html: string) => /value="(http:\/\/[^"]+\/invite\/[A-Za-z0-9_-]{43})"/.exec(html)![1]!;
const pathOf = (link: string) => new URL(link).pathname;

async function admin() {
  return loginAs(ctx.app, await makeUser(ctx.db, "admin"));
}

async function invite(agent: Agent, values: Record<string, unknown>) {
  return post(agent, "/admin/users", values, "/admin/users/new");
}

/** Opens the link in a fresh browser and sets a password there. */
async function accept(link: string, password = "een-lang-nieuw-wachtwoord") {
  const browser = request.agent(ctx.app);
  const form = await browser.get(pathOf(link));
  if (form.status !== 200) return { browser, res: form };
  const res = await browser.post(pathOf(link)).type("form").send({ _csrf: csrfFrom(form.text), password, confirmPassword: password });
  return { browser, res };
}

describe("inviting", () => {
  it("invites a school contact with their school: mails a one-time link, shows it once, stores only its hash", async () => {
    const school = makeSchool(ctx.db, { name: "De Regenboog" });
    const { agent } = await admin();
    const res = await invite(agent, { name: "Sanne de Vries", email: "Sanne@School.example", role: "school", schoolIds: String(school.id) });
    expect(res.status).toBe(201);
    const link = linkIn(res.text);
    const user = userRow("sanne@school.example");
    expect(user).toMatchObject({ name: "Sanne de Vries", role: "school", passwordHash: "" });
    const mail = ctx.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, "sanne@school.example")).get()!;
    expect(mail.subject).toContain("Uitnodiging");
    expect(mail.body).toContain(link);
    const token = link.split("/").pop()!;
    const dump = JSON.stringify([ctx.db.select().from(userInvites).all(), ctx.db.select().from(auditLog).all()]);
    expect(dump).not.toContain(token);
    const invites = ctx.db.select().from(userInvites).where(eq(userInvites.userId, user.id)).all();
    expect(invites).toHaveLength(1);
    expect(invites[0]!.expiresAt.getTime() - Date.now()).toBeGreaterThan(71 * 3600 * 1000);
    expect(invites[0]!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(72 * 3600 * 1000);

    const list = decoded((await agent.get("/admin/users")).text);
    expect(list).toMatch(/Sanne de Vries[\s\S]*?Schoolcontact[\s\S]*?De Regenboog[\s\S]*?Uitgenodigd/);
    const entry = ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "user"), eq(auditLog.entityId, user.id))).get()!;
    expect(entry.summary).toContain("uitgenodigd als Schoolcontact");
  });

  it("refuses a bad invitation with 422, a message at each field and the input kept", async () => {
    await makeUser(ctx.db, "auditor", { email: "bestaat@test.example" });
    const { agent } = await admin();
    const before = ctx.db.select().from(users).all().length;
    const res = await invite(agent, { name: "", email: "geen-adres", role: "school" });
    expect(res.status).toBe(422);
    expect(res.text).toContain('id="name-error"');
    expect(res.text).toContain('id="email-error"');
    expect(res.text).toContain('value="geen-adres"');
    const noSchool = await invite(agent, { name: "Piet", email: "piet@test.example", role: "school" });
    expect(noSchool.status).toBe(422);
    expect(decoded(noSchool.text)).toContain("Kies ten minste één school voor een schoolcontact.");
    expect(noSchool.text).toContain('value="Piet"');
    const taken = await invite(agent, { name: "Dubbel", email: "BESTAAT@test.example", role: "auditor" });
    expect(taken.status).toBe(422);
    expect(decoded(taken.text)).toContain("Er is al een gebruiker met dit e-mailadres.");
    expect(ctx.db.select().from(users).all()).toHaveLength(before);
    expect(ctx.db.select().from(userInvites).all()).toHaveLength(0);
  });

  it("lets the invited person set a password once and signs them in; the same link again is refused", async () => {
    const { agent } = await admin();
    const link = linkIn((await invite(agent, { name: "Pia Officer", email: "pia@test.example", role: "privacy_officer" })).text);
    const form = await request(ctx.app).get(pathOf(link));
    expect(decoded(form.text)).toContain("Welkom, Pia Officer.");

    const short = await accept(link, "kort");
    expect(short.res.status).toBe(422);
    expect(decoded(short.res.text)).toContain("Kies een wachtwoord van ten minste 12 tekens.");

    const { browser, res } = await accept(link);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/");
    const home = await browser.get("/");
    expect(home.status).toBe(200);
    expect(decoded(home.text)).toContain("Pia Officer");
    expect(userRow("pia@test.example").lastLoginAt).toBeInstanceOf(Date);

    const again = await accept(link);
    expect(again.res.status).toBe(410);
    expect(decoded(again.res.text)).toContain("Deze link is al gebruikt.");
    // The password works at the log-in page from now on.
    await loginAs(ctx.app, { email: "pia@test.example", password: "een-lang-nieuw-wachtwoord" });
  });

  it("refuses an expired link and an unknown link with a plain message, and sets no password", async () => {
    const { agent } = await admin();
    const link = linkIn((await invite(agent, { name: "Laat", email: "laat@test.example", role: "auditor" })).text);
    ctx.db.update(userInvites).set({ expiresAt: new Date(Date.now() - 1000) }).run();
    const expired = await accept(link);
    expect(expired.res.status).toBe(410);
    expect(decoded(expired.res.text)).toContain("Deze link is verlopen");
    const unknown = await request(ctx.app).get(`/invite/${"x".repeat(43)}`);
    expect(unknown.status).toBe(410);
    expect(decoded(unknown.text)).toContain("Deze link is onbekend.");
    expect(userRow("laat@test.example").passwordHash).toBe("");
  });

  it("does not let an invited person without a password sign in with an empty or any password", async () => {
    const { agent } = await admin();
    await invite(agent, { name: "Nog Niet", email: "nognniet@test.example", role: "auditor" });
    const browser = request.agent(ctx.app);
    for (const password of ["", "x", PASSWORD]) {
      const page = await browser.get("/login");
      const res = await browser.post("/login").type("form").send({ email: "nognniet@test.example", password, _csrf: csrfFrom(page.text) });
      expect(res.status).toBe(password ? 401 : 422);
    }
  });

  it("sends a new link that replaces the earlier one", async () => {
    const { agent } = await admin();
    const first = linkIn((await invite(agent, { name: "Twee Keer", email: "twee@test.example", role: "auditor" })).text);
    const id = userRow("twee@test.example").id;
    const again = await post(agent, `/admin/users/${id}/send-link`, {}, `/admin/users/${id}`);
    expect(again.status).toBe(201);
    const second = linkIn(again.text);
    expect(second).not.toBe(first);
    expect((await accept(first)).res.status).toBe(410);
    expect((await accept(second)).res.status).toBe(303);
  });
});

describe("deactivating", () => {
  it("ends a deactivated user's sessions and API tokens at once, and lets them in again after reactivation", async () => {
    const contact = await makeUser(ctx.db, "school", { schoolIds: [makeSchool(ctx.db).id] });
    const theirs = await loginAs(ctx.app, contact);
    const token = createToken(ctx.db, { id: contact.id, name: contact.name, email: contact.email, role: "school", schoolIds: [] }, { name: "Script" }).token;
    const api = () => request(ctx.app).get("/api/v1/applications").set("Authorization", `Bearer ${token}`);
    expect((await api()).status).toBe(200);

    const { agent } = await admin();
    const res = await post(agent, `/admin/users/${contact.id}/deactivate`, { version: 1 }, `/admin/users/${contact.id}`);
    expect(res.status).toBe(303);
    const out = await theirs.agent.get("/");
    expect(out.status).toBe(303);
    expect(out.headers.location).toMatch(/^\/login/);
    expect((await api()).status).toBe(401);
    await expect(loginAs(ctx.app, contact)).rejects.toThrow("Inloggen mislukt (401)");
    expect(decoded((await agent.get(`/admin/users/${contact.id}`)).text)).toContain("Gedeactiveerd");

    expect((await post(agent, `/admin/users/${contact.id}/reactivate`, { version: 2 }, `/admin/users/${contact.id}`)).status).toBe(303);
    await loginAs(ctx.app, contact);
    // Tokens do not come back with the account.
    expect((await api()).status).toBe(401);
    expect(ctx.db.select().from(apiTokens).get()!.revokedAt).toBeInstanceOf(Date);
    const summaries = ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "user"), eq(auditLog.entityId, contact.id))).all().map((e) => e.summary);
    expect(summaries).toEqual(expect.arrayContaining([expect.stringContaining("gedeactiveerd"), expect.stringContaining("opnieuw geactiveerd")]));
  });

  it("answers a deactivation from a stale page with 409, the person as they are now, and does nothing", async () => {
    const person = await makeUser(ctx.db, "auditor");
    const { agent } = await admin();
    expect((await post(agent, `/admin/users/${person.id}`, { name: "Nieuwe Naam", email: person.email, role: "auditor", version: 1 }, `/admin/users/${person.id}/edit`)).status).toBe(303);
    const stale = await post(agent, `/admin/users/${person.id}/deactivate`, { version: 1 }, `/admin/users/${person.id}`);
    expect(stale.status).toBe(409);
    expect(decoded(stale.text)).toContain("Iemand anders heeft deze gebruiker intussen gewijzigd");
    expect(stale.text).toContain("Nieuwe Naam");
    expect(ctx.db.select().from(users).where(eq(users.id, person.id)).get()!.disabledAt).toBeNull();
  });

  it("keeps the last active admin: neither deactivated nor given another role", async () => {
    const only = await makeUser(ctx.db, "admin");
    const { agent } = await loginAs(ctx.app, only);
    const demote = await post(agent, `/admin/users/${only.id}`, { name: only.name, email: only.email, role: "auditor", version: 1 }, `/admin/users/${only.id}/edit`);
    expect(demote.status).toBe(422);
    expect(decoded(demote.text)).toContain("Dit is de laatste actieve beheerder");
    const other = await makeUser(ctx.db, "admin");
    const { agent: second } = await loginAs(ctx.app, other);
    const refused = await post(second, `/admin/users/${other.id}/deactivate`, { version: 1 }, `/admin/users/${other.id}`);
    expect(refused.status).toBe(422);
    expect(decoded(refused.text)).toContain("U kunt uzelf niet deactiveren.");
    // With a second admin, the first may become an auditor; then the second is the last.
    expect((await post(agent, `/admin/users/${only.id}`, { name: only.name, email: only.email, role: "auditor", version: 1 }, `/admin/users/${only.id}/edit`)).status).toBe(303);
    const third = await makeUser(ctx.db, "privacy_officer");
    expect(ctx.db.select().from(users).where(eq(users.id, only.id)).get()!.role).toBe("auditor");
    const lastDemote = await post(second, `/admin/users/${other.id}`, { name: other.name, email: other.email, role: "privacy_officer", version: 1 }, `/admin/users/${other.id}/edit`);
    expect(lastDemote.status).toBe(422);
    expect(third.role).toBe("privacy_officer");
  });
});

describe("editing", () => {
  it("answers a stale edit with 409 and both versions", async () => {
    const person = await makeUser(ctx.db, "auditor");
    const { agent } = await admin();
    expect((await post(agent, `/admin/users/${person.id}`, { name: "Eerste Naam", email: person.email, role: "auditor", version: 1 }, `/admin/users/${person.id}/edit`)).status).toBe(303);
    const stale = await post(agent, `/admin/users/${person.id}`, { name: "Tweede Naam", email: person.email, role: "auditor", version: 1 }, `/admin/users/${person.id}/edit`);
    expect(stale.status).toBe(409);
    expect(stale.text).toContain("Eerste Naam");
    expect(stale.text).toContain("Tweede Naam");
    expect(ctx.db.select().from(users).where(eq(users.id, person.id)).get()!.name).toBe("Eerste Naam");
  });

  it("clears a user's two-factor so they set it up again", async () => {
    const person = await makeUser(ctx.db, "privacy_officer");
    ctx.db.update(users).set({ totpSecret: "JBSWY3DPEHPK3PXP", totpEnabledAt: new Date(), totpLastStep: 1 }).where(eq(users.id, person.id)).run();
    const { agent } = await admin();
    expect(decoded((await agent.get(`/admin/users/${person.id}`)).text)).toContain("Tweestapsverificatie wissen");
    const res = await post(agent, `/admin/users/${person.id}/reset-two-factor`, { version: 1 }, `/admin/users/${person.id}`);
    expect(res.status).toBe(303);
    expect(ctx.db.select().from(users).where(eq(users.id, person.id)).get()).toMatchObject({ totpSecret: null, totpEnabledAt: null, totpLastStep: null });
  });

  it("unlinks a person from single sign-on so the next sign-in matches on e-mail again", async () => {
    const person = await makeUser(ctx.db, "auditor");
    ctx.db.update(users).set({ oidcSubject: "sub-123" }).where(eq(users.id, person.id)).run();
    const { agent } = await admin();
    expect(decoded((await agent.get(`/admin/users/${person.id}`)).text)).toContain("via single sign-on");
    const res = await post(agent, `/admin/users/${person.id}/unlink-sso`, { version: 1 }, `/admin/users/${person.id}`);
    expect(res.status).toBe(303);
    expect(ctx.db.select().from(users).where(eq(users.id, person.id)).get()!.oidcSubject).toBeNull();
    const entry = ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "user"), eq(auditLog.entityId, person.id))).all().pop()!;
    expect(entry.summary).toContain("single sign-on verbroken");
  });

  it("refuses the users pages to every role but admin", async () => {
    for (const role of ["privacy_officer", "auditor", "school"] as const) {
      const { agent } = await loginAs(ctx.app, await makeUser(ctx.db, role));
      expect((await agent.get("/admin/users")).status).toBe(403);
    }
  });
});

describe("sessions", () => {
  it("shows a user their sessions and lets them end another one", async () => {
    const person = await makeUser(ctx.db, "auditor");
    const laptop = await loginAs(ctx.app, person);
    const phone = await loginAs(ctx.app, person);
    const page = await laptop.agent.get("/account/sessions");
    expect(page.status).toBe(200);
    expect(decoded(page.text)).toContain("Deze sessie");
    const keys = [...page.text.matchAll(/name="session" value="([0-9a-f]{24})"/g)].map((m) => m[1]!);
    expect(keys).toHaveLength(1);
    expect(page.text).not.toContain(phone.cookie.split("=")[1]!.slice(4, 20));
    const res = await post(laptop.agent, "/account/sessions/end", { session: keys[0] }, "/account/sessions");
    expect(res.status).toBe(303);
    expect((await phone.agent.get("/")).status).toBe(303);
    expect((await laptop.agent.get("/")).status).toBe(200);
    const unknown = await post(laptop.agent, "/account/sessions/end", { session: "0".repeat(24) }, "/account/sessions");
    expect(unknown.status).toBe(303);
    expect(decoded((await laptop.agent.get("/account/sessions")).text)).toContain("Die sessie bestaat niet (meer).");
  });
});

describe("sign-in settings", () => {
  it("refuses switching passwords off without single sign-on, and makes two-factor compulsory for a role at once", async () => {
    const { agent } = await admin();
    const auditor = await loginAs(ctx.app, await makeUser(ctx.db, "auditor"));
    const page = await agent.get("/admin/users/sign-in");
    expect(page.status).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1];
    const off = await post(agent, "/admin/users/sign-in", { version, passwordRoles: ["admin", "privacy_officer"], twoFactorRoles: [] }, "/admin/users/sign-in");
    expect(off.status).toBe(422);
    expect(decoded(off.text)).toContain("Inloggen met een wachtwoord kan pas uit als single sign-on is ingesteld.");

    const on = await post(agent, "/admin/users/sign-in", { version, passwordRoles: ["admin", "privacy_officer", "school", "auditor"], twoFactorRoles: ["auditor"] }, "/admin/users/sign-in");
    expect(on.status).toBe(303);
    expect(ctx.db.select().from(settings).where(eq(settings.key, "twoFactorRoles")).get()!.value).toBe("auditor");
    const sent = await auditor.agent.get("/applications");
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe("/account/two-factor");
    expect((await agent.get("/applications")).status).toBe(200);
  });
});
