// A report as a PDF summary to file: a cover with the board, the reference date, who made it and when, the
// filters and the content hash (also in the document's metadata), then each table with the columns chosen for
// print, its header repeated on every page, and "Pagina X van Y" on every page. pdfkit's standard Helvetica,
// so no font files: its encoding (WinAnsi) covers Dutch; other characters are replaced.
import { once } from "node:events";
import type { Writable } from "node:stream";
import { pdfkit } from "../lib/heavy";
import { t } from "../i18n";
import { formatDate, formatDateTime, formatEuros } from "../lib/format";
import { batchesOf, type Cell, type Column, type ColumnType, type Provenance, type ReportContent, type ReportTable } from "./reports.model";

/**
 * A summary, not an archive of everything: longer tables are cut here, with a note (XLSX and CSV hold all). A
 * streamed table reads no more than this (the limit is in its SQL); the pages are kept until the end, to number them.
 */
export const PDF_ROW_LIMIT = 2500;

const MARGIN = 40;
const FONT_SIZE = 8;
const LINE = 10;
const PADDING = 2;
/** A long cell wraps to at most this many lines. */
const MAX_LINES = 6;
const GREY = "#e7ecf2";
const INK = "#1b2631";

type Doc = PDFKit.PDFDocument;

// Characters Helvetica (WinAnsi) lacks, replaced by what it has; anything else it lacks becomes "?".
const REPLACEMENTS: [RegExp, string][] = [
  [/→/g, "->"],
  [/[✓✔]/g, "v"],
  [/[✗✘]/g, "x"],
  [/\u200b/g, ""],
  [/[\t\r]/g, " "],
];
function printable(text: string): string {
  let out = text;
  for (const [pattern, replacement] of REPLACEMENTS) out = out.replace(pattern, replacement);
  return out.replace(/[^\n\x20-\x7e\xa0-\xff]/g, (ch) => (WIN_ANSI[ch.charCodeAt(0)] ? ch : "?"));
}

function cellText(type: ColumnType, value: Cell): string {
  if (value === null) return "";
  switch (type) {
    case "date":
      return formatDate(value);
    case "datetime":
      return formatDateTime(value);
    case "money":
      return formatEuros(value);
    case "number":
      return String(value);
    default:
      return printable(String(value));
  }
}

/** Writes the PDF to `out` (not ended). */
export async function writePdf(content: ReportContent, provenance: Provenance, out: Writable): Promise<void> {
  const doc = new (pdfkit())({
    size: "A4",
    layout: "landscape",
    margin: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    info: {
      Title: printable(`${provenance.reportTitle} - ${provenance.boardName}`),
      Author: printable(provenance.generatedBy),
      Subject: printable(provenance.description),
      Keywords: `sha256:${provenance.contentSha256} peildatum:${provenance.referenceDate}`,
      Creator: t("reports.provenance.application"),
      CreationDate: provenance.generatedAt,
      ModDate: provenance.generatedAt,
    },
  });
  doc.pipe(out, { end: false });
  const done = once(doc, "end");

  cover(doc, content, provenance);
  for (const [index, table] of content.tables.entries()) {
    if (!table.columns.some((c) => c.pdf)) continue;
    doc.addPage();
    drawTable(doc, table, provenance.rowCounts[index]!);
  }
  pageNumbers(doc, provenance);
  doc.end();
  await done;
}

