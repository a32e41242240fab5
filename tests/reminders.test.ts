import { eq } from "drizzle-orm";
import type { Config } from "../src/config";
import { auditLog, breaches, intakeMessages, intakeRequests, mailOutbox, remindersSent, settings, users } from "../src/db/schema";
import { addDays, addMonths, todayIso } from "../src/lib/dates";
import { runDigestRound, startDigestJob } from "../src/reminders/reminders.digest";
import { buildTestApp, decoded, loginAs, makeSchool, makeUser, testConfig, type TestContext } from "./helpers/app";
import { makeAgreement, makeApplication, makeClassification } from "./helpers/factories";
import { closedPort, startSmtpServer } from "./helpers/smtp";

let ctx: TestContext;
let servers: { close: () => Promise<void> }[];
beforeEach(() => {
  ctx = buildTestApp();
  servers = [];
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  ctx.close();
});

const HOUR = 60 * 60 * 1000;
const today = () => todayIso();
const far = () => addDays(today(), 300);
const logger = () => ({ info: jest.fn(), error: jest.fn() });

async function officerPage(path = "/reminders") {
  const officer = await loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
  return decoded((await officer.agent.get(path)).text);
}

/** An application the rules apply to, classified and reviewed far ahead: it gives no reminder itself. */
const quietApp = (name: string, extra: Parameters<typeof makeApplication>[1] = {}) => {
  const app = makeApplication(ctx.db, { name, ...extra });
  makeClassification(ctx.db, app.id, { nextReviewOn: far() });
  return app;
};

function request(schoolId: number, values: Partial<typeof intakeRequests.$inferInsert> = {}) {
  return ctx.db
    .insert(intakeRequests)
    .values({ schoolId, applicationName: "Kahoot!", goal: "Quizzen", ...values })
    .returning()
    .get();
}

function breach(title: string, discoveredAt: Date, values: Partial<typeof breaches.$inferInsert> = {}) {
  return ctx.db.insert(breaches).values({ title, discoveredAt, ...values }).returning().get();
}

