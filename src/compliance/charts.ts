// Server-rendered charts: the geometry is computed here, the template only draws it. Every chart also
// carries its numbers as text (the figcaption), so nothing depends on seeing the colours.
import { STATUSES, statusLabel } from "./compliance.service";
import type { Status } from "./rules";

export type BarSegment = { status: Status; label: string; count: number; x: number; width: number; percent: number };

/** One horizontal bar, 100 units wide, split by status in the order red, orange, green, grey. */
export function statusBar(counts: Record<Status, number>): { total: number; segments: BarSegment[] } {
  const total = STATUSES.reduce((sum, s) => sum + counts[s], 0);
  let x = 0;
  const segments = STATUSES.map((status) => {
    const width = total ? (counts[status] / total) * 100 : 0;
    const segment = { status, label: statusLabel(status), count: counts[status], x: round(x), width: round(width), percent: Math.round(width) };
    x += width;
    return segment;
  });
  return { total, segments };
}

const round = (n: number) => Math.round(n * 100) / 100;

/** The share in order: green among the applications the rules apply to (grey left out). */
export function shareInOrder(counts: Record<Status, number>): number | null {
  const applicable = counts.red + counts.orange + counts.green;
  return applicable ? Math.round((counts.green / applicable) * 100) : null;
}
