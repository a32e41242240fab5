// Libraries loaded on first use rather than at start: together they take some 60 MB of memory, and a register
// process that never writes a workbook, a PDF or an e-mail need not carry them. Types come from the normal
// type imports; only the code is loaded late.
/* eslint-disable @typescript-eslint/no-require-imports */
import type ExcelJS from "exceljs";
import type Nodemailer from "nodemailer";
import type PDFKit from "pdfkit";

function onFirstUse<T>(load: () => T): () => T {
  let loaded: { value: T } | undefined;
  return () => (loaded ??= { value: load() }).value;
}

export const exceljs = onFirstUse(() => require("exceljs") as typeof ExcelJS);
export const pdfkit = onFirstUse(() => require("pdfkit") as typeof PDFKit);
export const nodemailer = onFirstUse(() => require("nodemailer") as typeof Nodemailer);