function cover(doc: Doc, content: ReportContent, p: Provenance): void {
  const tx = (key: string, params?: Record<string, string | number>) => t(`reports.provenance.${key}`, params);
  const width = doc.page.width - 2 * MARGIN;
  doc.fillColor(INK).font("Helvetica").fontSize(10).text(`${tx("application")} · ${tx("cover")}`, { width });
  doc.moveDown(1.5);
  doc.font("Helvetica-Bold").fontSize(20).text(printable(p.reportTitle), { width });
  doc.moveDown(0.3);
  doc.font("Helvetica").fontSize(14).text(printable(p.boardName), { width });
  doc.moveDown(0.5);
  doc.fontSize(10).text(printable(p.description), { width });
  doc.moveDown(1);

  const field = (label: string, value: string, font = "Helvetica") => {
    const y = doc.y;
    doc.font("Helvetica-Bold").fontSize(10).text(label, MARGIN, y, { width: 190 });
    const labelBottom = doc.y;
    doc.font(font).fontSize(10).text(value, MARGIN + 200, y, { width: width - 200 });
    doc.y = Math.max(doc.y, labelBottom) + 4;
    doc.x = MARGIN;
  };
  field(tx("board"), printable(p.boardName));
  field(tx("referenceDate"), formatDate(p.referenceDate));
  field(tx("generatedAt"), formatDateTime(p.generatedAt));
  field(tx("generatedBy"), printable(p.generatedBy));
  field(tx("filters"), p.filters.length ? p.filters.map((f) => printable(`${f.label}: ${f.value}`)).join("\n") : t("reports.filters.none"));
  field(tx("contentHash"), p.contentSha256, "Courier");
  field(tx("tables"), content.tables.map((table, i) => printable(tx("tableRows", { title: table.title, rows: p.rowCounts[i]! }))).join("\n"));
  doc.moveDown(0.5);
  doc.font("Helvetica").fontSize(8.5);
  for (const text of [tx("contentHashExplained"), tx("fileHashExplained"), ...p.notes]) {
    doc.text(printable(text), MARGIN, doc.y, { width });
    doc.moveDown(0.4);
  }
}

type Layout = { columns: (Column & { index: number; x: number; w: number })[]; bottom: number };

function layout(doc: Doc, table: ReportTable): Layout {
  const chosen = table.columns.map((c, index) => ({ ...c, index })).filter((c) => c.pdf);
  const total = chosen.reduce((sum, c) => sum + c.pdf!, 0);
  const width = doc.page.width - 2 * MARGIN;
  let x = MARGIN;
  const columns = chosen.map((c) => {
    const w = (width * c.pdf!) / total;
    const placed = { ...c, x, w };
    x += w;
    return placed;
  });
  // Leave room for the page number line.
  return { columns, bottom: doc.page.height - MARGIN - 14 };
}

// ---------------------------------------------------------------------------------------------
// Table text, written straight into the page's content stream. pdfkit's text() costs a few microseconds per
// character (kerning lookups, options, a save/transform per call): with thousands of rows that was seconds.
// Table cells need none of it: one line of plain text at a position, in a standard font, without kerning.
// So each row's lines go into the page as one BT...ET block, and widths come from the font's own metrics.

/** Unicode → WinAnsi (the standard fonts' encoding) for the characters where the two differ. */
const WIN_ANSI: Record<number, number> = {
  0x20ac: 0x80, 0x201a: 0x82, 0x0192: 0x83, 0x201e: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87, 0x02c6: 0x88,
  0x2030: 0x89, 0x0160: 0x8a, 0x2039: 0x8b, 0x0152: 0x8c, 0x017d: 0x8e, 0x2018: 0x91, 0x2019: 0x92, 0x201c: 0x93,
  0x201d: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02dc: 0x98, 0x2122: 0x99, 0x0161: 0x9a, 0x203a: 0x9b,
  0x0153: 0x9c, 0x017e: 0x9e, 0x0178: 0x9f,
};
const QUESTION = 0x3f;
const winAnsi = (code: number): number => (code < 0x80 || (code >= 0xa0 && code <= 0xff) ? code : (WIN_ANSI[code] ?? QUESTION));
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** The parts of pdfkit's standard font this uses: its resource id, metrics and glyph widths. */
type StandardFont = {
  id: string;
  ascender: number;
  ref(): unknown;
  font: { characterToGlyph(code: number): string; widthOfGlyph(glyph: string): number };
};

type Pen = { name: string; font: StandardFont; size: number; widths: Map<number, number> };
const pens = new WeakMap<Doc, Map<string, Pen>>();

