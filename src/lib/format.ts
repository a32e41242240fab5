// Formatting for people, shared by pages and reports: Dutch dates (in Amsterdam time, src/lib/amsterdam.ts), euros.
import { dutchDate, dutchDateTime } from "./amsterdam";

const euroFormat = new Intl.NumberFormat("nl-NL", { style: "currency", currency: "EUR" });

/** "2026-03-01" → "01-03-2026"; a Date or epoch milliseconds → the date in Amsterdam. */
export function formatDate(value: unknown): string {
  if (value === null || value === undefined || value === "") return "";
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split("-");
    return `${d}-${m}-${y}`;
  }
  const date = value instanceof Date ? value : new Date(value as number);
  return Number.isNaN(date.getTime()) ? String(value) : dutchDate(date);
}

export function formatDateTime(value: unknown): string {
  if (value === null || value === undefined || value === "") return "";
  const date = value instanceof Date ? value : new Date(value as number);
  return Number.isNaN(date.getTime()) ? String(value) : dutchDateTime(date);
}

/** Integer cents → "€ 1.234,50"; nothing for null. */
export function formatEuros(cents: unknown): string {
  return typeof cents === "number" ? euroFormat.format(cents / 100) : "";
}

/** Dutch alphabetical order. One collator: localeCompare(b, "nl") builds one per call, which is slow in sorts. */
export const dutchOrder = new Intl.Collator("nl").compare;
