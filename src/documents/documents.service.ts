// Signed agreements and DPIA reports as files. A file is stored outside the web root under its content
// hash (<documentsDir>/<first two hex>/<sha256>), so the stored name never comes from the client, two
// uploads of the same bytes share one file, and an auditor can check it was not swapped: the hash is
// kept in the database and recomputed on every download.
import { createHash, randomBytes } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import type * as PdfLib from "pdf-lib";
import type { PDFContext, PDFName, PDFObject } from "pdf-lib";
import { recordChange, type Actor } from "../audit/audit.service";
import type { Db, DbOrTx } from "../db/client";
import { HttpError, NotFoundError, ValidationError } from "../http/errors";
import { t } from "../i18n";
import { findDocumentById, insertDocument, type DocumentRow } from "./documents.repository";

export const PDF_MIME = "application/pdf";
const MAX_NAME_LENGTH = 200;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The file on disk no longer matches its recorded hash (or is gone): it must not be served as the original. */
export class DocumentIntegrityError extends HttpError {
  constructor(
    readonly documentId: number,
    readonly detail: string,
  ) {
    super(500, "documents.integrityTitle", t("documents.integrity"));
  }
}

export function sha256Of(content: Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

/** Checks the content, not the name or the declared type: every PDF starts with "%PDF-". */
export function isPdf(content: Buffer): boolean {
  return content.length > 5 && content.subarray(0, 5).toString("latin1") === "%PDF-";
}

/**
 * A signed agreement or a DPIA report has no business running code or acting on its own: a PDF is refused when
 * any of its names is one of these: scripts (and an /OpenAction or /AA that runs one), launching a program,
 * embedded files and media, XFA forms, and form actions that send or import data.
 */
const ACTIVE_NAMES = new Set(["JavaScript", "JS", "Launch", "EmbeddedFile", "EmbeddedFiles", "RichMedia", "AA", "XFA", "SubmitForm", "ImportData"]);
// A name runs up to whitespace or a delimiter (ISO 32000-1, 7.2.2); #xx is a byte in hex, either case.
const NAME_TOKEN = /\/([^\0\t\n\f\r ()<>[\]{}/%]*)/g;
const STREAM_DATA = /stream(?:\r\n|\n)[\s\S]*?endstream/g;
const decodeNameEscapes = (name: string) => name.replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** The first active name in raw PDF text, its #xx escapes decoded. */
function activeNameInText(text: string): string | undefined {
  for (const match of text.matchAll(NAME_TOKEN)) {
    const name = decodeNameEscapes(match[1] ?? "");
    if (ACTIVE_NAMES.has(name)) return name;
  }
  return undefined;
}

// pdf-lib inflates every object stream while it parses, in JavaScript and all at once: a few hundred kB of
// deflated spaces are gigabytes and seconds of work. Its decoder is held to a budget for one inspection (the
// bytes of the buffers it allocates), and a file that needs more is refused as not inspectable. Object streams
// of a real document are small: the budget is far above them, the images (which the parser never inflates) aside.
export const INFLATE_BUDGET_BYTES = 16 * 1024 * 1024;
type Budget = { left: number; exceeded: boolean };
let decodeBudget: Budget | undefined;

/** Budgets pdf-lib's decoder: every buffer it grows counts against the inspection's budget, when one is set. */
function budgetDecoding(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- pdf-lib's decoder is not exported
  const { default: DecodeStream } = require("pdf-lib/cjs/core/streams/DecodeStream") as {
    default: { prototype: { buffer: Uint8Array; ensureBuffer: (requested: number) => Uint8Array } };
  };
  const ensureBuffer = DecodeStream.prototype.ensureBuffer;
  DecodeStream.prototype.ensureBuffer = function budgeted(this: { buffer: Uint8Array }, requested: number) {
    const budget = decodeBudget;
    if (budget && requested > this.buffer.byteLength) {
      budget.left -= requested;
      if (budget.left < 0) {
        budget.exceeded = true;
        throw new Error("PDF object streams inflate beyond the inspection budget");
      }
    }
    return ensureBuffer.call(this, requested);
  };
}

// pdf-lib (some 14 MB in memory) is loaded at the first upload, not at start, as the libraries in src/lib/heavy.ts.
let loadedPdfLib: typeof PdfLib | undefined;
function pdfLib(): typeof PdfLib {
  if (!loadedPdfLib) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded late on purpose
    loadedPdfLib = require("pdf-lib") as typeof PdfLib;
    budgetDecoding();
  }
  return loadedPdfLib;
}

type Inspection = { parsed: boolean; active?: string; tooLarge?: boolean; invalid?: boolean };

