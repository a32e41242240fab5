import { nl, type Texts } from "./nl";

type Dict = { [key: string]: string | Dict };

/** Looks up a Dutch text by its dotted key and fills in {placeholders}. An unknown key throws. */
export function t(key: string, params: Record<string, string | number> = {}): string {
  let node: string | Dict | undefined = nl as unknown as Dict;
  for (const part of key.split(".")) {
    node = typeof node === "object" ? node[part] : undefined;
    if (node === undefined) throw new Error(`Onbekende tekstsleutel: ${key}`);
  }
  if (typeof node !== "string") throw new Error(`Tekstsleutel is geen tekst: ${key}`);
  return node.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The label of one value of an enumeration: labelOf("agreementModels", "4.0"). The code may contain dots. */
export function labelOf(group: string, code: string): string {
  let node: string | Dict | undefined = nl as unknown as Dict;
  for (const part of group.split(".")) node = typeof node === "object" ? node[part] : undefined;
  if (typeof node !== "object") throw new Error(`Onbekende waardelijst ${group}`);
  const label = node[code];
  // A value stored by an older version that this one no longer knows shows as itself: a page never fails on data.
  return typeof label === "string" ? label : code;
}

/** The labels of one enumeration, e.g. labels("lifecycles") → { aangevraagd: "Aangevraagd", ... }. */
export function labels<K extends keyof Texts>(group: K): Texts[K] {
  return nl[group];
}

export { nl };

/** The Dutch name of a record field (for the change history): nl[group].fields, then nl.fields, else the code name. */
export function fieldLabel(key: string, group?: string): string {
  const own = group ? ((nl as unknown as Record<string, { fields?: Record<string, string> }>)[group]?.fields ?? {})[key] : undefined;
  return own ?? (nl.fields as Record<string, string>)[key] ?? key;
}
