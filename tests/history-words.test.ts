// The history in words for every kind of record (issue 16, item 3): each record type the code writes to the
// history has a Dutch label and a Dutch name for each of its fields, and the history pages show those names and
// moments in Amsterdam time, never the raw field names or UTC.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { and, desc, eq, getTableColumns } from "drizzle-orm";
import { actorOf } from "../src/audit/audit.service";
import { RECORD_TYPES } from "../src/audit/audit.records";
import { fieldNameOf, isHiddenField } from "../src/audit/audit.words";
import { getSignInSettings, signInSettingsVersion, updateSignInSettings } from "../src/auth/sign-in-settings";
import { auditLog, breaches, dpias, intakeRequests, retentionRules, users } from "../src/db/schema";
import { seedDemoBoard } from "../src/demo/demo-board";
import { nl } from "../src/i18n";
import { dutchDateTime } from "../src/lib/amsterdam";
import { getSettings, settingsVersion, updateSettings } from "../src/settings/settings.service";
import { setActive } from "../src/users/users.service";
import { buildTestApp, decoded, loginAs, makeUser, type TestContext } from "./helpers/app";
import { categoryId } from "./helpers/factories";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

/** Every record type the code writes to the history, read from the source: `entityType: "x"`, `ENTITY = "x"`, the demo's `log(tx, "x"`. */
function recordTypesInSource(): Set<string> {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? files(full) : full.endsWith(".ts") ? [full] : [];
    });
  const found = new Set<string>();
  const patterns = [/entityType:\s*"([a-z_]+)"/g, /\bENTITY\s*=\s*"([a-z_]+)"/g, /\blog\(tx,\s*"([a-z_]+)"/g, /entityType,\s*"([a-z_]+)"/g];
  for (const file of files(join(__dirname, "..", "src"))) {
    const source = readFileSync(file, "utf8");
    for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.add(match[1]!);
  }
  return found;
}

describe("every record type the code writes to the history", () => {
  it("has a Dutch label and an entry in the registry of record types", () => {
    const types = recordTypesInSource();
    // The scan finds what it should: these are written in very different ways.
    for (const known of ["breach", "dpia", "retention_rule", "intake_request", "user", "settings", "api_token", "import", "backup", "snapshot"]) {
      expect(types).toContain(known);
    }
    const unlabelled = [...types].filter((type) => !nl.audit.recordTypes[type] || !RECORD_TYPES[type]);
    expect(unlabelled).toEqual([]);
  });

  it("has a Dutch name for every field of its table that the history can show", () => {
    const raw: string[] = [];
    for (const type of recordTypesInSource()) {
      const table = RECORD_TYPES[type]?.table;
      if (!table) continue;
      for (const field of Object.keys(getTableColumns(table))) {
        if (!isHiddenField(field) && fieldNameOf(type, field) === field) raw.push(`${type}.${field}`);
      }
    }
    expect(raw).toEqual([]);
  });

  it("has a Dutch name for every setting, the sign-in settings included", () => {
    const keys = [...Object.keys(getSettings(ctx.db)), ...Object.keys(getSignInSettings(ctx.db))];
    expect(keys.filter((key) => fieldNameOf("settings", key) === key)).toEqual([]);
  });

  it("names every field of every entry the demo board writes, whatever its record type", async () => {
    await seedDemoBoard(ctx.db, { now: new Date(), hashPassword: async () => "x" });
    const raw = new Set<string>();
    for (const entry of ctx.db.select().from(auditLog).all()) {
      for (const field of Object.keys({ ...entry.before, ...entry.after })) {
        if (!isHiddenField(field) && fieldNameOf(entry.entityType, field) === field) raw.add(`${entry.entityType}.${field}`);
      }
    }
    expect([...raw]).toEqual([]);
  });
});

