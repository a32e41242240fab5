// Single sign-on against a real OpenID provider (oidc-provider) running in this process on an ephemeral port:
// the register's browser (a supertest agent on the app) and the provider's browser (an agent on the provider)
// follow every redirect, including the provider's own log-in and consent pages.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import request from "supertest";
import type ProviderType from "oidc-provider";
import { parseOidcConfig, type OidcConfig } from "../src/auth/oidc.config";
import { auditLog, settings, userSchools, users } from "../src/db/schema";
import { insertUser } from "../src/users/users.repository";
import { buildTestApp, decoded, makeSchool, makeUser, type TestContext } from "./helpers/app";

const PUBLIC_URL = "http://register.test";
const CLIENT = { client_id: "ibp-register", client_secret: "a-client-secret-of-some-length-0123456789" };

type Claims = Record<string, unknown>;

/** The people the provider knows: account id (its `sub`) → claims. */
const accounts = new Map<string, Claims>();

type RunningProvider = { issuer: string; close: () => Promise<void> };

// oidc-provider tells at import and start that this is a development set-up (memory store, its own keys, its
// own log-in pages, Node 20): true, and meant. Only its messages are kept out of the test output, which is why
// it is loaded after this, not imported at the top.
for (const method of ["info", "warn"] as const) {
  const original = console[method].bind(console);
  jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].includes("oidc-provider")) return;
    original(...args);
  });
}
let Provider: typeof ProviderType;

async function startProvider(): Promise<RunningProvider> {
  Provider ??= (await import("oidc-provider")).default;
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [{ ...CLIENT, redirect_uris: [`${PUBLIC_URL}/login/sso/callback`], grant_types: ["authorization_code"], response_types: ["code"] }],
    findAccount: (_ctx, sub) => (accounts.has(sub) ? { accountId: sub, claims: () => ({ sub, ...accounts.get(sub) }) } : undefined),
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "preferred_username", "groups", "brin", "hd"] },
    // Entra ID and Google put these claims in the ID token itself; so does this provider.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["a-cookie-key-for-the-test-provider"] },
  });
  server.on("request", provider.callback());
  return {
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let provider: RunningProvider;
let ctx: TestContext;

beforeAll(async () => {
  provider = await startProvider();
});
afterAll(() => provider.close());
afterEach(() => {
  ctx?.close();
  accounts.clear();
});

function oidcConfig(overrides: Partial<OidcConfig> = {}): OidcConfig {
  return { issuer: provider.issuer, clientId: CLIENT.client_id, clientSecret: CLIENT.client_secret, roleMap: {}, ...overrides };
}

function app(overrides: Partial<OidcConfig> = {}) {
  ctx = buildTestApp({ publicUrl: PUBLIC_URL, oidc: oidcConfig(overrides) });
  return ctx;
}

/** Path and query of a URL on the register (the provider sends the browser to PUBLIC_URL). */
const onRegister = (location: string) => {
  const url = new URL(location);
  expect(url.origin).toBe(PUBLIC_URL);
  return url.pathname + url.search;
};

/**
 * The person at the provider: opens the authorization URL, signs in as `sub` on the provider's log-in page,
 * consents, and returns where the provider sends the browser back to (the register's callback, as a URL).
 * `abort`: the person cancels at the log-in page instead.
 */
async function atProvider(authorizationUrl: string, sub: string, options: { abort?: boolean } = {}): Promise<URL> {
  const url = new URL(authorizationUrl);
  const browser = request.agent(url.origin);
  let res = await browser.get(url.pathname + url.search);
  for (let step = 0; step < 12; step += 1) {
    if (res.status === 302 || res.status === 303) {
      const next = new URL(res.headers.location!, url.origin);
      if (next.origin === PUBLIC_URL) return next;
      res = await browser.get(next.pathname + next.search);
      continue;
    }
    expect(res.status).toBe(200);
    const action = /<form[^>]*action="([^"]+)"/.exec(res.text)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(res.text)?.[1];
    if (!action || !prompt) throw new Error(`Onverwachte pagina van de provider:\n${res.text.slice(0, 500)}`);
    const target = new URL(decoded(action), url.origin);
    if (options.abort) {
      res = await browser.get(`${target.pathname}/abort`);
      continue;
    }
    res = await browser.post(target.pathname).type("form").send(prompt === "login" ? { prompt, login: sub, password: "any" } : { prompt });
  }
  throw new Error("De provider stuurde niet terug naar het register");
}

