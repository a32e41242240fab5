// Two-factor with TOTP: set-up on the account page, the second step of signing in, recovery codes, switching off,
// compulsory set-up per role. Codes are computed here with otpauth from the secret the set-up page shows.
import { createHash } from "node:crypto";
import { and, eq, like } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import request from "supertest";
import { resetTwoFactor } from "../src/auth/two-factor.service";
import { auditLog, recoveryCodes, settings, users } from "../src/db/schema";
import { buildTestApp, csrfFrom, decoded, loginAs, makeUser, PASSWORD, type TestContext } from "./helpers/app";

let ctx: TestContext;
afterEach(() => ctx.close());

type Agent = ReturnType<typeof request.agent>;
type Person = Awaited<ReturnType<typeof makeUser>>;

const STEP_MS = 30_000;
/** The code of the app for the step `offset` steps from now. */
const codeFor = (secret: string, offset = 0) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + offset * STEP_MS });
/** A code that is wrong at any step the server could be at. */
function wrongCode(secret: string): string {
  const near = new Set([-2, -1, 0, 1, 2].map((o) => codeFor(secret, o)));
  let n = 123456;
  while (near.has(String(n).padStart(6, "0"))) n = (n + 7919) % 1_000_000;
  return String(n).padStart(6, "0");
}
const userRow = (id: number) => ctx.db.select().from(users).where(eq(users.id, id)).get()!;
const codesIn = (html: string) => [...html.matchAll(/<code class="token-value">([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})<\/code>/g)].map((m) => m[1]!);
const secretIn = (html: string) => /id="totp-secret"[^>]*value="([A-Z2-7 ]+)"/.exec(html)![1]!.replace(/ /g, "");
const setCompulsory = (roles: string) => ctx.db.update(settings).set({ value: roles }).where(eq(settings.key, "twoFactorRoles")).run();

async function post(agent: Agent, path: string, body: Record<string, unknown>, page: string) {
  return agent.post(path).type("form").send({ _csrf: csrfFrom((await agent.get(page)).text), ...body });
}

/** Signs in and sets up two-factor through the pages; returns the secret and the recovery codes shown. */
async function withTwoFactor(person: Person) {
  const { agent } = await loginAs(ctx.app, person);
  const page = await agent.get("/account/two-factor");
  const secret = secretIn(page.text);
  const res = await post(agent, "/account/two-factor", { code: codeFor(secret) }, "/account/two-factor");
  expect(res.status).toBe(201);
  return { agent, secret, codes: codesIn(res.text) };
}

/** The password step in a fresh browser. */
async function passwordStep(person: Person, next?: string) {
  const agent = request.agent(ctx.app);
  const page = await agent.get("/login");
  const res = await agent.post("/login").type("form").send({ email: person.email, password: PASSWORD, next, _csrf: csrfFrom(page.text) });
  return { agent, res };
}

const sendCode = (agent: Agent, code: string) => post(agent, "/login/two-factor", { code }, "/login/two-factor");

