import { eq } from "drizzle-orm";
import { auditLog, board } from "../src/db/schema";
import { buildTestApp, loginAs, makeUser, type TestContext } from "./helpers/app";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

async function admin() {
  return loginAs(ctx.app, await makeUser(ctx.db, "admin"));
}

describe("board settings", () => {
  it("saves the board's details, shows the new name in the header and records before and after", async () => {
    const { agent, token } = await admin();
    const res = await agent
      .post("/admin/board")
      .type("form")
      .send({ name: "Stichting Nieuw", kvk: "4123 4567", dpoName: "F. G. de Vries", dpoEmail: "fg@nieuw.example", version: 1, _csrf: await token() });
    expect(res.status).toBe(303);
    const saved = ctx.db.select().from(board).get()!;
    expect(saved).toMatchObject({ name: "Stichting Nieuw", kvk: "41234567", dpoEmail: "fg@nieuw.example", version: 2 });
    expect((await agent.get("/")).text).toContain("Stichting Nieuw");
    const entry = ctx.db.select().from(auditLog).where(eq(auditLog.entityType, "board")).get()!;
    expect(entry.before).toMatchObject({ name: "Stichting Testbestuur" });
    expect(entry.after).toMatchObject({ name: "Stichting Nieuw", kvk: "41234567" });
  });

  it("re-renders with 422, keeps the input and explains a KvK number that is not 8 digits", async () => {
    const { agent, token } = await admin();
    const res = await agent
      .post("/admin/board")
      .type("form")
      .send({ name: "", kvk: "1234", dpoName: "Iemand", dpoEmail: "geen-adres", version: 1, _csrf: await token() });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Een KvK-nummer bestaat uit 8 cijfers.");
    expect(res.text).toContain('id="name-error"');
    expect(res.text).toContain('id="dpoEmail-error"');
    expect(res.text).toContain('value="Iemand"');
    expect(res.text).toContain('value="1234"');
    expect(ctx.db.select().from(board).get()!.version).toBe(1);
  });

  it("answers a stale save with 409, keeps the input and shows the newer version", async () => {
    const first = await admin();
    const second = await admin();
    const secondToken = await second.token("/admin/board");
    expect((await first.agent.post("/admin/board").type("form").send({ name: "Versie van Eerste", version: 1, _csrf: await first.token() })).status).toBe(303);
    const stale = await second.agent.post("/admin/board").type("form").send({ name: "Versie van Tweede", version: 1, _csrf: secondToken });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain("Versie van Eerste");
    expect(stale.text).toContain('value="Versie van Tweede"');
    expect(stale.text).toContain('name="version" value="2"');
    expect(ctx.db.select().from(board).get()!.name).toBe("Versie van Eerste");
  });

  it("shows HTML typed into a field as text", async () => {
    const { agent, token } = await admin();
    await agent.post("/admin/board").type("form").send({ name: "<script>alert(1)</script>", version: 1, _csrf: await token() });
    const page = await agent.get("/");
    expect(page.text).not.toContain("<script>alert(1)</script>");
    expect(page.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});
