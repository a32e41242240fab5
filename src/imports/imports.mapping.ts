// Which file column feeds which register field. Headings are matched to the template's headings and their
// aliases; when a heading is not recognised or a required field has no column, the privacy officer maps the
// columns in a form first (the guesses pre-filled).
import { t } from "../i18n";
import { fieldsOf, headingOf, normaliseHeading, type ImportKind } from "./imports.fields";

/** One entry per file column: the field it feeds, or null (not imported). */
export type Mapping = (string | null)[];

export function guessMapping(kind: ImportKind, headers: string[]): Mapping {
  const fields = fieldsOf(kind);
  const known = new Map<string, string>();
  // Template headings first, then aliases: "Leverancier" is the supplier, even where a field lists it as alias.
  for (const field of fields) known.set(normaliseHeading(headingOf(kind, field.key)), field.key);
  for (const field of fields) for (const alias of field.aliases ?? []) if (!known.has(normaliseHeading(alias))) known.set(normaliseHeading(alias), field.key);
  const taken = new Set<string>();
  return headers.map((heading) => {
    const key = known.get(normaliseHeading(heading));
    if (!key || taken.has(key)) return null;
    taken.add(key);
    return key;
  });
}

/** The mapping's problems: a field chosen twice (at each such column), required fields without a column. */
export function mappingProblems(kind: ImportKind, mapping: Mapping): { columns: Record<number, string>; missing: string[] } {
  const columns: Record<number, string> = {};
  const seen = new Map<string, number>();
  mapping.forEach((key, index) => {
    if (!key) return;
    const first = seen.get(key);
    if (first !== undefined) {
      columns[index] = t("imports.mapping.twice", { field: headingOf(kind, key) });
      columns[first] ??= t("imports.mapping.twice", { field: headingOf(kind, key) });
    } else seen.set(key, index);
  });
  const missing = fieldsOf(kind)
    .filter((f) => f.required && !seen.has(f.key))
    .map((f) => headingOf(kind, f.key));
  return { columns, missing };
}

/**
 * Whether to show the mapping form before the preview: a heading with data that matched nothing, a
 * field chosen twice, or a required field without a column.
 */
export function needsMapping(kind: ImportKind, headers: string[], mapping: Mapping): boolean {
  const problems = mappingProblems(kind, mapping);
  if (problems.missing.length || Object.keys(problems.columns).length) return true;
  return headers.some((heading, index) => heading !== "" && mapping[index] === null);
}
