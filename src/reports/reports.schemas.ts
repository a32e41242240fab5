// The query of a report download. Unlike the lists (src/http/listing.ts), a report is evidence: a filter that
// does not parse is refused with a clear 400 instead of silently meaning "no filter".
import { z } from "zod";
import { STATUSES } from "../compliance/compliance.service";
import type { Status } from "../compliance/rules";
import { BadRequestError } from "../http/errors";
import { field } from "../http/validation";
import { t } from "../i18n";
import { formatDate } from "../lib/format";
import { isReportKey, type FilterName, type ReportDefinition, type ReportKey } from "./reports.catalogue";
import { FORMATS, type Format } from "./reports.service";

export type ReportQuery = {
  format: Format;
  school?: number;
  status?: Status;
  days?: number;
  from?: string;
  to?: string;
  type?: string;
  /** The reference date (peildatum) asked for. */
  date?: string;
};

/** Query parameters and the filter they belong to; format and date belong to every report. */
const PARAMS: Record<string, FilterName | "always"> = {
  format: "always",
  date: "always",
  school: "school",
  status: "status",
  days: "days",
  from: "period",
  to: "period",
  type: "type",
};

const isoDate = z.iso.date();
const PARSERS = {
  school: z.string().regex(/^\d{1,9}$/).transform(Number).pipe(z.number().int().positive()),
  status: z.enum(STATUSES as [Status, ...Status[]]),
  days: z.string().regex(/^\d{1,3}$/).transform(Number).pipe(z.number().int().min(0).max(730)),
  type: z.string().regex(/^[a-z][a-z_]{0,39}$/),
  format: z.enum(FORMATS),
} as const;

const filterName = (param: string) => t(`reports.filters.${param === "date" ? "referenceDate" : param}`);

export function parseReportKey(value: unknown): ReportKey {
  if (typeof value !== "string" || !isReportKey(value)) throw new BadRequestError(t("reports.errors.unknownReport"));
  return value;
}

/** One value per parameter: a repeated parameter (?school=1&school=2) or a nested one is refused. */
function single(query: Record<string, unknown>, param: string): string | undefined {
  const value = query[param];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new BadRequestError(t("reports.errors.repeatedFilter", { filter: filterName(param) }));
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

function date(query: Record<string, unknown>, param: string): string | undefined {
  const value = single(query, param);
  if (value === undefined) return undefined;
  if (!isoDate.safeParse(value).success) throw new BadRequestError(t("reports.errors.impossibleDate", { value: value.slice(0, 40) }));
  return value;
}

export function parseReportQuery(query: Record<string, unknown>, definition: ReportDefinition, today: string): ReportQuery {
  for (const [param, filter] of Object.entries(PARAMS)) {
    if (filter !== "always" && !definition.filters.includes(filter) && single(query, param) !== undefined) {
      throw new BadRequestError(t("reports.errors.filterNotApplicable", { filter: filterName(param) }));
    }
  }
  const parse = <K extends keyof typeof PARSERS>(param: K): z.infer<(typeof PARSERS)[K]> | undefined => {
    const value = single(query, param);
    if (value === undefined) return undefined;
    const parsed = PARSERS[param].safeParse(value);
    if (!parsed.success) throw new BadRequestError(t(param === "format" ? "reports.errors.unknownFormat" : "reports.errors.invalidFilter", { filter: filterName(param) }));
    return parsed.data as z.infer<(typeof PARSERS)[K]>;
  };

  const format = parse("format");
  if (!format) throw new BadRequestError(t("reports.errors.unknownFormat"));
  const referenceDate = date(query, "date");
  if (referenceDate !== undefined && referenceDate > today) throw new BadRequestError(t("reports.errors.futureDate", { date: formatDate(referenceDate) }));
  if (referenceDate !== undefined && referenceDate < today && !definition.pastReferenceDate) throw new BadRequestError(t("reports.errors.pastNotAllowed"));
  const from = date(query, "from");
  const to = date(query, "to");
  if (from !== undefined && from > today) throw new BadRequestError(t("reports.errors.futureDate", { date: formatDate(from) }));
  if (from !== undefined && to !== undefined && from > to) throw new BadRequestError(t("reports.errors.periodReversed"));
  return { format, school: parse("school"), status: parse("status"), days: parse("days"), from, to, type: parse("type"), date: referenceDate };
}

export const snapshotInput = z.object({ title: field.text(200) });
export type SnapshotInput = z.infer<typeof snapshotInput>;
