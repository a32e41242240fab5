// Faults that must lose nothing and hide nothing (issue 17, item 8): a disk that takes fewer bytes than asked, and
// a stored value this version of the code does not know.
import fs from "node:fs";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateDatabase, openDatabase, type Connection } from "../src/db/client";
import { agreements, applications, auditLog, documents, suppliers } from "../src/db/schema";
import { storeDocument } from "../src/documents/documents.service";
import { ValidationError } from "../src/http/errors";
import "../src/http/validation";
import { labelOf, t } from "../src/i18n";
import { buildTestApp, decoded, loginAs, makeUser } from "./helpers/app";

const PDF = Buffer.from("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "latin1");
const actor = { id: null, label: "Test" };

let docsDir: string;
let connection: Connection;

beforeEach(() => {
  docsDir = mkdtempSync(join(tmpdir(), "ibp-faults-"));
  connection = openDatabase(":memory:");
  migrateDatabase(connection);
});
afterEach(() => {
  jest.restoreAllMocks();
  connection.close();
  rmSync(docsDir, { recursive: true, force: true });
});

const filesUnder = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());

describe("storing a signed PDF on a nearly full disk", () => {
  it("refuses with a Dutch message, records no document and leaves no temporary file when the disk takes no more bytes", () => {
    jest.spyOn(fs, "writeSync").mockImplementation(() => 0);
    expect(() => storeDocument(connection.db, docsDir, actor, { content: PDF, originalName: "vo.pdf" })).toThrow(ValidationError);
    expect(connection.db.select().from(documents).all()).toHaveLength(0);
    expect(filesUnder(docsDir)).toHaveLength(0);
  });

  it("refuses when the disk is full (ENOSPC) and leaves nothing behind", () => {
    jest.spyOn(fs, "writeSync").mockImplementation(() => {
      throw Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
    });
    expect(() => storeDocument(connection.db, docsDir, actor, { content: PDF, originalName: "vo.pdf" })).toThrow(ValidationError);
    expect(connection.db.select().from(documents).all()).toHaveLength(0);
    expect(filesUnder(docsDir)).toHaveLength(0);
  });

  it("stores the whole file when the disk takes it in small pieces, readable by its owner only", () => {
    const real = fs.writeSync;
    jest.spyOn(fs, "writeSync").mockImplementation(((fd: number, buffer: Buffer, offset: number, length: number) =>
      real(fd, buffer, offset, Math.min(length, 7))) as typeof fs.writeSync);
    storeDocument(connection.db, docsDir, actor, { content: PDF, originalName: "vo.pdf" });
    const [file] = filesUnder(docsDir);
    const stat = statSync(join(file!.parentPath, file!.name));
    expect(stat.size).toBe(PDF.length);
    expect(stat.mode & 0o777).toBe(0o600);
  });
});

describe("the database file", () => {
  it("is created readable by its owner only, with its -wal and -shm files and a new folder", () => {
    const path = join(docsDir, "nieuw", "ibp.sqlite");
    const created = openDatabase(path);
    try {
      created.sqlite.exec("create table t (x integer)");
      expect(statSync(join(docsDir, "nieuw")).mode & 0o777).toBe(0o700);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(`${path}-wal`).mode & 0o777).toBe(0o600);
      expect(statSync(`${path}-shm`).mode & 0o777).toBe(0o600);
    } finally {
      created.close();
    }
  });
});

describe("a stored value this version does not know", () => {
  it("shows as itself instead of failing the page", () => {
    expect(labelOf("lifecycles", "in_gebruik")).not.toBe("in_gebruik");
    expect(labelOf("lifecycles", "oude_fase")).toBe("oude_fase");
  });
});

describe("uploading a signed agreement on a nearly full disk", () => {
  it.each([
    ["takes no more bytes", () => 0],
    [
      "is full (ENOSPC)",
      () => {
        throw Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
      },
    ],
  ])("answers in Dutch that nothing is stored when the disk %s, stores nothing and leaves no temporary file", async (_, writeSync) => {
    const ctx = buildTestApp({ documentsDir: docsDir });
    try {
      const supplier = ctx.db.insert(suppliers).values({ name: "Topicus" }).returning().get();
      const app = ctx.db.insert(applications).values({ name: "Somtoday", supplierId: supplier.id }).returning().get();
      const { agent, token } = await loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));
      const csrf = await token("/agreements/new");
      const auditBefore = ctx.db.select().from(auditLog).all().length;

      const spy = jest.spyOn(fs, "writeSync").mockImplementation(writeSync as typeof fs.writeSync);
      const res = await agent
        .post("/agreements")
        .field("_csrf", csrf)
        .field("reference", "VO-2026-001")
        .field("supplierId", String(supplier.id))
        .field("model", "4.0")
        .field("status", "ondertekend")
        .field("signedOn", "2026-01-15")
        .field("applicationIds", String(app.id))
        .attach("document", PDF, { filename: "vo-topicus.pdf", contentType: "application/pdf" });
      spy.mockRestore();

      expect(res.status).toBe(422);
      const page = decoded(res.text);
      expect(page).toContain(t("documents.notStored"));
      expect(page).not.toContain("is opgeslagen");
      expect(page).toContain('value="VO-2026-001"');
      expect(ctx.db.select().from(agreements).all()).toHaveLength(0);
      expect(ctx.db.select().from(documents).all()).toHaveLength(0);
      expect(ctx.db.select().from(auditLog).all()).toHaveLength(auditBefore);
      expect(filesUnder(docsDir)).toHaveLength(0);
      // Nor does the next page say it was saved.
      expect(decoded((await agent.get("/agreements")).text)).not.toContain("is opgeslagen");
    } finally {
      ctx.close();
    }
  });
});

describe("an application whose stored values this version does not know", () => {
  it("shows the values as they are on its page, its edit form, the list and the dashboard, instead of a 500", async () => {
    const ctx = buildTestApp();
    try {
      const supplier = ctx.db.insert(suppliers).values({ name: "Oude Leverancier" }).returning().get();
      const app = ctx.db.insert(applications).values({ name: "Oude Applicatie", supplierId: supplier.id }).returning().get();
      // As an older version stored them: values the CHECK constraints of this version no longer allow.
      ctx.connection.sqlite.pragma("ignore_check_constraints = ON");
      ctx.connection.sqlite.prepare("update applications set lifecycle = 'uitfaseren_oud', data_in_eea = 0, transfer_mechanism = 'privacy_shield' where id = ?").run(app.id);
      ctx.connection.sqlite.prepare("update suppliers set covenant_status = 'aspirant' where id = ?").run(supplier.id);
      ctx.connection.sqlite.pragma("ignore_check_constraints = OFF");
      const { agent } = await loginAs(ctx.app, await makeUser(ctx.db, "privacy_officer"));

      const pages = {
        page: await agent.get(`/applications/${app.id}`),
        edit: await agent.get(`/applications/${app.id}/edit`),
        list: await agent.get("/applications"),
        supplier: await agent.get(`/suppliers/${supplier.id}`),
        dashboard: await agent.get("/"),
      };
      expect(Object.fromEntries(Object.entries(pages).map(([name, res]) => [name, res.status]))).toEqual({ page: 200, edit: 200, list: 200, supplier: 200, dashboard: 200 });
      expect(pages.page.text).toContain("uitfaseren_oud");
      expect(pages.page.text).toContain("privacy_shield");
      expect(pages.list.text).toContain("uitfaseren_oud");
      expect(pages.supplier.text).toContain("aspirant");
    } finally {
      ctx.close();
    }
  });
});