describe("the to-do list", () => {
  it("lists an agreement ending on the last day of the warning period, not one ending the day after", async () => {
    const inside = makeAgreement(ctx.db, { reference: "VO-BINNEN", endsOn: addDays(today(), 90), nextReviewOn: far() });
    makeAgreement(ctx.db, { reference: "VO-BUITEN", endsOn: addDays(today(), 91), nextReviewOn: far() });
    makeAgreement(ctx.db, { reference: "VO-CONCEPT", status: "concept", endsOn: addDays(today(), 10), nextReviewOn: far() });
    const replaced = makeAgreement(ctx.db, { reference: "VO-VERVANGEN", endsOn: addDays(today(), 20), nextReviewOn: far() });
    makeAgreement(ctx.db, { reference: "VO-OPVOLGER", supplierId: replaced.supplierId, supersedesId: replaced.id, nextReviewOn: far() });
    const html = await officerPage();
    expect(html).toContain(`Verwerkersovereenkomst VO-BINNEN (Leverancier`);
    expect(html).toContain("over 90 dag(en).");
    expect(html).toContain(`href="/agreements/${inside.id}"`);
    expect(html).not.toContain("VO-BUITEN");
    expect(html).not.toContain("VO-CONCEPT");
    expect(html).not.toContain("VO-VERVANGEN");
    // The warning period is the board's setting.
    ctx.db.insert(settings).values({ key: "agreementWarningDays", value: "91" }).run();
    expect(await officerPage()).toContain("VO-BUITEN");
  });

  it("lists agreement and classification reviews due today or earlier, not those due tomorrow", async () => {
    makeAgreement(ctx.db, { reference: "VO-VANDAAG", nextReviewOn: today() });
    makeAgreement(ctx.db, { reference: "VO-MORGEN", nextReviewOn: addDays(today(), 1) });
    // No review date set: due the review interval (12 months) after signing.
    makeAgreement(ctx.db, { reference: "VO-JAAR", signedOn: addMonths(today(), -12), startsOn: addMonths(today(), -12), nextReviewOn: null });
    makeAgreement(ctx.db, { reference: "VO-ELFMAANDEN", signedOn: addMonths(today(), -11), startsOn: addMonths(today(), -11), nextReviewOn: null });
    const due = makeApplication(ctx.db, { name: "Parnassys" });
    makeClassification(ctx.db, due.id, { nextReviewOn: addDays(today(), -1) });
    const notYet = makeApplication(ctx.db, { name: "Gynzy" });
    makeClassification(ctx.db, notYet.id, { nextReviewOn: addDays(today(), 1) });
    const html = await officerPage();
    expect(html).toContain("De herbeoordeling van verwerkersovereenkomst VO-VANDAAG");
    expect(html).toContain("De herbeoordeling van verwerkersovereenkomst VO-JAAR");
    expect(html).not.toContain("VO-MORGEN");
    expect(html).not.toContain("VO-ELFMAANDEN");
    expect(html).toContain("De herbeoordeling van de BIV-classificatie van Parnassys stond gepland op");
    expect(html).toContain(`href="/applications/${due.id}/classification"`);
    expect(html).not.toContain("Gynzy");
  });

  it("lists applications without a classification, but not retired ones or ones without personal data", async () => {
    makeApplication(ctx.db, { name: "Parnassys" });
    makeApplication(ctx.db, { name: "Oude Schoolbieb", lifecycle: "uitgefaseerd" });
    makeApplication(ctx.db, { name: "Roosterbord", processesPersonalData: false });
    const html = await officerPage();
    expect(html).toContain("Parnassys heeft nog geen BIV-classificatie.");
    expect(html).not.toContain("Oude Schoolbieb");
    expect(html).not.toContain("Roosterbord");
  });

  it("lists requests waiting for the privacy officer, and says when the school has answered", async () => {
    const school = makeSchool(ctx.db, { name: "De Regenboog" });
    const schoolUser = await makeUser(ctx.db, "school", { schoolIds: [school.id] });
    const waiting = request(school.id, { applicationName: "Kahoot!" });
    const answered = request(school.id, { applicationName: "Padlet", status: "in_beoordeling" });
    ctx.db.insert(intakeMessages).values({ requestId: answered.id, userId: schoolUser.id, actor: schoolUser.name, body: "Antwoord", at: new Date() }).run();
    request(school.id, { applicationName: "ClassDojo", status: "aanvulling_gevraagd" });
    request(school.id, { applicationName: "Quizlet", status: "goedgekeurd" });
    const html = await officerPage();
    expect(html).toContain("De aanvraag voor Kahoot! van De Regenboog wacht op beoordeling");
    expect(html).toContain(`href="/intake/${waiting.id}"`);
    expect(html).toContain("De Regenboog heeft de gevraagde aanvulling gestuurd op de aanvraag voor Padlet.");
    expect(html).not.toContain("ClassDojo");
    expect(html).not.toContain("Quizlet");
  });

  it("lists a breach open past the 72-hour mark while notifying is undecided, not one just inside it, notified or closed", async () => {
    const now = Date.now();
    const late = breach("Lijst in verkeerde mailbox", new Date(now - 72 * HOUR - 60_000));
    breach("Laptop gestolen", new Date(now - 72 * HOUR + 60_000));
    breach("Gemeld lek", new Date(now - 100 * HOUR), { regulatorNotified: "ja", regulatorNotifiedAt: new Date(now - 90 * HOUR) });
    breach("Afgesloten lek", new Date(now - 100 * HOUR), { closedAt: new Date(now - 10 * HOUR) });
    const html = await officerPage();
    expect(html).toContain("Datalek ‘Lijst in verkeerde mailbox’: de termijn van 72 uur voor een melding aan de Autoriteit Persoonsgegevens is verstreken");
    expect(html).toContain(`href="/breaches/${late.id}"`);
    expect(html).not.toContain("Laptop gestolen");
    expect(html).not.toContain("Gemeld lek");
    expect(html).not.toContain("Afgesloten lek");
  });

  it("shows a school user the questions on its own requests and its own school's red applications only", async () => {
    const own = makeSchool(ctx.db, { name: "De Regenboog" });
    const other = makeSchool(ctx.db, { name: "Het Kompas" });
    const question = request(own.id, { applicationName: "Kahoot!", status: "aanvulling_gevraagd" });
    request(other.id, { applicationName: "ClassDojo", status: "aanvulling_gevraagd" });
    request(own.id, { applicationName: "Padlet", status: "ingediend" });
    const red = makeApplication(ctx.db, { name: "Parnassys", schoolIds: [own.id] });
    makeApplication(ctx.db, { name: "Magister", schoolIds: [other.id] });
    makeApplication(ctx.db, { name: "Roosterbord", processesPersonalData: false, schoolIds: [own.id] });
    const school = await loginAs(ctx.app, await makeUser(ctx.db, "school", { schoolIds: [own.id] }));
    const html = decoded((await school.agent.get("/reminders")).text);
    expect(html).toContain("De privacy officer vraagt een aanvulling op uw aanvraag voor Kahoot!.");
    expect(html).toContain(`href="/intake/${question.id}"`);
    expect(html).toContain("Parnassys is niet op orde: Er is geen geldende, ondertekende verwerkersovereenkomst");
    expect(html).toContain(`href="/applications/${red.id}"`);
    for (const absent of ["ClassDojo", "Padlet", "Magister", "Roosterbord", "heeft nog geen BIV-classificatie"]) expect(html).not.toContain(absent);
  });

  it("shows an auditor a note instead of tasks", async () => {
    makeApplication(ctx.db, { name: "Parnassys" });
    const auditor = await loginAs(ctx.app, await makeUser(ctx.db, "auditor"));
    const html = decoded((await auditor.agent.get("/reminders")).text);
    expect(html).toContain("Als auditor heeft u geen taken in het register");
    expect(html).not.toContain("Parnassys");
  });

  it("lets a user choose the digest frequency on the to-do page and on the account page, audited, refusing a stale form", async () => {
    const user = await makeUser(ctx.db, "school", { schoolIds: [makeSchool(ctx.db).id] });
    const { agent, token } = await loginAs(ctx.app, user);
    const res = await agent.post("/reminders/frequency").type("form").send({ digestFrequency: "dagelijks", version: 1, back: "/reminders", _csrf: await token() });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/reminders");
    expect(ctx.db.select().from(users).where(eq(users.id, user.id)).get()).toMatchObject({ digestFrequency: "dagelijks", version: 2 });
    expect((await agent.get("/reminders")).text).toContain("U ontvangt de samenvatting voortaan: dagelijks.");
    const entry = ctx.db.select().from(auditLog).where(eq(auditLog.entityType, "user")).get()!;
    expect(entry).toMatchObject({ entityId: user.id, summary: "Samenvatting per e-mail: dagelijks" });
    expect(entry.after).not.toHaveProperty("passwordHash");

    const account = await agent.post("/reminders/frequency").type("form").send({ digestFrequency: "nooit", version: 2, back: "/account", _csrf: await token() });
    expect(account.headers.location).toBe("/account");
    expect((await agent.get("/account")).text).toContain('<option value="nooit" selected>Nooit</option>');

    const stale = await agent.post("/reminders/frequency").type("form").send({ digestFrequency: "wekelijks", version: 2, back: "https://elders.example", _csrf: await token() });
    expect(stale.headers.location).toBe("/reminders");
    expect((await agent.get("/reminders")).text).toContain("Iemand anders heeft deze gegevens gewijzigd");
    expect(ctx.db.select().from(users).where(eq(users.id, user.id)).get()!.digestFrequency).toBe("nooit");
  });
});

