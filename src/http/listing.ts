// Lists: search, filters, sortable columns and pagination from the query string. A filter value that does
// not parse falls back to "no filter" rather than failing the page: these are links people share and edit.
import { z } from "zod";

export const PAGE_SIZE = 50;

export function listQuery<S extends readonly [string, ...string[]]>(sortKeys: S, defaultSort: S[number], defaultDir: "asc" | "desc" = "asc") {
  return z.object({
    q: z.preprocess((v) => (typeof v === "string" ? v.trim().slice(0, 100) : undefined), z.string().optional()).transform((v) => v || undefined),
    sort: z.enum(sortKeys).catch(defaultSort),
    dir: z.enum(["asc", "desc"]).catch(defaultDir),
    page: z.coerce.number().int().min(1).max(100000).catch(1),
  });
}

/** An optional positive id from the query string ("" or garbage means none). */
export const optionalId = () => z.coerce.number().int().positive().optional().catch(undefined);
/** An optional value from a fixed list. */
export const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional().catch(undefined);

type Query = Record<string, string | number | undefined>;

/** The list's address with these query values (empty ones and page 1 left out). */
export function listHref(base: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== "" && !(key === "page" && value === 1)) params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${base}?${qs}` : base;
}

/** Column headers that sort: each with its link and aria-sort for the current column. */
export function sortHeaders(base: string, query: Query & { sort: string; dir: "asc" | "desc" }, columns: { key: string; label: string }[]) {
  return columns.map(({ key, label }) => {
    const active = query.sort === key;
    const nextDir = active && query.dir === "asc" ? "desc" : "asc";
    return {
      key,
      label,
      href: listHref(base, { ...query, sort: key, dir: nextDir, page: 1 }),
      ariaSort: active ? (query.dir === "asc" ? "ascending" : "descending") : "none",
      active,
      dir: query.dir,
    };
  });
}

export function pagination(base: string, query: Query & { page: number }, total: number, pageSize = PAGE_SIZE) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(query.page, pages);
  return {
    total,
    page,
    pages,
    offset: (page - 1) * pageSize,
    limit: pageSize,
    from: total === 0 ? 0 : (page - 1) * pageSize + 1,
    to: Math.min(total, page * pageSize),
    prev: page > 1 ? listHref(base, { ...query, page: page - 1 }) : undefined,
    next: page < pages ? listHref(base, { ...query, page: page + 1 }) : undefined,
  };
}

/** LIKE pattern for a search term, with % and _ taken literally (used with ESCAPE '\'). */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * A ticked filter box: the checkbox partial sends "on", links send "1". Anything else means not ticked.
 * The value stays "1" so links built from the query keep working.
 */
export const flagParam = () =>
  z
    .enum(["1", "on"])
    .optional()
    .catch(undefined)
    .transform((v) => (v ? ("1" as const) : undefined));
