// Frozen snapshots (vastgestelde rapportages): every report in every format, stored with its hash, served
// later byte for byte, and refused any change by the database itself.
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import type { Role } from "../src/db/enums";
import { auditLog, reportDownloads, snapshotFiles, snapshots, suppliers } from "../src/db/schema";
import { todayIso } from "../src/lib/dates";
import { snapshotHash } from "../src/reports/reports.service";
import { buildTestApp, csrfFrom, download, loginAs, makeSchool, makeUser, type TestContext } from "./helpers/app";
import { makeAgreement, makeApplication, makeSupplier, processes } from "./helpers/factories";
import { pdfText } from "./helpers/pdf";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

const login = async (role: Role, schoolIds?: number[]) => loginAs(ctx.app, await makeUser(ctx.db, role, { schoolIds }));
const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

function register() {
  const supplier = makeSupplier(ctx.db, { name: "Topicus" });
  const app = makeApplication(ctx.db, { name: "Leerlingvolgsysteem", supplierId: supplier.id });
  processes(ctx.db, app.id, ["contact"]);
  makeAgreement(ctx.db, { supplierId: supplier.id, applicationIds: [app.id], categories: ["contact"] });
  return { supplier, app };
}

async function freeze(title = "Jaarverantwoording 2026") {
  const officer = await login("privacy_officer");
  const res = await officer.agent.post("/reports/snapshots").type("form").send({ title, _csrf: await officer.token("/reports/snapshots") });
  return { officer, res, snapshot: ctx.db.select().from(snapshots).orderBy(snapshots.id).all().at(-1) };
}

