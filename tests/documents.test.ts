// The document store on its own (src/documents/documents.service.ts): content-addressed files outside the
// web root, sanitised names, the hash check on every read. The HTTP side is in agreements.test.ts.
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { eq } from "drizzle-orm";
import { migrateDatabase, openDatabase, type Connection } from "../src/db/client";
import { auditLog, documents } from "../src/db/schema";
import {
  contentDisposition,
  documentPath,
  DocumentIntegrityError,
  findActiveContent,
  formatBytes,
  isPdf,
  readDocument,
  sanitiseFileName,
  storeDocument,
} from "../src/documents/documents.service";
import { ValidationError } from "../src/http/errors";
import "../src/http/validation";

const PDF = Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "latin1");
const sha256 = (content: Buffer) => createHash("sha256").update(content).digest("hex");
const actor = { id: null, label: "Test" };

let root: string;
let docsDir: string;
let connection: Connection;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "ibp-documents-"));
});
beforeEach(() => {
  docsDir = mkdtempSync(join(root, "docs-"));
  connection = openDatabase(":memory:");
  migrateDatabase(connection);
});
afterEach(() => connection.close());
afterAll(() => rmSync(root, { recursive: true, force: true }));

const filesUnder = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();

describe("sanitiseFileName", () => {
  it.each([
    ["../../etc/passwd.pdf", "passwd.pdf"],
    ["..\\..\\x.pdf", "x.pdf"],
    ["C:\\Users\\jan\\VO 2025.pdf", "VO 2025.pdf"],
    ["contract\u0000.pdf", "contract.pdf"],
    ["regel\r\neen.pdf", "regeleen.pdf"],
    ["factuur\u202Efdp.exe", "factuurfdp.exe"],
    ["..", "document.pdf"],
    ["", "document.pdf"],
    [undefined, "document.pdf"],
    [".verborgen.pdf", "verborgen.pdf"],
    ["Overeenkomst – Ölçü.pdf", "Overeenkomst – Ölçü.pdf"],
  ])("turns %j into %j", (input, expected) => {
    expect(sanitiseFileName(input)).toBe(expected);
  });

  it("cuts a long name to 200 characters and keeps the extension", () => {
    const name = sanitiseFileName(`${"a".repeat(300)}.pdf`);
    expect(name).toHaveLength(200);
    expect(name.endsWith(".pdf")).toBe(true);
  });
});

