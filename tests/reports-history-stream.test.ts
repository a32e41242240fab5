// A long change history downloaded as CSV and XLSX: read from the database a batch at a time and written as it
// is read (src/reports), the file still holds every entry once, in order, and its hashes match its provenance,
// the response headers and the download log, also when changes are made while it is being written.
import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
import { desc } from "drizzle-orm";
import ExcelJS from "exceljs";
import type { Response } from "supertest";
import { reportDownloads } from "../src/db/schema";
import { buildTestApp, download, loginAs, makeUser, type TestContext } from "./helpers/app";

let ctx: TestContext;
beforeEach(() => {
  ctx = buildTestApp();
});
afterEach(() => ctx.close());

const ENTRIES = 20_000;
const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** ENTRIES audit entries, straight into the table, with a before and after as recordChange stores them. */
function longHistory(): number[] {
  const insert = ctx.connection.sqlite.prepare(
    "insert into audit_log (at, actor, action, entity_type, entity_id, summary, before, after, hash) values (?, 'Import', 'update', 'school', ?, ?, ?, ?, ?)",
  );
  ctx.connection.sqlite.transaction(() => {
    for (let i = 1; i <= ENTRIES; i += 1) {
      insert.run(Date.UTC(2026, 0, 1) + i * 1000, i, `Wijziging ${i}`, JSON.stringify({ name: `School ${i}` }), JSON.stringify({ name: `School ${i}b` }), sha(Buffer.from(String(i))));
    }
  })();
  return (ctx.connection.sqlite.prepare("select id from audit_log order by id").pluck().all() as number[]);
}

/** The file's hash is in its header and in the download log, and its size is what was sent. */
function expectHashedAndLogged(res: Response & { body: Buffer }) {
  expect(res.status).toBe(200);
  expect(res.headers["x-content-sha256"]).toBe(sha(res.body));
  expect(Number(res.headers["content-length"])).toBe(res.body.length);
  const logged = ctx.db.select().from(reportDownloads).orderBy(desc(reportDownloads.id)).get()!;
  expect(logged).toMatchObject({ report: "history", format: res.headers["content-type"]!.includes("csv") ? "csv" : "xlsx", sha256: sha(res.body), sizeBytes: res.body.length });
}

describe("a change history of 20,000 entries", () => {
  it("comes whole and in order in a CSV whose hash is the one in its header and in the download log", async () => {
    const ids = longHistory();
    const { agent } = await loginAs(ctx.app, await makeUser(ctx.db, "auditor"));
    const res = await download(agent, "/reports/history/download?format=csv");
    expectHashedAndLogged(res);
    const [header, ...rows] = parse(res.body.toString("utf8"), { delimiter: ";", bom: true }) as string[][];
    expect(header![0]).toBe("Nr.");
    expect(rows.map((r) => Number(r[0]))).toEqual(ids);
    expect(rows.at(-1)![6]).toBe(`Wijziging ${ENTRIES}`);
    expect(rows.at(-1)![7]).toBe(`Naam: School ${ENTRIES} → School ${ENTRIES}b`);
  }, 60_000);

  it("comes whole in an XLSX whose provenance states its row count and content hash, the same as the CSV's", async () => {
    const ids = longHistory();
    const { agent } = await loginAs(ctx.app, await makeUser(ctx.db, "auditor"));
    const res = await download(agent, "/reports/history/download?format=xlsx");
    expectHashedAndLogged(res);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    const numbers: unknown[] = [];
    wb.getWorksheet("Wijzigingen")!.eachRow((row, n) => n > 1 && numbers.push(row.getCell(1).value));
    expect(numbers).toEqual(ids);
    const provenance: unknown[] = [];
    wb.getWorksheet("Verantwoording")!.eachRow((row) => provenance.push(row.getCell(2).value));
    const contentHash = res.headers["x-report-content-sha256"];
    expect(provenance).toContain(contentHash);
    expect(provenance).toContain(`Wijzigingen: ${ENTRIES} rijen`);
    const csv = await download(agent, "/reports/history/download?format=csv");
    expect(csv.headers["x-report-content-sha256"]).toBe(contentHash);
  }, 60_000);

  it("holds the rows its provenance states when a change is made while the file is being written", async () => {
    const ids = longHistory();
    const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "admin"));
    const csrf = await token();
    // Sent together: the change is made between two batches of the download (or before it starts); the history
    // is fixed at its newest entry when the report is made, so both passes (count and hash, then write) agree.
    const [res, change] = await Promise.all([
      download(agent, "/reports/history/download?format=xlsx"),
      agent.post("/suppliers").type("form").send({ name: "Heutink", covenantStatus: "geen", _csrf: csrf }),
    ]);
    expect(change.status).toBe(303);
    expectHashedAndLogged(res);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    const numbers: unknown[] = [];
    wb.getWorksheet("Wijzigingen")!.eachRow((row, n) => n > 1 && numbers.push(row.getCell(1).value));
    const provenance: unknown[] = [];
    wb.getWorksheet("Verantwoording")!.eachRow((row) => provenance.push(row.getCell(2).value));
    expect(provenance).toContain(`Wijzigingen: ${numbers.length} rijen`);
    expect(numbers.slice(0, ENTRIES)).toEqual(ids);
  }, 60_000);
});
