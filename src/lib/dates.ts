// Calendar dates as ISO text (YYYY-MM-DD), in the board's time zone (src/lib/amsterdam.ts): a Dutch school's "today".
import { amsterdamDate } from "./amsterdam";

export function todayIso(now: Date = new Date()): string {
  return amsterdamDate(now);
}

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Adds months; a day that does not exist in the target month becomes its last day (31 jan + 1 = 28/29 feb). */
export function addMonths(iso: string, months: number): string {
  const [y, m, day] = iso.split("-").map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(day, lastDay));
  return first.toISOString().slice(0, 10);
}