/** The register's browser starts single sign-on; returns its agent and the provider's authorization URL. */
async function startSignIn(context: TestContext, path = "/login/sso") {
  const agent = request.agent(context.app);
  const res = await agent.get(path);
  expect(res.status).toBe(303);
  const location = res.headers.location!;
  expect(location.startsWith(`${context.config.oidc!.issuer}/`)).toBe(true);
  return { agent, authorizationUrl: location };
}

/** The whole way: start, sign in at the provider as `sub`, come back. Returns the agent and the callback's answer. */
async function signInThroughProvider(context: TestContext, sub: string, path?: string) {
  const { agent, authorizationUrl } = await startSignIn(context, path);
  const callback = await atProvider(authorizationUrl, sub);
  const res = await agent.get(onRegister(callback.href));
  return { agent, res };
}

/** Whether the agent holds a signed-in session: the home page answers instead of sending it to the log-in page. */
async function signedIn(agent: ReturnType<typeof request.agent>): Promise<boolean> {
  const res = await agent.get("/");
  return res.status === 200;
}

const userRow = (context: TestContext, id: number) => context.db.select().from(users).where(eq(users.id, id)).get()!;
const auditOf = (context: TestContext, id: number) =>
  context.db.select().from(auditLog).where(and(eq(auditLog.entityType, "user"), eq(auditLog.entityId, id))).all();

describe("the settings (OIDC_*)", () => {
  const entra = { OIDC_ISSUER: "https://login.microsoftonline.com/0000/v2.0", OIDC_CLIENT_ID: "id", OIDC_CLIENT_SECRET: "secret" };

  it("reads an Entra ID set-up with its role map, where the username stands in for a missing address", () => {
    const config = parseOidcConfig({ ...entra, OIDC_ROLE_CLAIM: "groups", OIDC_ROLE_MAP: "g-1=privacy_officer, g-2=auditor" }, "production");
    expect(config).toMatchObject({ issuer: entra.OIDC_ISSUER, roleClaim: "groups", roleMap: { "g-1": "privacy_officer", "g-2": "auditor" }, emailFromUsername: true });
    expect(parseOidcConfig({ ...entra, OIDC_ISSUER: "https://accounts.google.com" }, "production")?.emailFromUsername).toBe(false);
  });

  it("is off without OIDC_ISSUER", () => {
    expect(parseOidcConfig({}, "production")).toBeUndefined();
  });

  it.each([
    ["a client id without an issuer", { OIDC_CLIENT_ID: "id" }, "OIDC_ISSUER"],
    ["an issuer without its secret", { OIDC_ISSUER: entra.OIDC_ISSUER, OIDC_CLIENT_ID: "id" }, "OIDC_CLIENT_SECRET"],
    ["a plain-HTTP issuer elsewhere than this machine", { ...entra, OIDC_ISSUER: "http://idp.bestuur.example" }, "https://"],
    ["a role map with an unknown role", { ...entra, OIDC_ROLE_CLAIM: "groups", OIDC_ROLE_MAP: "g-1=baas" }, '"baas" is geen rol'],
    ["a role map without its claim", { ...entra, OIDC_ROLE_MAP: "g-1=auditor" }, "OIDC_ROLE_CLAIM"],
  ])("refuses to start with %s", (_case, env, message) => {
    expect(() => parseOidcConfig(env, "production")).toThrow(message);
  });
});

describe("the log-in page", () => {
  it("offers the organisation's account when single sign-on is set up, named after the provider", async () => {
    app({ name: "Microsoft" });
    const res = await request(ctx.app).get("/login?next=/applications");
    expect(res.status).toBe(200);
    expect(decoded(res.text)).toContain('href="/login/sso?next=%2Fapplications"');
    expect(res.text).toContain("Inloggen met Microsoft");
  });

  it("offers no single sign-on, and its routes answer 404, when it is not set up", async () => {
    ctx = buildTestApp({ publicUrl: PUBLIC_URL });
    const page = await request(ctx.app).get("/login");
    expect(page.text).not.toContain("/login/sso");
    expect((await request(ctx.app).get("/login/sso")).status).toBe(404);
    expect((await request(ctx.app).get("/login/sso/callback?code=x&state=y")).status).toBe(404);
  });
});