/** Selects a font in pdfkit (so it is embedded) and returns what drawing and measuring with it need. */
function pen(doc: Doc, name: "Helvetica" | "Helvetica-Bold", size = FONT_SIZE): Pen {
  doc.font(name).fontSize(size);
  let byName = pens.get(doc);
  if (!byName) pens.set(doc, (byName = new Map()));
  const key = `${name}|${size}`;
  let p = byName.get(key);
  if (!p) byName.set(key, (p = { name, font: (doc as unknown as { _font: StandardFont })._font, size, widths: new Map() }));
  return p;
}

/** The width of a text in points, from the font's glyph widths (no kerning: the text is drawn without it). */
function widthOf(p: Pen, text: string): number {
  let width = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    let w = p.widths.get(code);
    if (w === undefined) {
      const glyph = p.font.font.characterToGlyph(winAnsi(code) === QUESTION && code !== QUESTION ? QUESTION : code);
      p.widths.set(code, (w = (p.font.font.widthOfGlyph(glyph) * p.size) / 1000));
    }
    width += w;
  }
  return width;
}

const num = (n: number) => (Math.round(n * 100) / 100).toString();

/** Text operators for one line at (x, y) measured from the top of the page, as pdfkit places text. */
function lineOps(doc: Doc, p: Pen, text: string, x: number, y: number): string {
  let hex = "";
  for (let i = 0; i < text.length; i += 1) hex += HEX[winAnsi(text.charCodeAt(i))];
  const baseline = doc.page.height - y - (p.font.ascender / 1000) * p.size;
  return `1 0 0 1 ${num(x)} ${num(baseline)} Tm <${hex}> Tj\n`;
}

/** Writes text operators into the page: the page's coordinates are flipped by pdfkit, so flip back around them. */
function writeText(doc: Doc, p: Pen, ops: string): void {
  if (ops === "") return;
  const fonts = doc.page.fonts as Record<string, unknown>;
  if (fonts[p.font.id] == null) fonts[p.font.id] = p.font.ref();
  doc.addContent(`q 1 0 0 -1 0 ${num(doc.page.height)} cm BT /${p.font.id} ${num(p.size)} Tf\n${ops}ET Q`);
}

/**
 * A cell's text as lines that fit its width, at most MAX_LINES (the last one cut with "…"), wrapped word by word.
 */
function wrap(p: Pen, text: string, width: number): string[] {
  if (text === "") return [];
  if (!text.includes("\n") && widthOf(p, text) <= width) return [text];
  const lines: string[] = [];
  const space = widthOf(p, " ");
  for (const paragraph of text.split("\n")) {
    let line = "";
    let lineWidth = 0;
    for (let word of paragraph.split(" ")) {
      let w = widthOf(p, word);
      // A word wider than the column (a hash, a long address) is broken where it must.
      while (w > width && word.length > 1) {
        if (line) lines.push(line);
        let cut = Math.max(1, Math.floor((word.length * width) / w));
        while (cut > 1 && widthOf(p, word.slice(0, cut)) > width) cut -= 1;
        lines.push(word.slice(0, cut));
        word = word.slice(cut);
        w = widthOf(p, word);
        line = "";
        lineWidth = 0;
      }
      if (line && lineWidth + space + w > width) {
        lines.push(line);
        line = word;
        lineWidth = w;
      } else {
        lineWidth = line ? lineWidth + space + w : w;
        line = line ? `${line} ${word}` : word;
      }
    }
    lines.push(line);
  }
  if (lines.length <= MAX_LINES) return lines;
  const kept = lines.slice(0, MAX_LINES);
  let last = `${kept[MAX_LINES - 1]!}…`;
  while (last.length > 1 && widthOf(p, last) > width) last = `${last.slice(0, -2)}…`;
  kept[MAX_LINES - 1] = last;
  return kept;
}

