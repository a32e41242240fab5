// Amsterdam time, the one module (src/lib/amsterdam.ts): around the changes of summer time on the last Sunday of
// March (2026-03-29: 02:00 → 03:00) and of October (2026-10-25: 03:00 → 02:00), both at 01:00 UTC.
import { endOfDayInAmsterdam } from "../src/api/tokens.service";
import {
  amsterdamDate,
  amsterdamIsoDateTime,
  amsterdamMidnight,
  amsterdamOffset,
  endOfAmsterdamDay,
  fromLocalInput,
  toLocalInput,
} from "../src/lib/amsterdam";
import { todayIso } from "../src/lib/dates";
import { formatDate, formatDateTime } from "../src/lib/format";

const utc = (text: string) => Date.parse(text);
const HOUR = 3_600_000;

describe("Amsterdam time around the change to summer time (last Sunday of March)", () => {
  it("moves the clock from 02:00 to 03:00 at 01:00 UTC", () => {
    expect(amsterdamIsoDateTime(utc("2026-03-29T00:59:00Z"))).toBe("2026-03-29 01:59");
    expect(amsterdamIsoDateTime(utc("2026-03-29T01:00:00Z"))).toBe("2026-03-29 03:00");
    expect(amsterdamOffset(utc("2026-03-29T00:59:59Z"))).toBe(HOUR);
    expect(amsterdamOffset(utc("2026-03-29T01:00:00Z"))).toBe(2 * HOUR);
  });

  it("refuses a typed time in the hour that does not exist, and reads the minutes around it", () => {
    expect(fromLocalInput("2026-03-29T02:30")).toBeUndefined();
    expect(fromLocalInput("2026-03-29T01:59")).toBe(utc("2026-03-29T00:59:00Z"));
    expect(fromLocalInput("2026-03-29T03:00")).toBe(utc("2026-03-29T01:00:00Z"));
  });

  it("starts the day of the change at 23:00 UTC the evening before, and ends it 23 hours later", () => {
    expect(amsterdamMidnight("2026-03-29")).toBe(utc("2026-03-28T23:00:00Z"));
    expect(endOfAmsterdamDay("2026-03-29")).toBe(utc("2026-03-29T22:00:00Z"));
    expect(endOfAmsterdamDay("2026-03-29") - amsterdamMidnight("2026-03-29")).toBe(23 * HOUR);
  });
});

describe("Amsterdam time around the change to winter time (last Sunday of October)", () => {
  it("shows the hour from 02:00 twice", () => {
    expect(amsterdamIsoDateTime(utc("2026-10-25T00:30:00Z"))).toBe("2026-10-25 02:30");
    expect(amsterdamIsoDateTime(utc("2026-10-25T01:30:00Z"))).toBe("2026-10-25 02:30");
    expect(amsterdamIsoDateTime(utc("2026-10-25T02:00:00Z"))).toBe("2026-10-25 03:00");
  });

  it("reads a typed time in the hour that happens twice as its first occurrence, and gives it back", () => {
    expect(fromLocalInput("2026-10-25T02:30")).toBe(utc("2026-10-25T00:30:00Z"));
    expect(toLocalInput(fromLocalInput("2026-10-25T02:30"))).toBe("2026-10-25T02:30");
    expect(fromLocalInput("2026-10-25T03:00")).toBe(utc("2026-10-25T02:00:00Z"));
    expect(fromLocalInput("2026-10-25T01:59")).toBe(utc("2026-10-24T23:59:00Z"));
  });

  it("makes the day of the change 25 hours long", () => {
    expect(amsterdamMidnight("2026-10-25")).toBe(utc("2026-10-24T22:00:00Z"));
    expect(endOfAmsterdamDay("2026-10-25")).toBe(utc("2026-10-25T23:00:00Z"));
  });
});

describe("every part of the register that speaks Amsterdam time uses the same clock", () => {
  it("turns the day at Amsterdam's midnight, not UTC's, in summer and in winter", () => {
    // 22:30 UTC on 2026-07-01 is already 2 July in Amsterdam; 23:30 UTC on 2026-12-31 is already the new year.
    expect(todayIso(new Date("2026-07-01T22:30:00Z"))).toBe("2026-07-02");
    expect(todayIso(new Date("2026-12-31T23:30:00Z"))).toBe("2027-01-01");
    expect(todayIso(new Date("2026-12-31T22:59:00Z"))).toBe("2026-12-31");
    expect(amsterdamDate(utc("2026-03-28T23:00:00Z"))).toBe("2026-03-29");
  });

  it("formats dates and times for people in Amsterdam time on both sides of a change", () => {
    expect(formatDateTime(new Date("2026-03-29T00:59:00Z"))).toBe("29-03-2026 01:59");
    expect(formatDateTime(utc("2026-03-29T01:00:00Z"))).toBe("29-03-2026 03:00");
    expect(formatDateTime("2026-10-25T01:30:00.000Z")).toBe("25-10-2026 02:30");
    expect(formatDate(new Date("2026-10-24T22:00:00Z"))).toBe("25-10-2026");
    expect(formatDate("2026-10-25")).toBe("25-10-2026");
  });

  it("lets an API token valid until a day work up to that day's Amsterdam midnight, also on the long and short days", () => {
    expect(endOfDayInAmsterdam("2026-12-31").toISOString()).toBe("2026-12-31T23:00:00.000Z");
    expect(endOfDayInAmsterdam("2026-07-31").toISOString()).toBe("2026-07-31T22:00:00.000Z");
    expect(endOfDayInAmsterdam("2026-03-28").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(endOfDayInAmsterdam("2026-10-24").toISOString()).toBe("2026-10-24T22:00:00.000Z");
  });

  it("refuses text that is no existing day or moment", () => {
    expect(fromLocalInput("2026-02-30T10:00")).toBeUndefined();
    expect(fromLocalInput("2026-03-01")).toBeUndefined();
    expect(() => amsterdamMidnight("2026-02-30")).toThrow(RangeError);
  });
});