describe("signing in through the provider", () => {
  it("signs in a person the admin created, matched on e-mail whatever its case, links the subject and records it in the history", async () => {
    app();
    const user = await makeUser(ctx.db, "privacy_officer", { email: "p.jansen@bestuur.example" });
    accounts.set("sub-jansen", { email: "P.Jansen@Bestuur.example", email_verified: true, name: "Petra Jansen" });

    const { agent, res } = await signInThroughProvider(ctx, "sub-jansen", "/login/sso?next=/applications");

    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/applications");
    expect(await signedIn(agent)).toBe(true);
    const stored = userRow(ctx, user.id);
    expect(stored.oidcSubject).toBe("sub-jansen");
    expect(stored.lastLoginAt).not.toBeNull();
    const linked = auditOf(ctx, user.id).find((e) => e.summary.includes("single sign-on"));
    expect(linked?.summary).toContain(`gekoppeld aan het account bij ${provider.issuer}`);
    expect(linked?.after).toEqual({ oidcSubject: "sub-jansen" });
  });

  it("signs in a linked person by the subject, even when the provider's e-mail address has changed since", async () => {
    app();
    const user = await makeUser(ctx.db, "auditor", { email: "oud@bestuur.example" });
    ctx.db.update(users).set({ oidcSubject: "sub-linked" }).where(eq(users.id, user.id)).run();
    accounts.set("sub-linked", { email: "nieuw@bestuur.example" });

    const { agent, res } = await signInThroughProvider(ctx, "sub-linked");

    expect(res.status).toBe(303);
    expect(await signedIn(agent)).toBe(true);
  });

  it("signs in an invited person who never set a password, and leaves the invitation as it was", async () => {
    app();
    // As an invitation leaves the account: no password yet.
    const invited = insertUser(ctx.db, { email: "nieuw@school.example", name: "Nieuwe Collega", passwordHash: "", role: "auditor" });
    accounts.set("sub-nieuw", { email: "nieuw@school.example" });

    const { agent, res } = await signInThroughProvider(ctx, "sub-nieuw");

    expect(res.status).toBe(303);
    expect(await signedIn(agent)).toBe(true);
    expect(userRow(ctx, invited.id).passwordHash).toBe("");
  });

  it("matches a Microsoft Entra ID person without an email claim on the preferred_username", async () => {
    app({ emailFromUsername: true });
    const user = await makeUser(ctx.db, "auditor", { email: "k.de.vries@bestuur.example" });
    accounts.set("sub-entra", { preferred_username: "K.de.Vries@bestuur.example", name: "Kees de Vries" });

    const { res } = await signInThroughProvider(ctx, "sub-entra");

    expect(res.status).toBe(303);
    expect(userRow(ctx, user.id).oidcSubject).toBe("sub-entra");
  });

  it("leaves the register's own two-factor to the provider: a signed-in person is not sent to set it up", async () => {
    app();
    ctx.db.update(settings).set({ value: "admin,privacy_officer" }).where(eq(settings.key, "twoFactorRoles")).run();
    await makeUser(ctx.db, "admin", { email: "beheer@bestuur.example" });
    accounts.set("sub-admin", { email: "beheer@bestuur.example" });

    const { agent, res } = await signInThroughProvider(ctx, "sub-admin");

    expect(res.headers.location).toBe("/");
    expect(await signedIn(agent)).toBe(true);
  });
});

