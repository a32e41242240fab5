import { execFileSync } from "node:child_process";
import { join } from "node:path";

/** The text and page count of a PDF, read by a real PDF parser (pdf.js through pdf-parse). */
export function pdfText(pdf: Buffer): { text: string; pages: number } {
  const out = execFileSync(process.execPath, [join(__dirname, "pdf-text.cjs")], { input: pdf, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.toString("utf8")) as { text: string; pages: number };
}
