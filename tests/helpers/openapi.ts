// Checking answers against the OpenAPI document with ajv: the document's component schemas become one ajv schema
// with the id "api", and every $ref to them is pointed there.
type Json = Record<string, unknown>;

export function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Json).map(([k, v]) => [k, k === "$ref" && typeof v === "string" ? v.replace("#/components/schemas/", "api#/$defs/") : rewriteRefs(v)]),
    );
  }
  return value;
}