describe("refused sign-ins: a Dutch message on the log-in page, no session, nothing changed", () => {
  it("refuses a person the provider knows but the register does not, and creates no account", async () => {
    app();
    accounts.set("sub-onbekend", { email: "onbekend@elders.example" });
    const before = ctx.db.select().from(users).all().length;

    const { agent, res } = await signInThroughProvider(ctx, "sub-onbekend");

    expect(res.status).toBe(403);
    expect(res.text).toContain("Er is in het IBP-register geen account voor onbekend@elders.example");
    expect(await signedIn(agent)).toBe(false);
    expect(ctx.db.select().from(users).all().length).toBe(before);
  });

  it("does not take a username for an address at a provider other than Entra ID, where a person may choose it", async () => {
    app();
    const user = await makeUser(ctx.db, "admin", { email: "beheer@bestuur.example" });
    accounts.set("sub-gekozen", { preferred_username: "beheer@bestuur.example" });

    const { agent, res } = await signInThroughProvider(ctx, "sub-gekozen");

    expect(res.status).toBe(403);
    expect(res.text).toContain("Uw organisatie gaf geen e-mailadres door");
    expect(await signedIn(agent)).toBe(false);
    expect(userRow(ctx, user.id).oidcSubject).toBeNull();
  });

  it("refuses a deactivated user and leaves the account unlinked", async () => {
    app();
    const user = await makeUser(ctx.db, "privacy_officer", { email: "weg@bestuur.example" });
    ctx.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id)).run();
    accounts.set("sub-weg", { email: "weg@bestuur.example" });

    const { agent, res } = await signInThroughProvider(ctx, "sub-weg");

    expect(res.status).toBe(403);
    expect(res.text).toContain("Uw account in het IBP-register is gedeactiveerd");
    expect(await signedIn(agent)).toBe(false);
    expect(userRow(ctx, user.id).oidcSubject).toBeNull();
  });

  it("refuses a deactivated user who was linked before", async () => {
    app();
    const user = await makeUser(ctx.db, "auditor", { email: "gekoppeld@bestuur.example" });
    ctx.db.update(users).set({ oidcSubject: "sub-gekoppeld", disabledAt: new Date() }).where(eq(users.id, user.id)).run();
    accounts.set("sub-gekoppeld", { email: "gekoppeld@bestuur.example" });

    const { agent, res } = await signInThroughProvider(ctx, "sub-gekoppeld");

    expect(res.status).toBe(403);
    expect(await signedIn(agent)).toBe(false);
  });

  it("refuses an account already linked to another provider account with the same e-mail address", async () => {
    app();
    const user = await makeUser(ctx.db, "auditor", { email: "gedeeld@bestuur.example" });
    ctx.db.update(users).set({ oidcSubject: "sub-eerste" }).where(eq(users.id, user.id)).run();
    accounts.set("sub-tweede", { email: "gedeeld@bestuur.example" });

    const { agent, res } = await signInThroughProvider(ctx, "sub-tweede");

    expect(res.status).toBe(403);
    expect(res.text).toContain("al gekoppeld aan een ander account");
    expect(await signedIn(agent)).toBe(false);
    expect(userRow(ctx, user.id).oidcSubject).toBe("sub-eerste");
  });

  it("refuses an e-mail address the provider says is not verified", async () => {
    app();
    const user = await makeUser(ctx.db, "auditor", { email: "onbevestigd@bestuur.example" });
    accounts.set("sub-onbevestigd", { email: "onbevestigd@bestuur.example", email_verified: false });

    const { res } = await signInThroughProvider(ctx, "sub-onbevestigd");

    expect(res.status).toBe(403);
    expect(res.text).toContain("niet bevestigd");
    expect(userRow(ctx, user.id).oidcSubject).toBeNull();
  });

  it("refuses an answer whose state was tampered with, and the untampered answer after it too", async () => {
    app();
    const user = await makeUser(ctx.db, "auditor", { email: "staat@bestuur.example" });
    accounts.set("sub-staat", { email: "staat@bestuur.example" });
    const { agent, authorizationUrl } = await startSignIn(ctx);
    const callback = await atProvider(authorizationUrl, "sub-staat");
    const tampered = new URL(callback);
    tampered.searchParams.set("state", `${callback.searchParams.get("state")}x`);

    const res = await agent.get(onRegister(tampered.href));

    expect(res.status).toBe(400);
    expect(res.text).toContain("Het antwoord van de inlogdienst van uw organisatie klopte niet");
    expect(await signedIn(agent)).toBe(false);
    // The sign-in was used up by the failed attempt: the original answer cannot be played after it.
    const replay = await agent.get(onRegister(callback.href));
    expect(replay.status).toBe(400);
    expect(replay.text).toContain("Deze aanmelding is verlopen, al gebruikt of niet in deze browser begonnen");
    expect(await signedIn(agent)).toBe(false);
    expect(userRow(ctx, user.id).oidcSubject).toBeNull();
  });

  it("refuses an answer in a browser that never started a sign-in (a code pushed on someone else)", async () => {
    app();
    await makeUser(ctx.db, "auditor", { email: "duw@bestuur.example" });
    accounts.set("sub-duw", { email: "duw@bestuur.example" });
    const { authorizationUrl } = await startSignIn(ctx);
    const callback = await atProvider(authorizationUrl, "sub-duw");
    const victim = request.agent(ctx.app);

    const res = await victim.get(onRegister(callback.href));

    expect(res.status).toBe(400);
    expect(await signedIn(victim)).toBe(false);
  });

  it.each([
    ["another nonce", "another-nonce-than-the-session-holds"],
    ["no nonce", null],
  ])("refuses an ID token that does not carry this browser's nonce (%s)", async (_case, nonce) => {
    app();
    const user = await makeUser(ctx.db, "auditor", { email: "nonce@bestuur.example" });
    accounts.set("sub-nonce", { email: "nonce@bestuur.example" });
    const { agent, authorizationUrl } = await startSignIn(ctx);
    // Same state (so the answer reaches the ID token check), another nonce or none: as a code obtained for another request.
    const forged = new URL(authorizationUrl);
    if (nonce) forged.searchParams.set("nonce", nonce);
    else forged.searchParams.delete("nonce");
    const callback = await atProvider(forged.href, "sub-nonce");

    const res = await agent.get(onRegister(callback.href));

    expect(res.status).toBe(400);
    expect(res.text).toContain("Het antwoord van de inlogdienst van uw organisatie klopte niet");
    expect(await signedIn(agent)).toBe(false);
    expect(userRow(ctx, user.id).oidcSubject).toBeNull();
  });

  it("says so when the person cancels at the provider", async () => {
    app();
    await makeUser(ctx.db, "auditor", { email: "stop@bestuur.example" });
    accounts.set("sub-stop", { email: "stop@bestuur.example" });
    const { agent, authorizationUrl } = await startSignIn(ctx);
    const callback = await atProvider(authorizationUrl, "sub-stop", { abort: true });
    expect(callback.searchParams.get("error")).toBe("access_denied");

    const res = await agent.get(onRegister(callback.href));

    expect(res.status).toBe(401);
    expect(res.text).toContain("Uw organisatie heeft de aanmelding niet toegestaan, of u heeft die afgebroken");
    expect(await signedIn(agent)).toBe(false);
  });

  it("refuses a Google account outside the board's Workspace domain", async () => {
    app({ hostedDomain: "bestuur.example" });
    const user = await makeUser(ctx.db, "auditor", { email: "prive@bestuur.example" });
    accounts.set("sub-prive", { email: "prive@bestuur.example", hd: "elders.example" });

    const { agent, res } = await signInThroughProvider(ctx, "sub-prive");

    expect(res.status).toBe(403);
    expect(res.text).toContain("Log in met een account van bestuur.example");
    expect(await signedIn(agent)).toBe(false);
    expect(userRow(ctx, user.id).oidcSubject).toBeNull();
  });
});

