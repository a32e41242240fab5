import { mailOutbox } from "../src/db/schema";
import type { SmtpConfig } from "../src/config";
import { createMailer, deliverOutbox, MAX_ATTEMPTS, queueMail, retryDelayMs } from "../src/mail/mail.service";
import { buildTestApp, loginAs, makeUser, type TestContext } from "./helpers/app";
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

const smtp = (port: number, extra: Partial<SmtpConfig> = {}): SmtpConfig => ({ host: "127.0.0.1", port, secure: false, from: "IBP-register <register@bestuur.example>", ...extra });
const logger = () => ({ info: jest.fn(), error: jest.fn() });
const MINUTE = 60 * 1000;

async function server(options: Parameters<typeof startSmtpServer>[0] = {}) {
  const s = await startSmtpServer(options);
  servers.push(s);
  return s;
}

function queue(to = "privacy@bestuur.example", now = new Date()) {
  return queueMail(ctx.db, { to, subject: "IBP-register: 1 herinnering(en)", body: "Beste Eva,\n\nDe overeenkomst loopt af." }, now);
}

const row = (id: number) => ctx.db.select().from(mailOutbox).all().find((m) => m.id === id)!;

describe("the outbox and its sender", () => {
  it("delivers a queued mail through SMTP from the configured sender and marks it sent", async () => {
    const s = await server();
    const mail = queue();
    const mailer = createMailer(smtp(s.port));
    const result = await deliverOutbox(ctx.db, mailer, { logger: logger() });
    mailer.close();
    expect(result).toEqual({ sent: 1, failed: 0 });
    expect(s.messages).toHaveLength(1);
    expect(s.messages[0]).toMatchObject({ from: "register@bestuur.example", to: ["privacy@bestuur.example"], subject: "IBP-register: 1 herinnering(en)" });
    expect(s.messages[0]!.text).toContain("De overeenkomst loopt af.");
    expect(row(mail.id)).toMatchObject({ attempts: 0, lastError: null });
    expect(row(mail.id).sentAt).toBeInstanceOf(Date);
    // Delivered mail is not sent again.
    const again = createMailer(smtp(s.port));
    expect(await deliverOutbox(ctx.db, again, { logger: logger() })).toEqual({ sent: 0, failed: 0 });
    again.close();
    expect(s.messages).toHaveLength(1);
  });

  it("logs in to the SMTP server with the configured user and password", async () => {
    const s = await server({ auth: { user: "register", pass: "geheim-wachtwoord" } });
    queue();
    const mailer = createMailer(smtp(s.port, { user: "register", password: "geheim-wachtwoord" }));
    expect(await deliverOutbox(ctx.db, mailer, { logger: logger() })).toEqual({ sent: 1, failed: 0 });
    mailer.close();
    expect(s.logins).toEqual(["register"]);
  });

  it("keeps a mail that cannot be delivered, with its attempts, the error and a later next attempt, and logs it", async () => {
    const mail = queue();
    const now = new Date();
    const log = logger();
    const mailer = createMailer(smtp(await closedPort()));
    expect(await deliverOutbox(ctx.db, mailer, { now, logger: log })).toEqual({ sent: 0, failed: 1 });
    mailer.close();
    const kept = row(mail.id);
    expect(kept.sentAt).toBeNull();
    expect(kept.attempts).toBe(1);
    expect(kept.lastError).toMatch(/ECONNREFUSED/);
    expect(kept.nextAttemptAt.getTime()).toBe(now.getTime() + 5 * MINUTE);
    expect(log.error).toHaveBeenCalledWith(expect.stringContaining(`E-mail ${mail.id} aan privacy@bestuur.example niet verstuurd (poging 1 van ${MAX_ATTEMPTS}`));
  });

  it("retries a failed mail only when its next attempt is due, and then delivers it", async () => {
    const port = await closedPort();
    const mail = queue();
    const now = new Date();
    const down = createMailer(smtp(port));
    await deliverOutbox(ctx.db, down, { now, logger: logger() });
    down.close();
    const s = await server({ port });
    const up = createMailer(smtp(port));
    // Four minutes later the pause of five minutes has not passed: no attempt.
    expect(await deliverOutbox(ctx.db, up, { now: new Date(now.getTime() + 4 * MINUTE), logger: logger() })).toEqual({ sent: 0, failed: 0 });
    expect(row(mail.id).attempts).toBe(1);
    expect(await deliverOutbox(ctx.db, up, { now: new Date(now.getTime() + 5 * MINUTE), logger: logger() })).toEqual({ sent: 1, failed: 0 });
    up.close();
    expect(s.messages).toHaveLength(1);
    expect(row(mail.id)).toMatchObject({ attempts: 1, lastError: null });
    expect(row(mail.id).sentAt).not.toBeNull();
  });

  it("gives up after the last attempt and keeps the mail, shown as failed on the admin's outbox page", async () => {
    const mail = queue("school@bestuur.example");
    const mailer = createMailer(smtp(await closedPort()));
    let now = new Date();
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
      await deliverOutbox(ctx.db, mailer, { now, logger: logger() });
      now = new Date(now.getTime() + 25 * 60 * MINUTE);
    }
    mailer.close();
    expect(row(mail.id)).toMatchObject({ attempts: MAX_ATTEMPTS, sentAt: null });
    const admin = await loginAs(ctx.app, await makeUser(ctx.db, "admin"));
    const page = await admin.agent.get("/reminders/outbox");
    expect(page.status).toBe(200);
    expect(page.text).toContain("school@bestuur.example");
    expect(page.text).toContain("Mislukt (opgegeven)");
    expect(page.text).toContain("ECONNREFUSED");
    expect((await admin.agent.get("/reminders")).text).toContain(`1 e-mail(s) konden na ${MAX_ATTEMPTS} pogingen niet worden afgeleverd.`);
    const officer = await loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
    expect((await officer.agent.get("/reminders/outbox")).status).toBe(403);
  });

  it("delivers a mail once when two senders run at the same time", async () => {
    const s = await server();
    queue();
    const a = createMailer(smtp(s.port));
    const b = createMailer(smtp(s.port));
    const results = await Promise.all([deliverOutbox(ctx.db, a, { logger: logger() }), deliverOutbox(ctx.db, b, { logger: logger() })]);
    a.close();
    b.close();
    expect(results.map((r) => r.sent).sort()).toEqual([0, 1]);
    expect(s.messages).toHaveLength(1);
  });

  it("waits longer after each failure, at most a day", () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([5 * MINUTE, 10 * MINUTE, 20 * MINUTE, 40 * MINUTE]);
    expect(retryDelayMs(20)).toBe(24 * 60 * MINUTE);
  });
});