function drawRow(doc: Doc, p: Pen, l: Layout, cells: string[][], y: number, height: number, header: boolean): void {
  const width = l.columns.reduce((s, c) => s + c.w, 0);
  if (header) doc.rect(MARGIN, y, width, height).fill(GREY);
  doc.fillColor(INK);
  let ops = "";
  l.columns.forEach((c, i) => {
    const right = c.type === "number" || c.type === "money";
    cells[i]!.forEach((line, k) => {
      const x = right ? c.x + c.w - PADDING - widthOf(p, line) : c.x + PADDING;
      ops += lineOps(doc, p, line, x, y + PADDING / 2 + k * LINE);
    });
  });
  writeText(doc, p, ops);
  doc.moveTo(MARGIN, y + height).lineTo(MARGIN + width, y + height).lineWidth(0.3).strokeColor("#b0b8c1").stroke();
}

const rowHeight = (cells: string[][]) => Math.max(1, ...cells.map((lines) => lines.length)) * LINE + PADDING;

function heading(doc: Doc, text: string, y: number, size = 13): number {
  doc.fillColor(INK).font("Helvetica-Bold").fontSize(size).text(printable(text), MARGIN, y, { width: doc.page.width - 2 * MARGIN });
  return doc.y + 4;
}

function drawTable(doc: Doc, table: ReportTable, total: number): void {
  const l = layout(doc, table);
  let y = heading(doc, table.title, MARGIN);
  if (total === 0) {
    doc.font("Helvetica").fontSize(10).text(printable(table.empty), MARGIN, y);
    return;
  }
  const shown = Math.min(total, PDF_ROW_LIMIT);
  if (shown < total) {
    doc.font("Helvetica").fontSize(9).text(t("reports.provenance.truncated", { shown, total }), MARGIN, y);
    y = doc.y + 4;
  }
  const bold = pen(doc, "Helvetica-Bold");
  const regular = pen(doc, "Helvetica");
  const header = l.columns.map((c) => wrap(bold, printable(c.label), c.w - 2 * PADDING));
  const headerHeight = rowHeight(header);
  const groupColumn = table.pdfGroupBy;
  let group: Cell | undefined;

  const newPage = (title: string) => {
    doc.addPage();
    return heading(doc, t("reports.provenance.continued", { title }), MARGIN, 10);
  };
  const groupTitle = () => `${table.title}: ${cellText("text", group ?? null)}`;
  drawRow(doc, bold, l, header, y, headerHeight, true);
  y += headerHeight;
  for (const row of rowsOf(table, PDF_ROW_LIMIT)) {
    if (groupColumn !== undefined && row[groupColumn] !== group) {
      group = row[groupColumn];
      if (y + 40 > l.bottom) y = newPage(table.title);
      y = heading(doc, groupTitle(), y + 6, 10);
      drawRow(doc, bold, l, header, y, headerHeight, true);
      y += headerHeight;
    }
    const cells = l.columns.map((c) => wrap(regular, cellText(c.type, row[c.index] ?? null), c.w - 2 * PADDING));
    const height = rowHeight(cells);
    if (y + height > l.bottom) {
      y = newPage(groupColumn !== undefined ? groupTitle() : table.title);
      drawRow(doc, bold, l, header, y, headerHeight, true);
      y += headerHeight;
    }
    drawRow(doc, regular, l, cells, y, height, false);
    y += height;
  }
}

function* rowsOf(table: ReportTable, limit: number): Generator<Cell[]> {
  for (const batch of batchesOf(table, limit)) yield* batch;
}

function pageNumbers(doc: Doc, p: Provenance): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    // Writing below the bottom margin would make pdfkit start a new page: lift the margin for this line.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN + 8;
    const width = doc.page.width - 2 * MARGIN;
    doc.fillColor(INK).font("Helvetica").fontSize(8);
    doc.text(printable(`${p.boardName} · ${p.reportTitle} · ${t("reports.provenance.referenceDate")} ${formatDate(p.referenceDate)}`), MARGIN, y, { width: width * 0.75, lineBreak: false, ellipsis: true });
    doc.text(t("reports.provenance.page", { page: i + 1 - range.start, pages: range.count }), MARGIN, y, { width, align: "right", lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}
