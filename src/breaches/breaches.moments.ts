// Moments of a breach (discovered, notified, closed) as people enter them: <input type="datetime-local">
// sends "YYYY-MM-DDTHH:MM" without a zone, which here is Dutch time (the board's). Stored as epoch
// milliseconds. Summer time makes one hour a year ambiguous and one hour not exist: the first is read as
// the earlier moment, the second is refused (the round trip does not give the input back).

const ZONE = "Europe/Amsterdam";
const parts = new Intl.DateTimeFormat("en-GB", {
  timeZone: ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** Epoch milliseconds → "YYYY-MM-DDTHH:MM" in Dutch time (for the form). */
export function toLocalInput(ms: number | Date | null | undefined): string {
  if (ms === null || ms === undefined) return "";
  const value: Record<string, string> = {};
  for (const p of parts.formatToParts(ms instanceof Date ? ms : new Date(ms))) value[p.type] = p.value;
  return `${value.year}-${value.month}-${value.day}T${value.hour}:${value.minute}`;
}

/** How far Dutch wall-clock time is ahead of UTC at this moment, in milliseconds. */
function offsetAt(ms: number): number {
  const [, y, mo, d, h, mi] = LOCAL.exec(toLocalInput(ms))!.map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi) - Math.floor(ms / 60_000) * 60_000;
}

/** "YYYY-MM-DDTHH:MM" in Dutch time → epoch milliseconds; undefined for text that is no existing moment. */
export function fromLocalInput(text: string): number | undefined {
  const match = LOCAL.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  if (Number.isNaN(wall)) return undefined;
  // Two steps: the offset of the guessed moment can differ from the answer's around a change of summer time.
  const earlier = wall - offsetAt(wall - offsetAt(wall) - 3_600_000);
  const guess = toLocalInput(earlier) === text ? earlier : wall - offsetAt(wall - offsetAt(wall));
  return toLocalInput(guess) === text ? guess : undefined;
}