/**
 * The first active name in the parsed file: every dictionary key and name value of every object, also those
 * inside compressed object streams. pdf-lib already decodes #xx, but only in upper-case hex: lower case is
 * decoded here. Not parsed when pdf-lib cannot read the file; invalid when it skipped an object it could not read.
 */
async function inspectParsedPdf(content: Buffer): Promise<Inspection> {
  const { ParseSpeeds, PDFArray, PDFDict, PDFDocument, PDFInvalidObject, PDFName, PDFStream } = pdfLib();
  const budget: Budget = { left: INFLATE_BUDGET_BYTES, exceeded: false };
  const warn = console.warn;
  let context: PDFContext;
  try {
    // Parsed without yielding to other requests, so that the budget is this file's alone while it is set, and
    // pdf-lib's console warnings about objects it cannot read (LOG_LEVEL does not reach them) are dropped.
    decodeBudget = budget;
    console.warn = () => {};
    context = (await PDFDocument.load(content, { updateMetadata: false, ignoreEncryption: true, parseSpeed: ParseSpeeds.Fastest })).context;
  } catch {
    return { parsed: false, tooLarge: budget.exceeded };
  } finally {
    decodeBudget = undefined;
    console.warn = warn;
  }
  if (budget.exceeded) return { parsed: true, tooLarge: true };
  const pending: PDFObject[] = context.enumerateIndirectObjects().map(([, object]) => object);
  const check = (name: PDFName) => {
    const decoded = decodeNameEscapes(name.decodeText());
    return ACTIVE_NAMES.has(decoded) ? decoded : undefined;
  };
  let invalid = false;
  // A loop with its own stack: a crafted file can nest arrays deeper than the call stack goes.
  for (let object = pending.pop(); object !== undefined; object = pending.pop()) {
    let found: string | undefined;
    if (object instanceof PDFName) found = check(object);
    else if (object instanceof PDFDict) {
      for (const [key, value] of object.entries()) {
        found ??= check(key);
        pending.push(value);
      }
    } else if (object instanceof PDFArray) pending.push(...object.asArray());
    else if (object instanceof PDFStream) pending.push(object.dict);
    else if (object instanceof PDFInvalidObject) invalid = true;
    if (found) return { parsed: true, active: found };
  }
  return { parsed: true, invalid };
}

// The parser is asynchronous and storeDocument is not: the upload middleware inspects the file first and the
// verdict waits here, keyed by the upload's own buffer, until storeDocument reads it.
const inspections = new WeakMap<Buffer, Inspection>();

/** Reads the PDF with a parser (see hasActiveContent); the upload middleware runs this before the handler. */
export async function inspectDocument(content: Buffer): Promise<void> {
  if (!isPdf(content) || inspections.has(content)) return;
  inspections.set(content, await inspectParsedPdf(content));
}

/** The parser gave up on the file within its budget (see INFLATE_BUDGET_BYTES): it is refused, not let through. */
export function isUninspectable(content: Buffer): boolean {
  return inspections.get(content)?.tooLarge === true;
}

/**
 * Whether the PDF holds active content (ACTIVE_NAMES). Inspected by the parser (inspectDocument), its names
 * are read as a PDF reader reads them, #xx escapes and compressed object streams included; the raw text
 * outside stream data is scanned as well. A file the parser cannot read, or read only in part (an object it
 * skipped as invalid), or one not inspected, is scanned as raw text whole, its names decoded, as a guard:
 * downloads are also served as attachments with nosniff and never shown inline.
 */
export function hasActiveContent(content: Buffer): boolean {
  const inspection = inspections.get(content);
  if (inspection?.active) return true;
  const text = content.toString("latin1");
  // Stream data is left out only when the parser read everything: compressed bytes hold "/JS" by chance.
  if (inspection?.parsed && !inspection.invalid) return activeNameInText(text.replace(STREAM_DATA, " ")) !== undefined;
  return activeNameInText(text) !== undefined;
}

/** The same check in one call, for callers that can wait: inspects, then answers. */
export async function findActiveContent(content: Buffer): Promise<boolean> {
  await inspectDocument(content);
  return isUninspectable(content) || hasActiveContent(content);
}

/**
 * The client's file name as we keep it for display and download only (it is never part of a path):
 * the last path segment, without control characters, bidirectional overrides (which can make
 * "fdp.exe" read as "exe.pdf") or separators, at most 200 characters.
 */
