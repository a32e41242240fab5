// Upload abuse on the signed-agreement upload: wrong type, oversized, path-like names, and a PDF with a script.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { documents } from "../../src/db/schema";
import { buildTestApp, loginAs, makeUser, type TestContext } from "../helpers/app";
import { makeSupplier } from "../helpers/factories";

let ctx: TestContext;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ibp-upload-"));
  ctx = buildTestApp({ documentsDir: join(dir, "documents"), uploadMaxBytes: 4096 });
});
afterEach(() => {
  ctx.close();
  rmSync(dir, { recursive: true, force: true });
});

const PDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

async function upload(content: Buffer, fileName: string) {
  const supplier = makeSupplier(ctx.db);
  const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
  return agent
    .post("/agreements")
    .field("_csrf", await token("/agreements/new"))
    .field("reference", "VO-1")
    .field("supplierId", String(supplier.id))
    .field("model", "4.0")
    .field("status", "concept")
    .attach("document", content, { filename: fileName, contentType: "application/pdf" });
}

it("refuses a PDF with JavaScript, keeping nothing", async () => {
  const res = await upload(Buffer.from(PDF.replace("/Type/Catalog", "/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>")), "getekend.pdf");
  expect(res.status).toBe(422);
  expect(res.text).toContain("Deze PDF bevat scripts");
  expect(ctx.db.select().from(documents).all()).toHaveLength(0);
});

it("refuses a PDF with a launch action", async () => {
  const res = await upload(Buffer.from(PDF.replace("/Type/Catalog", "/Type/Catalog/OpenAction<</S/Launch/F(cmd.exe)>>")), "getekend.pdf");
  expect(res.status).toBe(422);
});

it("refuses a renamed executable and an oversized PDF", async () => {
  expect((await upload(Buffer.from("MZ\x90\x00 not a pdf"), "getekend.pdf")).status).toBe(422);
  const big = await upload(Buffer.from(PDF + " ".repeat(8192)), "groot.pdf");
  expect(big.status).toBe(422);
  expect(ctx.db.select().from(documents).all()).toHaveLength(0);
});

it("stores a path-like file name only as a name, never as a path", async () => {
  const res = await upload(Buffer.from(PDF), "../../../etc/passwd.pdf");
  expect([303, 422]).toContain(res.status);
  const stored = ctx.db.select().from(documents).all();
  expect(stored.every((d) => !d.originalName.includes("/") && !d.originalName.includes(".."))).toBe(true);
  expect(readdirSync(dir)).toEqual(["documents"]);
});
