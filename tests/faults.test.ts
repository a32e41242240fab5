// Faults that must lose nothing and hide nothing (issue 17, item 8): a disk that takes fewer bytes than asked.
import fs from "node:fs";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateDatabase, openDatabase, type Connection } from "../src/db/client";
import { documents } from "../src/db/schema";
import { storeDocument } from "../src/documents/documents.service";
import { ValidationError } from "../src/http/errors";
import "../src/http/validation";
import { labelOf } from "../src/i18n";

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
