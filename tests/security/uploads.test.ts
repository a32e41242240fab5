// Upload abuse on the signed-agreement and DPIA uploads: wrong type, oversized, path-like names, and a PDF with
// a script or an action, also hidden behind #xx escapes in its names or inside a compressed object stream.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { documents } from "../../src/db/schema";
import { buildTestApp, loginAs, makeUser, type TestContext } from "../helpers/app";
import { makeApplication, makeSupplier } from "../helpers/factories";

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

/** The catalog's open action as an object inside a Flate-compressed object stream: no name of it is in the raw bytes. */
function withCompressedOpenAction(action: string, padding = 0): Buffer {
  const header = "4 0 ";
  const packed = deflateSync(Buffer.concat([Buffer.from(header + action, "latin1"), Buffer.alloc(padding, 32)]), { level: 9 });
  return Buffer.concat([
    Buffer.from("%PDF-1.5\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n", "latin1"),
    Buffer.from(`3 0 obj<</Type/ObjStm/N 1/First ${header.length}/Filter/FlateDecode/Length ${packed.length}>>stream\n`, "latin1"),
    packed,
    Buffer.from("\nendstream\nendobj\ntrailer<</Root 1 0 R/Size 5>>\n%%EOF\n", "latin1"),
  ]);
}

const withOpenAction = (action: string) => Buffer.from(PDF.replace("/Type/Catalog", `/Type/Catalog/OpenAction${action}`), "latin1");

const disguised: [string, Buffer][] = [
  ["/J#61vaScript and /#4A#53 for /JavaScript and /JS", withOpenAction("<</S/J#61vaScript/#4A#53(app.alert(1))>>")],
  ["lower-case escapes /J#61v#61Script and /#4a#53", withOpenAction("<</S/J#61v#61Script/#4a#53(app.alert(1))>>")],
  ["/Launc#68 for /Launch", withOpenAction("<</S/Launc#68/F(cmd.exe)>>")],
  ["a JavaScript action inside a compressed object stream", withCompressedOpenAction("<</S/JavaScript/JS(app.alert(1))>>")],
  ["a launch action inside a compressed object stream", withCompressedOpenAction("<</S/Launch/F(cmd.exe)>>")],
];

async function uploadDpiaReport(content: Buffer) {
  const app = makeApplication(ctx.db);
  const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
  const fields: Record<string, string> = { required: "ja", type: "eigen", status: "afgerond", performedOn: "2026-03-01", residualRisk: "laag", nextReviewOn: "2029-03-01" };
  let req = agent.post(`/applications/${app.id}/dpia`).field("_csrf", await token());
  for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
  return req.field("criteria", "grote_schaal").attach("document", content, { filename: "dpia.pdf", contentType: "application/pdf" });
}

describe.each([
  ["a signed agreement", (content: Buffer) => upload(content, "getekend.pdf")],
  ["a DPIA report", uploadDpiaReport],
])("%s", (_, send) => {
  it.each(disguised)("refuses a PDF with %s, keeping nothing", async (_name, content) => {
    const res = await send(content);
    expect(res.status).toBe(422);
    expect(res.text).toContain("Deze PDF bevat scripts");
    expect(ctx.db.select().from(documents).all()).toHaveLength(0);
  });

  it("refuses a PDF whose object stream inflates to 100 MB as not inspectable, keeping nothing", async () => {
    ctx.close();
    ctx = buildTestApp({ documentsDir: join(dir, "documents"), uploadMaxBytes: 256 * 1024 });
    const bomb = withCompressedOpenAction("[5 0 R/Fit]", 100 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(256 * 1024);
    const res = await send(bomb);
    expect(res.status).toBe(422);
    expect(res.text).toContain("Deze PDF kon niet worden gecontroleerd op scripts en acties");
    expect(ctx.db.select().from(documents).all()).toHaveLength(0);
  });

  it("accepts a plain PDF whose open action in a compressed object stream only goes to the first page", async () => {
    const res = await send(withCompressedOpenAction("[5 0 R/Fit]"));
    expect(res.status).toBe(303);
    expect(ctx.db.select().from(documents).all()).toHaveLength(1);
  });
});
