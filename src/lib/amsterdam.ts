// Time in Amsterdam, the board's zone: the one place that knows it. A moment (epoch milliseconds or a Date) becomes
// a wall-clock time there, a calendar day or a form's "YYYY-MM-DDTHH:MM" becomes a moment. Summer time starts on
// the last Sunday of March (02:00 → 03:00) and ends on the last Sunday of October (03:00 → 02:00), both at 01:00
// UTC: one hour a year does not exist on the clock, one happens twice.
//
// One method: Intl gives the offset from UTC at the start of each UTC hour, kept per hour (Amsterdam's offset
// only changes on a whole UTC hour), and the wall-clock time is the moment plus that offset. Intl per value was
// most of the time of a long report.

export const AMSTERDAM = "Europe/Amsterdam";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const clock = new Intl.DateTimeFormat("en-CA", {
  timeZone: AMSTERDAM,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

const offsets = new Map<number, number>();

/** How far Amsterdam's clock is ahead of UTC at this moment, in milliseconds (3,600,000 in winter, 7,200,000 in summer). */
export function amsterdamOffset(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  let offset = offsets.get(hour);
  if (offset === undefined) {
    const start = hour * HOUR_MS;
    const p = Object.fromEntries(clock.formatToParts(new Date(start)).map((part) => [part.type, part.value]));
    offset = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - start;
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(hour, offset);
  }
  return offset;
}

export type WallClock = { y: number; m: number; d: number; h: number; min: number; s: number };

const toMs = (moment: number | Date): number => (moment instanceof Date ? moment.getTime() : moment);
const pad = (n: number) => String(n).padStart(2, "0");

/** The wall-clock time in Amsterdam of a moment, as its parts (month 1–12). */
export function amsterdamParts(moment: number | Date): WallClock {
  const ms = toMs(moment);
  const local = new Date(ms + amsterdamOffset(ms));
  return { y: local.getUTCFullYear(), m: local.getUTCMonth() + 1, d: local.getUTCDate(), h: local.getUTCHours(), min: local.getUTCMinutes(), s: local.getUTCSeconds() };
}

const isoDay = (p: WallClock) => `${String(p.y).padStart(4, "0")}-${pad(p.m)}-${pad(p.d)}`;

/** The calendar day in Amsterdam at a moment, "YYYY-MM-DD": a Dutch school's "today". */
export function amsterdamDate(moment: number | Date = Date.now()): string {
  return isoDay(amsterdamParts(moment));
}

/** "2026-11-21 14:05": a moment in Amsterdam time as CSV and plain text show it. */
export function amsterdamIsoDateTime(moment: number | Date): string {
  const p = amsterdamParts(moment);
  return `${isoDay(p)} ${pad(p.h)}:${pad(p.min)}`;
}

/** "21-11-2026": the Dutch way to write the day in Amsterdam at a moment. */
export function dutchDate(moment: number | Date): string {
  const p = amsterdamParts(moment);
  return `${pad(p.d)}-${pad(p.m)}-${String(p.y).padStart(4, "0")}`;
}

/** "21-11-2026 14:05": the Dutch way to write a moment in Amsterdam time. */
export function dutchDateTime(moment: number | Date): string {
  const p = amsterdamParts(moment);
  return `${dutchDate(moment)} ${pad(p.h)}:${pad(p.min)}`;
}

/** Moment → "YYYY-MM-DDTHH:MM" in Amsterdam time, as <input type="datetime-local"> shows it. */
export function toLocalInput(moment: number | Date | null | undefined): string {
  if (moment === null || moment === undefined) return "";
  const p = amsterdamParts(moment);
  return `${isoDay(p)}T${pad(p.h)}:${pad(p.min)}`;
}

const WALL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/;

/**
 * The moments at which Amsterdam's clock shows a wall-clock time ("YYYY-MM-DD" for midnight, or
 * "YYYY-MM-DDTHH:MM"), earliest first: one as a rule, two in the hour that happens twice, none in the hour that
 * does not exist (and none for text that is no date, such as 2026-02-30).
 */
function momentsAt(text: string): number[] {
  const match = WALL.exec(text);
  if (!match) return [];
  const [y, mo, d, h = 0, mi = 0] = match.slice(1).map((part) => (part === undefined ? undefined : Number(part))) as number[];
  // setUTCFullYear, not Date.UTC: that reads the years 0–99 as 1900–1999.
  const check = new Date(0);
  check.setUTCFullYear(y!, mo! - 1, d!);
  check.setUTCHours(h!, mi!, 0, 0);
  const wall = check.getTime();
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo! - 1 || check.getUTCDate() !== d || check.getUTCHours() !== h || check.getUTCMinutes() !== mi) return [];
  // The offsets in force a day either side cover both sides of any change of the clock near this time.
  const candidates = [...new Set([amsterdamOffset(wall - DAY_MS), amsterdamOffset(wall), amsterdamOffset(wall + DAY_MS)])].map((offset) => wall - offset);
  return [...new Set(candidates.filter((ms) => ms + amsterdamOffset(ms) === wall))].sort((a, b) => a - b);
}

/**
 * "YYYY-MM-DDTHH:MM" in Amsterdam time (a form's datetime-local) → epoch milliseconds. The hour that happens twice
 * is read as its first occurrence; the hour that does not exist, and text that is no moment, give undefined.
 */
export function fromLocalInput(text: string): number | undefined {
  if (!text.includes("T")) return undefined;
  return momentsAt(text)[0];
}

/** Midnight at the start of a calendar day ("YYYY-MM-DD") in Amsterdam, as epoch milliseconds. */
export function amsterdamMidnight(iso: string): number {
  const moment = momentsAt(iso)[0];
  if (moment === undefined) throw new RangeError(`Geen bestaande datum: ${iso}`);
  return moment;
}

/** The first moment after a calendar day in Amsterdam: "valid until 31-12-2026" holds all that day. */
export function endOfAmsterdamDay(iso: string): number {
  const day = new Date(0);
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  day.setUTCFullYear(y, m - 1, d + 1);
  return amsterdamMidnight(isoDay({ y: day.getUTCFullYear(), m: day.getUTCMonth() + 1, d: day.getUTCDate(), h: 0, min: 0, s: 0 }));
}