describe("setting up two-factor", () => {
  beforeEach(() => {
    ctx = buildTestApp();
  });

  it("shows a QR code and the key for the app, and keeps the secret in the session only until a code confirms it", async () => {
    const person = await makeUser(ctx.db, "privacy_officer");
    const { agent } = await loginAs(ctx.app, person);
    const page = await agent.get("/account/two-factor");
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<img src="data:image\/svg\+xml;base64,[^"]+" width="220" height="220" alt="QR-code/);
    expect(page.text).toContain("IBP-register Stichting Testbestuur");
    const secret = secretIn(page.text);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    // Reloading shows the same secret (the app may already have scanned it); nothing is stored yet.
    expect(secretIn((await agent.get("/account/two-factor")).text)).toBe(secret);
    expect(userRow(person.id).totpSecret).toBeNull();
    const qr = Buffer.from(/base64,([^"]+)"/.exec(decoded(page.text))![1]!, "base64").toString();
    expect(qr).toMatch(/^<svg/);
  });

  it("switches two-factor on with a code from the app and shows ten recovery codes once, stored only hashed, and records it", async () => {
    const person = await makeUser(ctx.db, "privacy_officer");
    const { agent, secret, codes } = await withTwoFactor(person);
    const row = userRow(person.id);
    expect(row.totpSecret).toBe(secret);
    expect(row.totpEnabledAt).toBeInstanceOf(Date);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const stored = ctx.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, person.id)).all();
    expect(stored).toHaveLength(10);
    const hashes = new Set(stored.map((r) => r.codeHash));
    for (const code of codes) {
      expect(hashes).not.toContain(code);
      expect(hashes).toContain(createHash("sha256").update(`${person.id}:${code.replace(/-/g, "")}`).digest("hex"));
    }
    const page = await agent.get("/account/two-factor");
    expect(page.text).not.toContain('id="totp-secret"');
    expect(codesIn(page.text)).toEqual([]);
    expect(page.text).toContain("Nieuwe herstelcodes maken");
    const entry = ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "user"), like(auditLog.summary, "Tweestapsverificatie ingesteld%"))).get()!;
    expect(entry.entityId).toBe(person.id);
    expect(JSON.stringify(entry)).not.toContain(secret);
    expect(JSON.stringify(entry)).not.toContain(codes[0]);
    expect((await agent.get("/account")).text).toContain("Tweestapsverificatie staat aan.");
  });

  it("re-renders the set-up with 422 and a message at the field when the code is wrong, and stays off", async () => {
    const person = await makeUser(ctx.db, "admin");
    const { agent } = await loginAs(ctx.app, person);
    const secret = secretIn((await agent.get("/account/two-factor")).text);
    const res = await post(agent, "/account/two-factor", { code: wrongCode(secret) }, "/account/two-factor");
    expect(res.status).toBe(422);
    expect(res.text).toContain('id="setup-code-error"');
    expect(res.text).toContain("Deze code klopt niet.");
    expect(secretIn(res.text)).toBe(secret);
    expect(userRow(person.id).totpEnabledAt).toBeNull();
    expect(ctx.db.select().from(recoveryCodes).all()).toHaveLength(0);
  });

  it("re-renders with 422 when the code is left empty", async () => {
    const person = await makeUser(ctx.db, "admin");
    const { agent } = await loginAs(ctx.app, person);
    const res = await post(agent, "/account/two-factor", { code: " " }, "/account/two-factor");
    expect(res.status).toBe(422);
    expect(res.text).toContain("Vul de code van 6 cijfers uit uw app in, of een herstelcode.");
  });
});