export function sanitiseFileName(name: string | undefined): string {
  const lastSegment = (name ?? "").split(/[\\/]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  let clean = lastSegment.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\\/]/g, "").trim();
  clean = clean.replace(/^\.+/, "");
  if (clean.length > MAX_NAME_LENGTH) {
    const dot = clean.lastIndexOf(".");
    const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : "";
    clean = clean.slice(0, MAX_NAME_LENGTH - ext.length) + ext;
  }
  return clean || "document.pdf";
}

/** Where a document with this hash lives; refuses anything that is not a hash, so no path can escape. */
export function documentPath(documentsDir: string, sha256: string): string {
  if (!SHA256_HEX.test(sha256)) throw new Error(`Ongeldige documenthash: ${sha256}`);
  const root = resolve(documentsDir);
  const path = resolve(root, sha256.slice(0, 2), sha256);
  if (!path.startsWith(root + sep)) throw new Error("Documentpad buiten de documentenmap");
  return path;
}

function fileMatches(path: string, sha256: string): boolean {
  try {
    return sha256Of(readFileSync(path)) === sha256;
  } catch {
    return false;
  }
}

/** Writes the bytes to a temporary file in the same directory, then renames: a reader never sees half a file. */
function writeAtomically(path: string, content: Buffer): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${randomBytes(8).toString("hex")}.tmp`);
  try {
    const fd = openSync(temp, "wx", 0o600);
    try {
      // writeSync may write fewer bytes than asked (a nearly full disk): loop, and treat no progress as a failure.
      let written = 0;
      while (written < content.length) {
        const n = writeSync(fd, content, written, content.length - written);
        if (n <= 0) throw Object.assign(new Error("short write"), { code: "ENOSPC" });
        written += n;
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

/**
 * Stores an uploaded PDF and records it (with its audit entry). A file with the same hash that is already
 * there is kept; one that no longer matches its name (altered on disk) is replaced by the good bytes.
 * A non-PDF is refused with a message at `field`.
 */
export function storeDocument(
  db: Db,
  documentsDir: string,
  actor: Actor,
  upload: { content: Buffer; originalName: string | undefined },
  field = "document",
): DocumentRow {
  if (!isPdf(upload.content)) throw new ValidationError({ [field]: [t("documents.notPdf")] });
  if (isUninspectable(upload.content)) throw new ValidationError({ [field]: [t("documents.notInspectable")] });
  if (hasActiveContent(upload.content)) throw new ValidationError({ [field]: [t("documents.activeContent")] });
  const sha256 = sha256Of(upload.content);
  const path = documentPath(documentsDir, sha256);
  if (!fileMatches(path, sha256)) {
    try {
      writeAtomically(path, upload.content);
    } catch {
      // Nothing is recorded when the bytes are not all on disk: a row for a cut-short file would promise a signed PDF.
      throw new ValidationError({ [field]: [t("documents.notStored")] });
    }
    if (!fileMatches(path, sha256)) throw new ValidationError({ [field]: [t("documents.notStored")] });
  }
  const originalName = sanitiseFileName(upload.originalName);
  return db.transaction((tx) => {
    const row = insertDocument(tx, { sha256, originalName, mimeType: PDF_MIME, sizeBytes: upload.content.length, uploadedBy: actor.id });
    recordChange(tx, {
      actor,
      action: "create",
      entityType: "document",
      entityId: row.id,
      summary: `Document ${originalName} geüpload`,
      after: row,
    });
    return row;
  });
}

/** Reads a stored document and proves it is still the uploaded one; throws DocumentIntegrityError if not. */
export function readDocument(db: DbOrTx, documentsDir: string, id: number): { document: DocumentRow; content: Buffer } {
  const document = findDocumentById(db, id);
  if (!document) throw new NotFoundError();
  let content: Buffer;
  try {
    content = readFileSync(documentPath(documentsDir, document.sha256));
  } catch (err) {
    throw new DocumentIntegrityError(id, `document ${id}: bestand niet leesbaar (${(err as Error).message})`);
  }
  const actual = sha256Of(content);
  if (actual !== document.sha256) {
    throw new DocumentIntegrityError(id, `document ${id}: SHA-256 ${actual} wijkt af van de vastgelegde ${document.sha256}`);
  }
  return { document, content };
}

/**
 * Content-Disposition for a download: an ASCII fallback in filename= and the real name in filename*
 * (RFC 5987/6266), so quotes, line breaks or non-ASCII in a name cannot break the header.
 */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** "12,3 kB" for a page; 1 kB = 1024 bytes, as a file manager shows it. */
export function formatBytes(bytes: number): string {
  const format = (n: number) => n.toLocaleString("nl-NL", { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${format(bytes / 1024)} kB`;
  return `${format(bytes / (1024 * 1024))} MB`;
}