describe("a provider that is down", () => {
  it("shows a Dutch message with 502 when the provider cannot be reached at the start", async () => {
    const gone = await startProvider();
    await gone.close();
    ctx = buildTestApp({ publicUrl: PUBLIC_URL, oidc: oidcConfig({ issuer: gone.issuer }) });
    const agent = request.agent(ctx.app);

    const res = await agent.get("/login/sso");

    expect(res.status).toBe(502);
    expect(res.text).toContain("De inlogdienst van uw organisatie is nu niet bereikbaar");
    expect(await signedIn(agent)).toBe(false);
  });

  it("shows a Dutch message with 502 when the provider goes down before the code is redeemed, and links nobody", async () => {
    const brief = await startProvider();
    ctx = buildTestApp({ publicUrl: PUBLIC_URL, oidc: oidcConfig({ issuer: brief.issuer }) });
    const user = await makeUser(ctx.db, "auditor", { email: "kort@bestuur.example" });
    accounts.set("sub-kort", { email: "kort@bestuur.example" });
    const { agent, authorizationUrl } = await startSignIn(ctx);
    const callback = await atProvider(authorizationUrl, "sub-kort");
    await brief.close();

    const res = await agent.get(onRegister(callback.href));

    expect(res.status).toBe(502);
    expect(res.text).toContain("De inlogdienst van uw organisatie is nu niet bereikbaar");
    expect(await signedIn(agent)).toBe(false);
    expect(userRow(ctx, user.id).oidcSubject).toBeNull();
  });
});