describe("signing in with two-factor", () => {
  beforeEach(() => {
    ctx = buildTestApp();
  });

  it("asks for the code after the password, starts no session before it, and signs in with the right code", async () => {
    const person = await makeUser(ctx.db, "school");
    const { secret } = await withTwoFactor(person);
    const { agent, res } = await passwordStep(person, "/account");
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/login/two-factor");
    const home = await agent.get("/");
    expect(home.status).toBe(303);
    expect(home.headers.location).toMatch(/^\/login/);
    const form = await agent.get("/login/two-factor");
    expect(form.status).toBe(200);
    expect(form.text).toContain('autocomplete="one-time-code"');
    // The set-up used this step's code; the app's next one is within the allowed drift.
    const done = await sendCode(agent, codeFor(secret, 1));
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe("/account");
    expect((await agent.get("/")).status).toBe(200);
  });

  it("refuses a wrong code with 401 and a Dutch message, and starts no session", async () => {
    const person = await makeUser(ctx.db, "admin");
    const { secret } = await withTwoFactor(person);
    const { agent } = await passwordStep(person);
    const res = await sendCode(agent, wrongCode(secret));
    expect(res.status).toBe(401);
    expect(res.text).toContain("Deze code klopt niet.");
    expect((await agent.get("/")).status).toBe(303);
  });

  it("refuses a code that was used before: each code signs in once", async () => {
    const person = await makeUser(ctx.db, "admin");
    const { secret } = await withTwoFactor(person);
    const code = codeFor(secret, 1);
    const first = await passwordStep(person);
    expect((await sendCode(first.agent, code)).status).toBe(303);
    const second = await passwordStep(person);
    const replay = await sendCode(second.agent, code);
    expect(replay.status).toBe(401);
    expect(replay.text).toContain("Deze code is al gebruikt.");
    expect((await second.agent.get("/")).status).toBe(303);
  });

  it("refuses the code that confirmed the set-up", async () => {
    const person = await makeUser(ctx.db, "admin");
    const { agent } = await loginAs(ctx.app, person);
    const secret = secretIn((await agent.get("/account/two-factor")).text);
    const code = codeFor(secret);
    expect((await post(agent, "/account/two-factor", { code }, "/account/two-factor")).status).toBe(201);
    const { agent: browser } = await passwordStep(person);
    expect((await sendCode(browser, code)).status).toBe(401);
  });

  it("signs in with a recovery code once, records it, and refuses that code the second time", async () => {
    const person = await makeUser(ctx.db, "privacy_officer");
    const { codes } = await withTwoFactor(person);
    const first = await passwordStep(person);
    const ok = await sendCode(first.agent, codes[3]!.toUpperCase());
    expect(ok.status).toBe(303);
    const home = await first.agent.get("/");
    expect(home.status).toBe(200);
    expect(home.text).toContain("U heeft nog 9 ongebruikte herstelcodes");
    expect(ctx.db.select().from(auditLog).where(like(auditLog.summary, "%ingelogd met een herstelcode%")).all()).toHaveLength(1);
    const second = await passwordStep(person);
    const again = await sendCode(second.agent, codes[3]!);
    expect(again.status).toBe(401);
    expect(again.text).toContain("Deze herstelcode is al gebruikt.");
  });

  it("drops the waiting sign-in after three wrong codes: the password is asked again", async () => {
    const person = await makeUser(ctx.db, "admin");
    const { secret } = await withTwoFactor(person);
    const { agent } = await passwordStep(person);
    for (let i = 0; i < 2; i++) expect((await sendCode(agent, wrongCode(secret))).status).toBe(401);
    const third = await sendCode(agent, wrongCode(secret));
    expect(third.status).toBe(401);
    expect(third.text).toContain("Te vaak een onjuiste code. Log opnieuw in");
    expect(third.text).toContain('action="/login"');
    const after = await agent.get("/login/two-factor");
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe("/login");
  });

  it("throttles wrong codes per person and address across sign-ins, even the right code after that", async () => {
    ctx.close();
    ctx = buildTestApp({ loginMaxFailures: 4 });
    const person = await makeUser(ctx.db, "admin");
    const { secret } = await withTwoFactor(person);
    const first = await passwordStep(person);
    for (let i = 0; i < 3; i++) expect((await sendCode(first.agent, wrongCode(secret))).status).toBe(401);
    const second = await passwordStep(person);
    expect((await sendCode(second.agent, wrongCode(secret))).status).toBe(401);
    const blocked = await sendCode(second.agent, codeFor(secret, 1));
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain("Te veel mislukte pogingen");
    expect((await second.agent.get("/")).status).toBe(303);
  });

  it("does not count right codes towards the throttle", async () => {
    ctx.close();
    ctx = buildTestApp({ loginMaxFailures: 1 });
    const person = await makeUser(ctx.db, "admin");
    const { codes } = await withTwoFactor(person);
    for (const code of codes.slice(0, 3)) {
      const { agent } = await passwordStep(person);
      expect((await sendCode(agent, code)).status).toBe(303);
    }
  });

  it("sends a waiting sign-in older than five minutes back to the password, with a message", async () => {
    const person = await makeUser(ctx.db, "admin");
    const { secret } = await withTwoFactor(person);
    const { agent } = await passwordStep(person);
    ctx.connection.sqlite
      .prepare("update sessions set data = json_set(data, '$.twoFactor.startedAt', ?) where json_extract(data, '$.twoFactor') is not null")
      .run(Date.now() - 5 * 60 * 1000 - 1000);
    const res = await agent.post("/login/two-factor").type("form").send({ code: codeFor(secret, 1), _csrf: csrfFrom((await agent.get("/login")).text) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/login");
    const login = await agent.get("/login");
    expect(login.text).toContain("Uw aanmelding is verlopen.");
    expect((await agent.get("/")).status).toBe(303);
    expect((await agent.get("/login/two-factor")).headers.location).toBe("/login");
  });

  it("sends a visitor without a waiting sign-in to the log-in page", async () => {
    const res = await request(ctx.app).get("/login/two-factor");
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/login");
  });
});

describe("managing two-factor", () => {
  beforeEach(() => {
    ctx = buildTestApp();
  });

  it("makes new recovery codes for a current code; the old ones stop working", async () => {
    const person = await makeUser(ctx.db, "auditor");
    const { agent, secret, codes } = await withTwoFactor(person);
    const res = await post(agent, "/account/two-factor/recovery-codes", { code: codeFor(secret, 1) }, "/account/two-factor");
    expect(res.status).toBe(201);
    const fresh = codesIn(res.text);
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(codes[0]);
    expect(ctx.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, person.id)).all()).toHaveLength(10);
    expect(ctx.db.select().from(auditLog).where(like(auditLog.summary, "Nieuwe herstelcodes%")).all()).toHaveLength(1);
    const old = await passwordStep(person);
    expect((await sendCode(old.agent, codes[0]!)).status).toBe(401);
    const now = await passwordStep(person);
    expect((await sendCode(now.agent, fresh[0]!)).status).toBe(303);
  });

  it("refuses new recovery codes for a wrong code with 422", async () => {
    const person = await makeUser(ctx.db, "auditor");
    const { agent, secret } = await withTwoFactor(person);
    const res = await post(agent, "/account/two-factor/recovery-codes", { code: wrongCode(secret) }, "/account/two-factor");
    expect(res.status).toBe(422);
    expect(res.text).toContain('id="regenerate-code-error"');
  });

  it("switches two-factor off for a current code and records it; the next sign-in asks only the password", async () => {
    const person = await makeUser(ctx.db, "school");
    const { agent, secret } = await withTwoFactor(person);
    const res = await post(agent, "/account/two-factor/disable", { code: codeFor(secret, 1) }, "/account/two-factor");
    expect(res.status).toBe(303);
    const row = userRow(person.id);
    expect(row.totpSecret).toBeNull();
    expect(row.totpEnabledAt).toBeNull();
    expect(ctx.db.select().from(recoveryCodes).all()).toHaveLength(0);
    expect(ctx.db.select().from(auditLog).where(like(auditLog.summary, "Tweestapsverificatie uitgezet%")).all()).toHaveLength(1);
    expect((await passwordStep(person)).res.headers.location).toBe("/");
  });

  it("refuses to switch off for a wrong code with 422 and stays on", async () => {
    const person = await makeUser(ctx.db, "school");
    const { agent, secret } = await withTwoFactor(person);
    const res = await post(agent, "/account/two-factor/disable", { code: wrongCode(secret) }, "/account/two-factor");
    expect(res.status).toBe(422);
    expect(res.text).toContain('id="disable-code-error"');
    expect(userRow(person.id).totpEnabledAt).not.toBeNull();
  });

  it("refuses to switch off where two-factor is compulsory for the role, and offers no such form", async () => {
    const person = await makeUser(ctx.db, "privacy_officer");
    const { agent, secret } = await withTwoFactor(person);
    setCompulsory("admin,privacy_officer");
    const page = await agent.get("/account/two-factor");
    expect(page.text).not.toContain('action="/account/two-factor/disable"');
    expect(page.text).toContain("Voor uw rol is tweestapsverificatie verplicht; u kunt het niet uitzetten.");
    const res = await agent.post("/account/two-factor/disable").type("form").send({ code: codeFor(secret, 1), _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(403);
    expect(res.text).toContain("Voor uw rol is tweestapsverificatie verplicht");
    expect(userRow(person.id).totpEnabledAt).not.toBeNull();
  });

  it("resetTwoFactor clears the secret and the recovery codes, so the next sign-in asks only the password", async () => {
    const person = await makeUser(ctx.db, "admin");
    await withTwoFactor(person);
    ctx.db.transaction((tx) => resetTwoFactor(tx, person.id));
    const row = userRow(person.id);
    expect([row.totpSecret, row.totpEnabledAt, row.totpLastStep]).toEqual([null, null, null]);
    expect(ctx.db.select().from(recoveryCodes).all()).toHaveLength(0);
    expect((await passwordStep(person)).res.headers.location).toBe("/");
  });
});

describe("compulsory two-factor", () => {
  beforeEach(() => {
    ctx = buildTestApp();
    setCompulsory("admin,privacy_officer");
  });

  it("sends an admin without two-factor to its set-up until it is done, then lets them on", async () => {
    const person = await makeUser(ctx.db, "admin");
    const { res, agent } = await passwordStep(person);
    expect(res.headers.location).toBe("/account/two-factor");
    const home = await agent.get("/");
    expect(home.status).toBe(303);
    expect(home.headers.location).toBe("/account/two-factor");
    const page = await agent.get("/account/two-factor");
    expect(page.text).toContain("Voor uw rol is tweestapsverificatie verplicht. Stel het nu in");
    const done = await post(agent, "/account/two-factor", { code: codeFor(secretIn(page.text)) }, "/account/two-factor");
    expect(done.status).toBe(201);
    expect((await agent.get("/")).status).toBe(200);
  });

  it("lets a school contact, for whom it is not compulsory, on without it", async () => {
    const person = await makeUser(ctx.db, "school");
    const { res, agent } = await passwordStep(person);
    expect(res.headers.location).toBe("/");
    expect((await agent.get("/")).status).toBe(200);
  });
});
