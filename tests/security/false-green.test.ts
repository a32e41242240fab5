// No false green: an application is only "op orde" when the register holds the facts that make it so. Checked
// through the pages a privacy officer and an auditor read, against a control application that is green.
import { buildTestApp, loginAs, makeUser, PASSWORD, type TestContext } from "../helpers/app";
import { makeAgreement, makeApplication, makeClassification, makeSupplier, measuresInPlace, processes } from "../helpers/factories";

let ctx: TestContext;
let auditor: Awaited<ReturnType<typeof loginAs>>;
beforeAll(async () => {
  ctx = buildTestApp();
  const user = await makeUser(ctx.db, "auditor");
  auditor = await loginAs(ctx.app, { email: user.email, password: PASSWORD });
});
afterAll(() => ctx.close());

const today = new Date().toISOString().slice(0, 10);
const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`.replace("-02-29", "-02-28");

/** An application with a signed, current agreement, a classification and every measure in place. */
function inOrder(overrides: Parameters<typeof makeApplication>[1] = {}, categories = ["contact", "progress"]) {
  const supplier = makeSupplier(ctx.db);
  const app = makeApplication(ctx.db, { supplierId: supplier.id, ...overrides });
  processes(ctx.db, app.id, categories);
  makeAgreement(ctx.db, { supplierId: supplier.id, applicationIds: [app.id], categories: ["contact", "progress"], signedOn: today, startsOn: today });
  makeClassification(ctx.db, app.id, { assessedOn: today, nextReviewOn: nextYear });
  measuresInPlace(ctx.db, app.id);
  return app;
}

const statusOf = async (id: number) => {
  const res = await auditor.agent.get(`/applications/${id}`);
  expect(res.status).toBe(200);
  return res.text;
};

it("shows the control application, with its data and agreement recorded, as op orde", async () => {
  const html = await statusOf(inOrder().id);
  expect(html).toContain('<span class="status status--green">Op orde</span>');
});

it("shows an application that processes personal data with no data recorded as niet op orde, even under an agreement", async () => {
  const supplier = makeSupplier(ctx.db);
  const app = makeApplication(ctx.db, { supplierId: supplier.id });
  // An agreement that covers no category, and nothing recorded on the application: nothing is proven.
  makeAgreement(ctx.db, { supplierId: supplier.id, applicationIds: [app.id], categories: [], signedOn: today, startsOn: today });
  makeClassification(ctx.db, app.id, { assessedOn: today, nextReviewOn: nextYear });
  measuresInPlace(ctx.db, app.id);
  const html = await statusOf(app.id);
  expect(html).toContain('<span class="status status--red">Niet op orde</span>');
  expect(html).toContain("Geen persoonsgegevens vastgelegd");
});

it.each(["laag", "midden"] as const)(
  "shows data outside the EEA without a transfer mechanism as niet op orde at confidentiality %s",
  async (confidentiality) => {
    const app = inOrder({ dataInEea: false, transferMechanism: null });
    ctx.connection.sqlite.prepare("update classifications set confidentiality = ? where application_id = ?").run(confidentiality, app.id);
    const html = await statusOf(app.id);
    expect(html).toContain('<span class="status status--red">Niet op orde</span>');
    expect(html).toContain("buiten de EER, zonder doorgiftemechanisme");
  },
);