describe("freezing a snapshot", () => {
  it("stores every report in XLSX, CSV and PDF with their hashes, and the snapshot's hash over them", async () => {
    register();
    const { res, snapshot } = await freeze();
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/reports/snapshots/${snapshot!.id}`);
    expect(snapshot).toMatchObject({ title: "Jaarverantwoording 2026", referenceDate: todayIso() });
    expect(snapshot!.actor).toMatch(/^privacy_officer \d+/);
    const files = ctx.db.select().from(snapshotFiles).where(eq(snapshotFiles.snapshotId, snapshot!.id)).orderBy(snapshotFiles.id).all();
    expect(files).toHaveLength(24);
    expect(new Set(files.map((f) => f.report)).size).toBe(8);
    expect(files.filter((f) => f.report === "applications").map((f) => [f.format, f.fileName])).toEqual([
      ["xlsx", `ibp-applicaties-${todayIso()}.xlsx`],
      ["csv", `ibp-applicaties-${todayIso()}.csv`],
      ["pdf", `ibp-applicaties-${todayIso()}.pdf`],
    ]);
    for (const file of files) {
      expect(file.sha256).toBe(sha(file.content));
      expect(file.sizeBytes).toBe(file.content.length);
    }
    expect(snapshot!.sha256).toBe(snapshotHash(files.map((f) => f.sha256)));
    expect(snapshot!.sha256).toBe(sha(Buffer.from(files.map((f) => `${f.sha256}\n`).join(""))));
  });

  it("records the freezing in the change history", async () => {
    register();
    const { snapshot } = await freeze();
    const entry = ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "snapshot"), eq(auditLog.entityId, snapshot!.id))).get()!;
    expect(entry.summary).toBe("Rapportage ‘Jaarverantwoording 2026’ vastgesteld (24 bestanden)");
    expect(entry.after).toMatchObject({ sha256: snapshot!.sha256 });
  });

  it("names the snapshot in its files", async () => {
    register();
    const { snapshot } = await freeze();
    const pdf = ctx.db.select().from(snapshotFiles).where(and(eq(snapshotFiles.snapshotId, snapshot!.id), eq(snapshotFiles.report, "applications"), eq(snapshotFiles.format, "pdf"))).get()!;
    expect(pdfText(pdf.content).text.replace(/\s+/g, " ")).toContain("Vastgestelde rapportage: Jaarverantwoording 2026");
  });

  it("re-renders with 422 and a Dutch message when the title is missing", async () => {
    const officer = await login("privacy_officer");
    const res = await officer.agent.post("/reports/snapshots").type("form").send({ title: " ", _csrf: await officer.token("/reports/snapshots") });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Vul dit veld in.");
    expect(ctx.db.select().from(snapshots).all()).toHaveLength(0);
  });
});

describe("a frozen snapshot", () => {
  it("serves the same bytes after the register changed, and records each download with the snapshot", async () => {
    const { supplier } = register();
    const { snapshot } = await freeze();
    const auditor = await login("auditor");
    const page = await auditor.agent.get(`/reports/snapshots/${snapshot!.id}`);
    expect(page.status).toBe(200);
    const file = ctx.db.select().from(snapshotFiles).where(and(eq(snapshotFiles.snapshotId, snapshot!.id), eq(snapshotFiles.report, "applications"), eq(snapshotFiles.format, "xlsx"))).get()!;
    expect(page.text).toContain(`/reports/snapshots/${snapshot!.id}/files/${file.id}`);
    const url = `/reports/snapshots/${snapshot!.id}/files/${file.id}`;
    const before = await download(auditor.agent, url);

    ctx.db.update(suppliers).set({ name: "Topicus Onderwijs" }).where(eq(suppliers.id, supplier.id)).run();
    makeApplication(ctx.db, { name: "Nieuwe applicatie" });
    const live = await download(auditor.agent, "/reports/applications/download?format=xlsx");
    const after = await download(auditor.agent, url);

    expect(after.status).toBe(200);
    expect(after.body.equals(before.body)).toBe(true);
    expect(after.body.equals(file.content)).toBe(true);
    expect(after.headers["x-content-sha256"]).toBe(file.sha256);
    expect(after.headers["x-snapshot-sha256"]).toBe(snapshot!.sha256);
    expect(after.headers["content-disposition"]).toBe(`attachment; filename="${file.fileName}"`);
    expect(live.body.equals(after.body)).toBe(false);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(after.body as unknown as ArrayBuffer);
    const names: unknown[] = [];
    wb.getWorksheet("Applicaties")!.eachRow((row, n) => n > 1 && names.push(row.getCell(1).value));
    expect(names).toEqual(["Leerlingvolgsysteem"]);

    const logged = ctx.db.select().from(reportDownloads).where(eq(reportDownloads.snapshotId, snapshot!.id)).all();
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({ report: "applications", format: "xlsx", sha256: file.sha256, sizeBytes: file.content.length, referenceDate: snapshot!.referenceDate });
  });

  it("cannot be changed or deleted with SQL: the database refuses it", async () => {
    register();
    const { snapshot } = await freeze();
    const sql = ctx.connection.sqlite;
    const refused = /Een vastgestelde rapportage kan niet worden gewijzigd of verwijderd/;
    expect(() => sql.prepare("update snapshots set title = 'Anders' where id = ?").run(snapshot!.id)).toThrow(refused);
    expect(() => sql.prepare("delete from snapshots where id = ?").run(snapshot!.id)).toThrow(refused);
    expect(() => sql.prepare("update snapshot_files set content = x'00' where snapshot_id = ?").run(snapshot!.id)).toThrow(refused);
    expect(() => sql.prepare("delete from snapshot_files where snapshot_id = ?").run(snapshot!.id)).toThrow(refused);
    expect(ctx.db.select().from(snapshots).get()!.title).toBe("Jaarverantwoording 2026");
    expect(ctx.db.select().from(snapshotFiles).all()).toHaveLength(24);
  });

  it("has no route that changes or deletes it", async () => {
    register();
    const { officer, snapshot } = await freeze();
    const token = csrfFrom((await officer.agent.get("/reports/snapshots")).text);
    for (const path of [`/reports/snapshots/${snapshot!.id}`, `/reports/snapshots/${snapshot!.id}/delete`]) {
      expect((await officer.agent.post(path).type("form").send({ title: "Anders", _csrf: token })).status).toBe(404);
    }
    expect(ctx.db.select().from(snapshots).get()!.title).toBe("Jaarverantwoording 2026");
  });

  it("answers 404 for a file of another snapshot and for an unknown snapshot", async () => {
    register();
    const { snapshot } = await freeze("Eerste");
    const { snapshot: second } = await freeze("Tweede");
    const otherFile = ctx.db.select().from(snapshotFiles).where(eq(snapshotFiles.snapshotId, second!.id)).get()!;
    const auditor = await login("auditor");
    expect((await auditor.agent.get(`/reports/snapshots/${snapshot!.id}/files/${otherFile.id}`)).status).toBe(404);
    expect((await auditor.agent.get("/reports/snapshots/9999")).status).toBe(404);
    expect(ctx.db.select().from(reportDownloads).all()).toHaveLength(0);
  });
});

describe("access to snapshots", () => {
  it("lets an auditor list and open snapshots but not freeze one", async () => {
    register();
    await freeze();
    const auditor = await login("auditor");
    const list = await auditor.agent.get("/reports/snapshots");
    expect(list.status).toBe(200);
    expect(list.text).toContain("Jaarverantwoording 2026");
    expect(list.text).not.toContain('action="/reports/snapshots"');
    const res = await auditor.agent.post("/reports/snapshots").type("form").send({ title: "Stiekem", _csrf: await auditor.token("/reports/snapshots") });
    expect(res.status).toBe(403);
    expect(ctx.db.select().from(snapshots).all()).toHaveLength(1);
  });

  it("lets an admin freeze a snapshot", async () => {
    const admin = await login("admin");
    const res = await admin.agent.post("/reports/snapshots").type("form").send({ title: "Tussenstand", _csrf: await admin.token("/reports/snapshots") });
    expect(res.status).toBe(303);
  });

  it("refuses a school user the snapshots and their files", async () => {
    register();
    const { snapshot } = await freeze();
    const file = ctx.db.select().from(snapshotFiles).get()!;
    const school = await login("school", [makeSchool(ctx.db).id]);
    expect((await school.agent.get("/reports/snapshots")).status).toBe(403);
    expect((await school.agent.get(`/reports/snapshots/${snapshot!.id}`)).status).toBe(403);
    expect((await school.agent.get(`/reports/snapshots/${snapshot!.id}/files/${file.id}`)).status).toBe(403);
  });
});