describe("the e-mail digest", () => {
  const PUBLIC = "https://ibp.bestuur.example";

  async function mailServer(port?: number) {
    const s = await startSmtpServer({ port });
    servers.push(s);
    return s;
  }
  const config = (port: number): Pick<Config, "smtp" | "publicUrl" | "digestIntervalMinutes"> => ({
    smtp: { host: "127.0.0.1", port, secure: false, from: "IBP-register <register@bestuur.example>" },
    publicUrl: PUBLIC,
    digestIntervalMinutes: 60,
  });
  const officer = async (frequency: "nooit" | "dagelijks" | "wekelijks" = "dagelijks") => {
    const user = await makeUser(ctx.db, "privacy_officer");
    ctx.db.update(users).set({ digestFrequency: frequency }).where(eq(users.id, user.id)).run();
    return user;
  };
  const lines = (text: string) => text.split(/\r?\n/).filter((l) => l.startsWith("- "));

  it("mails the privacy officer one digest naming exactly what is due, with links", async () => {
    const s = await mailServer();
    const user = await officer();
    await makeUser(ctx.db, "auditor");
    await makeUser(ctx.db, "school", { schoolIds: [makeSchool(ctx.db).id] });
    const ending = makeAgreement(ctx.db, { reference: "VO-BINNEN", endsOn: addDays(today(), 90), nextReviewOn: far() });
    makeAgreement(ctx.db, { reference: "VO-BUITEN", endsOn: addDays(today(), 91), nextReviewOn: far() });
    const unclassified = makeApplication(ctx.db, { name: "Parnassys" });
    quietApp("Gynzy");
    const late = breach("Lijst in verkeerde mailbox", new Date(Date.now() - 73 * HOUR));
    const result = await runDigestRound(ctx.db, config(s.port), { logger: logger() });
    expect(result).toEqual({ mailEnabled: true, queued: 1, sent: 1, failed: 0 });
    expect(s.messages).toHaveLength(1);
    const mail = s.messages[0]!;
    expect(mail.to).toEqual([user.email]);
    expect(mail.subject).toBe("IBP-register: 3 herinnering(en)");
    expect(mail.text).toContain(`Beste ${user.name},`);
    expect(lines(mail.text)).toEqual([
      expect.stringContaining("- Datalek ‘Lijst in verkeerde mailbox’"),
      expect.stringContaining("- Verwerkersovereenkomst VO-BINNEN"),
      "- Parnassys heeft nog geen BIV-classificatie.",
    ]);
    expect(mail.text).toContain(`${PUBLIC}/breaches/${late.id}`);
    expect(mail.text).toContain(`${PUBLIC}/agreements/${ending.id}`);
    expect(mail.text).toContain(`${PUBLIC}/applications/${unclassified.id}/classification`);
    expect(mail.text).not.toContain("VO-BUITEN");
    expect(mail.text).not.toContain("Gynzy");
    expect(ctx.db.select().from(remindersSent).all().map((r) => r.occasion).sort()).toEqual(
      [`agreement_expiring:${ending.id}:${addDays(today(), 90)}`, `breach_overdue:${late.id}`, `no_classification:${unclassified.id}`].sort(),
    );
  });

  it("sends each reminder once: a later round sends nothing new, and a new occasion comes in the next digest", async () => {
    const s = await mailServer();
    await officer("dagelijks");
    makeApplication(ctx.db, { name: "Parnassys" });
    const now = Date.now();
    await runDigestRound(ctx.db, config(s.port), { logger: logger(), now: new Date(now) });
    expect(s.messages).toHaveLength(1);
    // A day later nothing is new: no mail.
    expect(await runDigestRound(ctx.db, config(s.port), { logger: logger(), now: new Date(now + 25 * HOUR) })).toMatchObject({ queued: 0, sent: 0 });
    expect(s.messages).toHaveLength(1);
    makeApplication(ctx.db, { name: "Gynzy" });
    await runDigestRound(ctx.db, config(s.port), { logger: logger(), now: new Date(now + 50 * HOUR) });
    expect(s.messages).toHaveLength(2);
    expect(lines(s.messages[1]!.text)).toEqual(["- Gynzy heeft nog geen BIV-classificatie."]);
    expect(s.messages[1]!.subject).toBe("IBP-register: 1 herinnering(en)");
  });

  it("keeps a weekly digest until a week has passed", async () => {
    const s = await mailServer();
    await officer("wekelijks");
    makeApplication(ctx.db, { name: "Parnassys" });
    const now = Date.now();
    await runDigestRound(ctx.db, config(s.port), { logger: logger(), now: new Date(now) });
    makeApplication(ctx.db, { name: "Gynzy" });
    await runDigestRound(ctx.db, config(s.port), { logger: logger(), now: new Date(now + 3 * 24 * HOUR) });
    expect(s.messages).toHaveLength(1);
    await runDigestRound(ctx.db, config(s.port), { logger: logger(), now: new Date(now + 7 * 24 * HOUR) });
    expect(s.messages).toHaveLength(2);
    expect(lines(s.messages[1]!.text)).toEqual(["- Gynzy heeft nog geen BIV-classificatie."]);
  });

  it("sends nothing to a user who chose never", async () => {
    const s = await mailServer();
    await officer("nooit");
    makeApplication(ctx.db, { name: "Parnassys" });
    expect(await runDigestRound(ctx.db, config(s.port), { logger: logger() })).toMatchObject({ queued: 0, sent: 0 });
    expect(s.messages).toHaveLength(0);
    expect(ctx.db.select().from(mailOutbox).all()).toHaveLength(0);
    expect(ctx.db.select().from(remindersSent).all()).toHaveLength(0);
  });

  it("keeps the digest in the outbox when the mail server is down, and delivers it on a later round when it is up", async () => {
    const port = await closedPort();
    await officer();
    makeApplication(ctx.db, { name: "Parnassys" });
    const log = logger();
    const now = Date.now();
    expect(await runDigestRound(ctx.db, config(port), { logger: log, now: new Date(now) })).toEqual({ mailEnabled: true, queued: 1, sent: 0, failed: 1 });
    const kept = ctx.db.select().from(mailOutbox).get()!;
    expect(kept).toMatchObject({ attempts: 1, sentAt: null });
    expect(kept.lastError).toMatch(/ECONNREFUSED/);
    expect(log.error).toHaveBeenCalledWith(expect.stringContaining("niet verstuurd"));
    // The reminder counts as handed over: the next round does not queue it again.
    expect(ctx.db.select().from(remindersSent).get()!.mailId).toBe(kept.id);

    const s = await mailServer(port);
    expect(await runDigestRound(ctx.db, config(port), { logger: logger(), now: new Date(now + 10 * 60 * 1000) })).toEqual({ mailEnabled: true, queued: 0, sent: 1, failed: 0 });
    expect(s.messages).toHaveLength(1);
    expect(s.messages[0]!.text).toContain("Parnassys heeft nog geen BIV-classificatie.");
    expect(ctx.db.select().from(mailOutbox).get()!.sentAt).not.toBeNull();
  });

  it("does nothing, and fails nothing, when no SMTP server is configured", async () => {
    await officer();
    makeApplication(ctx.db, { name: "Parnassys" });
    const log = logger();
    expect(await runDigestRound(ctx.db, testConfig(), { logger: log })).toEqual({ mailEnabled: false, queued: 0, sent: 0, failed: 0 });
    expect(ctx.db.select().from(mailOutbox).all()).toHaveLength(0);
    expect(ctx.db.select().from(remindersSent).all()).toHaveLength(0);
    expect(log.error).not.toHaveBeenCalled();
    const job = startDigestJob(ctx.db, testConfig(), log, { firstRoundAfterMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await job.stop();
    expect(ctx.db.select().from(mailOutbox).all()).toHaveLength(0);
    // The pages say so, and still keep the user's choice.
    expect(await officerPage()).toContain("Het versturen van e-mail staat uit");
  });

  it("runs rounds as a scheduled job that stops cleanly", async () => {
    const s = await mailServer();
    await officer();
    makeApplication(ctx.db, { name: "Parnassys" });
    const job = startDigestJob(ctx.db, config(s.port), logger(), { firstRoundAfterMs: 0 });
    for (let i = 0; i < 100 && s.messages.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    await job.stop();
    expect(s.messages).toHaveLength(1);
  });
});