describe("the history pages, in Dutch words and Amsterdam time", () => {
  /** The field names a history table shows, and the moments in its first column. */
  const shown = (html: string) => ({
    fields: [...decoded(html).matchAll(/<span class="changes__field">([^<]*)<\/span>/g)].map((m) => m[1]!),
    moments: [...decoded(html).matchAll(/<tr>\s*<td>(\d{2}-\d{2}-\d{4} \d{2}:\d{2})<\/td>/g)].map((m) => m[1]!),
  });
  const utcText = (at: Date) => at.toISOString().replace(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2}).*$/, "$3-$2-$1 $4");

  /** Checks one page against the newest entries of one record: Dutch names for its fields, its moments in Amsterdam time. */
  async function expectInWords(agent: { get(url: string): PromiseLike<{ status: number; text: string }> }, url: string, type: string, id: number | null) {
    const entries = ctx.db
      .select()
      .from(auditLog)
      .where(id === null ? eq(auditLog.entityType, type) : and(eq(auditLog.entityType, type), eq(auditLog.entityId, id)))
      .orderBy(desc(auditLog.id))
      .all();
    expect(entries.length).toBeGreaterThan(0);
    const res = await agent.get(url);
    expect(res.status).toBe(200);
    const { fields, moments } = shown(res.text);
    const rawKeys = new Set(entries.flatMap((e) => Object.keys({ ...e.before, ...e.after })));
    expect(fields.length).toBeGreaterThan(0);
    expect(moments.length).toBeGreaterThan(0);
    expect(fields.filter((name) => rawKeys.has(name))).toEqual([]);
    expect(moments.slice(0, entries.length)).toEqual(entries.slice(0, moments.length).map((e) => dutchDateTime(e.at)));
    expect(moments).not.toContain(utcText(entries[0]!.at));
    return decoded(res.text);
  }

  it("shows a breach's, a DPIA's, a retention rule's, an intake request's, a user's and the settings' changes in Dutch, at Amsterdam times", async () => {
    await seedDemoBoard(ctx.db, { now: new Date(), hashPassword: async () => "x" });
    const admin = await makeUser(ctx.db, "admin");
    const { agent, token } = await loginAs(ctx.app, admin);

    // A breach recorded and edited through its form: its moments typed in Dutch time come back in Dutch time
    // (03:15 on the day summer time starts is 01:15 UTC).
    const breachForm = {
      title: "Cijferlijsten naar verkeerde ouders gemaild",
      applicationId: "",
      discoveredAt: "2026-03-29T03:15",
      discoveredBy: "Leerkracht groep 8",
      affectsConfidentiality: "on",
      dataCategoryIds: [String(categoryId(ctx.db, "contact"))],
      peopleCount: "31",
      risk: "risico",
      regulatorNotified: "ja",
      regulatorNotifiedAt: "2026-03-30T10:00",
      regulatorReasoning: "Cijfers van minderjarigen bij onbevoegden.",
      subjectsNotified: "nee",
      subjectsReasoning: "Geen hoog risico.",
    };
    expect((await agent.post("/breaches").type("form").send({ ...breachForm, _csrf: await token() })).status).toBe(303);
    const breach = ctx.db.select().from(breaches).orderBy(desc(breaches.id)).get()!;
    const saved = await agent
      .post(`/breaches/${breach.id}`)
      .type("form")
      .send({ ...breachForm, closedAt: "2026-10-25T02:30", version: breach.version, _csrf: await token() });
    expect(saved.status).toBe(303);
    const breachPage = await expectInWords(agent, `/breaches/${breach.id}`, "breach", breach.id);
    expect(breachPage).toContain(`${fieldNameOf("breach", "closedAt")}</span>:`);
    expect(breachPage).toContain(`${fieldNameOf("breach", "discoveredAt")}</span>: 29-03-2026 03:15`);
    // The hour that happens twice: its first occurrence, shown as typed.
    expect(breachPage).toMatch(/<ins>25-10-2026 02:30<\/ins>/);

    const dpia = ctx.db.select().from(dpias).get()!;
    await expectInWords(agent, `/applications/${dpia.applicationId}/dpia`, "dpia", dpia.id);

    const rule = ctx.db.select().from(retentionRules).get()!;
    const ruleSaved = await agent
      .post(`/retention/${rule.id}`)
      .type("form")
      .send({ dataCategoryId: String(rule.dataCategoryId ?? ""), recordType: rule.recordType, termText: "Maximaal 7 jaar", termMonths: "84", trigger: rule.trigger, action: rule.action, source: rule.source ?? "", version: rule.version, _csrf: await token() });
    expect(ruleSaved.status).toBe(303);
    const rulePage = await expectInWords(agent, `/retention/${rule.id}`, "retention_rule", rule.id);
    expect(rulePage).toContain(`${fieldNameOf("retention_rule", "termMonths")}</span>:`);

    const intake = ctx.db.select().from(intakeRequests).get()!;
    await expectInWords(agent, `/intake/${intake.id}`, "intake_request", intake.id);

    const person = ctx.db.select().from(users).where(eq(users.role, "school")).get()!;
    setActive(ctx.db, actorOf(admin), person.id, person.version, false);
    const userPage = await expectInWords(agent, `/admin/users/${person.id}`, "user", person.id);
    expect(userPage).toContain(`${fieldNameOf("user", "disabledAt")}</span>:`);

    updateSettings(ctx.db, actorOf(admin), { ...getSettings(ctx.db), agreementWarningDays: 60, version: settingsVersion(ctx.db) });
    const signIn = getSignInSettings(ctx.db);
    updateSignInSettings(ctx.db, actorOf(admin), { ...signIn, twoFactorRoles: ["auditor"], passwordRoles: ["admin", "privacy_officer"], version: signInSettingsVersion(ctx.db) }, { ssoConfigured: true });
    const settingsPage = await expectInWords(agent, "/audit?type=settings", "settings", null);
    expect(settingsPage).toContain(`${fieldNameOf("settings", "agreementWarningDays")}</span>:`);
  }, 60_000);
});