describe("roles and schools from the provider's claims", () => {
  const roleMap = { "grp-privacy": "privacy_officer", "grp-audit": "auditor", "grp-beheer": "admin" } as const;

  it("gives the mapped role at sign-in, the stronger one of several, and records the change", async () => {
    app({ roleClaim: "groups", roleMap });
    const user = await makeUser(ctx.db, "auditor", { email: "rol@bestuur.example" });
    accounts.set("sub-rol", { email: "rol@bestuur.example", groups: ["grp-andere", "grp-audit", "grp-privacy"] });

    const { res } = await signInThroughProvider(ctx, "sub-rol");

    expect(res.status).toBe(303);
    expect(userRow(ctx, user.id).role).toBe("privacy_officer");
    const [entry] = auditOf(ctx, user.id).filter((e) => e.summary.includes("single sign-on"));
    expect(entry?.summary).toContain("rol volgens de claim groups");
    expect(entry?.before).toEqual({ oidcSubject: null, role: "auditor" });
    expect(entry?.after).toEqual({ oidcSubject: "sub-rol", role: "privacy_officer" });
  });

  it("keeps the role the admin gave when none of the person's groups is mapped", async () => {
    app({ roleClaim: "groups", roleMap });
    const user = await makeUser(ctx.db, "privacy_officer", { email: "geen@bestuur.example" });
    accounts.set("sub-geen", { email: "geen@bestuur.example", groups: ["grp-andere"] });

    await signInThroughProvider(ctx, "sub-geen");

    expect(userRow(ctx, user.id).role).toBe("privacy_officer");
  });

  it("never demotes the last active admin", async () => {
    app({ roleClaim: "groups", roleMap });
    const admin = await makeUser(ctx.db, "admin", { email: "enige@bestuur.example" });
    accounts.set("sub-enige", { email: "enige@bestuur.example", groups: ["grp-audit"] });

    const { agent, res } = await signInThroughProvider(ctx, "sub-enige");

    expect(res.status).toBe(303);
    expect(await signedIn(agent)).toBe(true);
    expect(userRow(ctx, admin.id).role).toBe("admin");
  });

  it("demotes an admin by the groups when another active admin remains", async () => {
    app({ roleClaim: "groups", roleMap });
    await makeUser(ctx.db, "admin", { email: "blijft@bestuur.example" });
    const admin = await makeUser(ctx.db, "admin", { email: "gaat@bestuur.example" });
    accounts.set("sub-gaat", { email: "gaat@bestuur.example", groups: ["grp-audit"] });

    await signInThroughProvider(ctx, "sub-gaat");

    expect(userRow(ctx, admin.id).role).toBe("auditor");
  });

  it("gives a school user the register's schools of the BRIN in the school claim (Entree Federatie through a broker)", async () => {
    app({ schoolClaim: "brin" });
    const own = makeSchool(ctx.db, { brin: "12AB", location: "" });
    const ownBranch = makeSchool(ctx.db, { brin: "12AB", location: "01" });
    const other = makeSchool(ctx.db, { brin: "34CD", location: "" });
    const user = await makeUser(ctx.db, "school", { email: "juf@school.example", schoolIds: [other.id] });
    accounts.set("sub-juf", { email: "juf@school.example", brin: "12ab" });

    const { res } = await signInThroughProvider(ctx, "sub-juf");

    expect(res.status).toBe(303);
    const schoolIds = ctx.db.select().from(userSchools).where(eq(userSchools.userId, user.id)).all().map((r) => r.schoolId);
    expect(schoolIds.sort()).toEqual([own.id, ownBranch.id].sort());
    const [entry] = auditOf(ctx, user.id).filter((e) => e.summary.includes("single sign-on"));
    expect(entry?.summary).toContain("scholen volgens de claim brin");
    expect(entry?.before).toMatchObject({ schoolIds: [other.id] });
  });

  it("refuses a school user whose BRIN is not in the register, and changes nothing", async () => {
    app({ schoolClaim: "brin" });
    const school = makeSchool(ctx.db, { brin: "56EF", location: "" });
    const user = await makeUser(ctx.db, "school", { email: "meester@school.example", schoolIds: [school.id] });
    accounts.set("sub-meester", { email: "meester@school.example", brin: "99ZZ" });

    const { agent, res } = await signInThroughProvider(ctx, "sub-meester");

    expect(res.status).toBe(403);
    expect(res.text).toContain("Uw school (BRIN 99ZZ) staat niet in het IBP-register");
    expect(await signedIn(agent)).toBe(false);
    expect(userRow(ctx, user.id).oidcSubject).toBeNull();
    expect(ctx.db.select().from(userSchools).where(eq(userSchools.userId, user.id)).all().map((r) => r.schoolId)).toEqual([school.id]);
  });
});