describe("isPdf", () => {
  it("looks at the bytes, not the name", () => {
    expect(isPdf(PDF)).toBe(true);
    expect(isPdf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(false);
    expect(isPdf(Buffer.from("  %PDF-1.4"))).toBe(false);
    expect(isPdf(Buffer.from("%PDF-"))).toBe(false);
    expect(isPdf(Buffer.alloc(0))).toBe(false);
  });
});

describe("storeDocument", () => {
  it("writes the file at <first two hex>/<sha256>, records it with its audit entry and leaves no temporary file", () => {
    const row = storeDocument(connection.db, docsDir, actor, { content: PDF, originalName: "getekend.pdf" });
    const hash = sha256(PDF);
    expect(row).toMatchObject({ sha256: hash, originalName: "getekend.pdf", mimeType: "application/pdf", sizeBytes: PDF.length, uploadedBy: null });
    expect(filesUnder(docsDir)).toEqual([join(hash.slice(0, 2), hash)]);
    expect(readFileSync(join(docsDir, hash.slice(0, 2), hash)).equals(PDF)).toBe(true);
    const entry = connection.db.select().from(auditLog).where(eq(auditLog.entityType, "document")).get()!;
    expect(entry).toMatchObject({ action: "create", entityId: row.id });
  });

  it("keeps one file for two uploads of the same bytes, with a row for each", () => {
    const a = storeDocument(connection.db, docsDir, actor, { content: PDF, originalName: "a.pdf" });
    const b = storeDocument(connection.db, docsDir, actor, { content: PDF, originalName: "b.pdf" });
    expect(a.id).not.toBe(b.id);
    expect(a.sha256).toBe(b.sha256);
    expect(filesUnder(docsDir)).toHaveLength(1);
  });

  it("replaces a stored file that no longer matches its hash when the same bytes are uploaded again", () => {
    const row = storeDocument(connection.db, docsDir, actor, { content: PDF, originalName: "a.pdf" });
    const path = documentPath(docsDir, row.sha256);
    writeFileSync(path, "vervalst");
    storeDocument(connection.db, docsDir, actor, { content: PDF, originalName: "a.pdf" });
    expect(readFileSync(path).equals(PDF)).toBe(true);
  });

  it("refuses a file that is not a PDF with a message at the field and stores nothing", () => {
    let error: unknown;
    try {
      storeDocument(connection.db, docsDir, actor, { content: Buffer.from("GIF89a..."), originalName: "x.pdf" }, "report");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors).toEqual({ report: [expect.stringContaining("geen PDF")] });
    expect(connection.db.select().from(documents).all()).toHaveLength(0);
    expect(filesUnder(docsDir)).toEqual([]);
  });

  it("keeps a path-like client name only as a sanitised name", () => {
    const row = storeDocument(connection.db, docsDir, actor, { content: PDF, originalName: "..\\..\\..\\windows\\win.ini.pdf" });
    expect(row.originalName).toBe("win.ini.pdf");
    expect(readdirSync(root).every((name) => name.startsWith("docs-"))).toBe(true);
  });
});

describe("findActiveContent", () => {
  const catalog = (extra: string) => Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R${extra}>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`, "latin1");
  const inObjectStream = (object: string) => {
    const packed = deflateSync(Buffer.from(`3 0 ${object}`, "latin1"));
    return Buffer.concat([
      catalog("/Names 3 0 R"),
      Buffer.from(`4 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length ${packed.length}>>stream\n`, "latin1"),
      packed,
      Buffer.from("\nendstream\nendobj\n%%EOF\n", "latin1"),
    ]);
  };

  it("accepts a plain PDF and one whose open action goes to a page", async () => {
    expect(await findActiveContent(catalog(""))).toBe(false);
    expect(await findActiveContent(catalog("/OpenAction[2 0 R/Fit]"))).toBe(false);
  });

  it.each([
    ["JavaScript in an additional action (/AA)", "/AA<</O<</S/JavaScript/JS(x)>>>>"],
    ["an additional action with a hex-escaped key (/#41A)", "/#41A<</O 2 0 R>>"],
    ["an XFA form", "/AcroForm<</Fields[]/XFA 2 0 R>>"],
    ["a submit-form action", "/OpenAction<</S/SubmitForm/F(https://example.org)>>"],
    ["an import-data action", "/OpenAction<</S/Import#44ata/F(x.fdf)>>"],
    ["embedded files", "/Names<</Embedded#46iles<</Names[(a)2 0 R]>>>>"],
    ["rich media", "/OpenAction<</Type/Ric#68Media>>"],
  ])("refuses %s", async (_, extra) => {
    expect(await findActiveContent(catalog(extra))).toBe(true);
  });

  it("refuses an embedded file named inside a compressed object stream, with lower-case escapes", async () => {
    expect(await findActiveContent(inObjectStream("<</EmbeddedFiles<</Names[(a)2 0 R]>>>>"))).toBe(true);
    expect(await findActiveContent(inObjectStream("<</E#6dbeddedFi#6ces<</Names[(a)2 0 R]>>>>"))).toBe(true);
    expect(await findActiveContent(inObjectStream("<</Dests<</Names[(a)2 0 R]>>>>"))).toBe(false);
  });

  it("reads a file the parser cannot read as raw text, its names decoded", async () => {
    expect(await findActiveContent(Buffer.from("%PDF-kapot \x00 /J#61vaScript", "latin1"))).toBe(true);
    expect(await findActiveContent(Buffer.from("%PDF-kapot \x00 /Java", "latin1"))).toBe(false);
  });

  it("does not take bytes inside the stream data of a file it parsed for a name", async () => {
    const data = "BT /JS 12 Tf (tekst) Tj ET";
    const withStream = Buffer.concat([catalog(""), Buffer.from(`3 0 obj<</Length ${data.length}>>stream\n${data}\nendstream\nendobj\n%%EOF\n`, "latin1")]);
    expect(await findActiveContent(withStream)).toBe(false);
  });
});

describe("readDocument", () => {
  it("returns the stored bytes when they still match the recorded hash", () => {
    const row = storeDocument(connection.db, docsDir, actor, { content: PDF, originalName: "a.pdf" });
    const { document, content } = readDocument(connection.db, docsDir, row.id);
    expect(document.id).toBe(row.id);
    expect(content.equals(PDF)).toBe(true);
  });

  it("refuses a file that was altered on disk", () => {
    const row = storeDocument(connection.db, docsDir, actor, { content: PDF, originalName: "a.pdf" });
    writeFileSync(documentPath(docsDir, row.sha256), Buffer.concat([PDF, Buffer.from("%extra")]));
    expect(() => readDocument(connection.db, docsDir, row.id)).toThrow(DocumentIntegrityError);
  });

  it("refuses a file that is gone", () => {
    const row = storeDocument(connection.db, docsDir, actor, { content: PDF, originalName: "a.pdf" });
    unlinkSync(documentPath(docsDir, row.sha256));
    expect(() => readDocument(connection.db, docsDir, row.id)).toThrow(DocumentIntegrityError);
  });
});

describe("documentPath", () => {
  it("accepts only a SHA-256 in hex, so no path can leave the documents directory", () => {
    const hash = sha256(PDF);
    expect(documentPath(docsDir, hash)).toBe(join(docsDir, hash.slice(0, 2), hash));
    expect(() => documentPath(docsDir, "../../etc/passwd")).toThrow();
    expect(() => documentPath(docsDir, hash.toUpperCase())).toThrow();
  });
});

describe("contentDisposition", () => {
  it("gives an ASCII fallback and the exact name in filename* (RFC 5987)", () => {
    expect(contentDisposition("vo.pdf")).toBe(`attachment; filename="vo.pdf"; filename*=UTF-8''vo.pdf`);
    expect(contentDisposition('Overeenkomst "Ölçü" (v2).pdf')).toBe(
      `attachment; filename="Overeenkomst __l___ (v2).pdf"; filename*=UTF-8''Overeenkomst%20%22%C3%96l%C3%A7%C3%BC%22%20%28v2%29.pdf`,
    );
    expect(contentDisposition("a\r\nSet-Cookie: x.pdf")).not.toMatch(/[\r\n]/);
  });
});

describe("formatBytes", () => {
  it("shows bytes, kB and MB in Dutch notation", () => {
    expect(formatBytes(512)).toBe("512 bytes");
    expect(formatBytes(1536)).toBe("1,5 kB");
    expect(formatBytes(20 * 1024 * 1024)).toBe("20 MB");
  });
});
