// The OpenAPI document says what the server enforces: it passes a strict lint, shows every limit of the input
// (page size, id ranges, non-blank names, lengths, dates, choices), has examples, and documents the 405 of every
// path with the methods the router really has.
import { execFile } from "node:child_process";
import request from "supertest";
import { createToken } from "../src/api/tokens.service";
import type { CurrentUser } from "../src/http/policy";
import { buildTestApp, makeUser, type TestContext } from "./helpers/app";

jest.setTimeout(60_000);

type Json = Record<string, unknown>;
type Problem = { severity: string; ruleId: string; message: string; pointer?: string };

let ctx: TestContext;
let doc: Json;
let token: string;

beforeAll(async () => {
  ctx = buildTestApp();
  doc = (await request(ctx.app).get("/api/v1/openapi.json")).body as Json;
  const admin = await makeUser(ctx.db, "admin");
  token = createToken(ctx.db, { ...admin, schoolIds: [] } as CurrentUser, { name: "document" }).token;
});
afterAll(() => ctx.close());

/**
 * redocly's openapi-core is an ES module that jest does not load: the lint runs in a child node, the document
 * on its stdin. recommended-strict turns every warning into an error; the extra rules ask for descriptions of
 * every operation, parameter and tag, and for valid parameter examples.
 */
function lint(document: Json): Promise<Problem[]> {
  const script = `
    import { createConfig, lintFromString } from "@redocly/openapi-core";
    let source = "";
    for await (const chunk of process.stdin) source += chunk;
    const config = await createConfig({
      extends: ["recommended-strict"],
      rules: {
        "operation-description": "error",
        "parameter-description": "error",
        "tag-description": "error",
        "operation-tag-defined": "error",
        "operation-singular-tag": "error",
        "no-invalid-parameter-examples": "error",
        "no-invalid-schema-examples": "error",
        "no-invalid-media-type-examples": { severity: "error", allowAdditionalProperties: false },
        "no-unused-components": "error",
      },
    });
    const problems = await lintFromString({ source, absoluteRef: "openapi.json", config });
    process.stdout.write(JSON.stringify(problems.map((p) => ({ severity: p.severity, ruleId: p.ruleId, message: p.message, pointer: p.location?.[0]?.pointer }))));
  `;
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ["--input-type=module", "-e", script], { cwd: process.cwd(), maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${err.message}\n${stderr}`));
      resolve(JSON.parse(stdout) as Problem[]);
    });
    child.stdin!.end(JSON.stringify(document));
  });
}

const METHODS = ["get", "post", "patch"] as const;
const operations = () =>
  Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] as Json })),
  );
const parameter = (path: string, method: string, name: string) =>
  (((doc.paths as Record<string, Json>)[path]![method] as Json).parameters as Json[]).find((p) => p.name === name)!;
const schemaOf = (name: string) => (doc.components as { schemas: Record<string, Json> }).schemas[name]!;
const property = (schema: string, name: string) => (schemaOf(schema).properties as Record<string, Json>)[name]!;
/** A property's schema without its null alternative. */
const nonNull = (schema: Json): Json => ((schema.anyOf as Json[] | undefined)?.find((s) => s.type !== "null") ?? schema) as Json;

it("passes a strict lint (recommended-strict and more) with no errors and no warnings", async () => {
  const problems = await lint(doc);
  expect(problems).toEqual([]);
});

it("the lint is not blind: a document without a licence or without an operation's description fails it", async () => {
  const broken = structuredClone(doc) as { info: Json; paths: Record<string, Record<string, Json>> };
  delete broken.info.license;
  delete broken.paths["/compliance"]!.get!.description;
  const problems = await lint(broken as unknown as Json);
  expect(problems.map((p) => p.ruleId).sort()).toEqual(["info-license", "operation-description"]);
});

it("states the page size maximum, the page range and the id range of every list and every path id", () => {
  for (const { path, method, op } of operations()) {
    const params = (op.parameters ?? []) as Json[];
    const perPage = params.find((p) => p.name === "per_page");
    if (perPage) {
      expect(perPage.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 200, default: 50 });
      expect(params.find((p) => p.name === "page")!.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 100_000 });
    }
    const id = params.find((p) => p.in === "path");
    if (id) expect(id.schema).toEqual({ type: "integer", minimum: 1, maximum: 999_999_999 });
    const success = ((op.responses as Record<string, Json>)["200"]?.content as Record<string, { schema: Json }> | undefined)?.["application/json"]?.schema;
    if (String(success?.$ref).endsWith("Page")) expect([path, method, perPage]).toEqual([path, method, expect.anything()]);
  }
  expect(parameter("/applications", "get", "supplier").schema).toEqual({ type: "integer", minimum: 1, maximum: 999_999_999 });
  expect(parameter("/applications", "get", "q").schema).toEqual({ type: "string", maxLength: 100 });
  expect(parameter("/applications", "get", "archived").schema).toEqual({ type: "boolean" });
});

it("states in the request schemas the non-blank names, lengths, ranges, choices, date formats and ids ≥ 1", () => {
  for (const [schema, field, max] of [
    ["ApplicationInput", "name", 200],
    ["AgreementInput", "reference", 100],
    ["ClassificationInput", "rationale", 5000],
  ] as const) {
    expect(property(schema, field)).toMatchObject({ type: "string", minLength: 1, pattern: "\\S", maxLength: max });
    expect(schemaOf(schema).required).toContain(field);
  }
  expect(nonNull(property("ApplicationInput", "description"))).toEqual({ type: "string", maxLength: 5000 });
  expect(property("ApplicationInput", "supplierId")).toMatchObject({ type: "integer", minimum: 1, maximum: 999_999_999 });
  expect(property("ApplicationInput", "functionIds")).toMatchObject({ type: "array", items: { type: "integer", minimum: 1, maximum: 999_999_999 } });
  expect(nonNull(property("ApplicationInput", "costOneTimeCents"))).toEqual({ type: "integer", minimum: 0, maximum: 10_000_000_000 });
  expect(property("ApplicationInput", "lifecycle")).toMatchObject({ enum: ["aangevraagd", "in_gebruik", "uitfaseren", "uitgefaseerd"] });
  expect(nonNull(property("AgreementInput", "breachNotificationHours"))).toEqual({ type: "integer", minimum: 0, maximum: 10_000 });
  expect(nonNull(property("AgreementInput", "signedOn"))).toMatchObject({ type: "string", format: "date" });
  expect(String(property("AgreementInput", "signedOn").description)).toContain("Niet in de toekomst");
  expect(property("AgreementInput", "subProcessors")).toMatchObject({ type: "array", maxItems: 100 });
  expect(property("ClassificationInput", "assessedOn")).toMatchObject({ type: "string", format: "date" });
  expect(String(property("ClassificationInput", "assessedOn").description)).toContain("Niet in de toekomst");
  expect(property("ClassificationInput", "basedOn")).toMatchObject({ type: "integer", minimum: 0 });
  for (const name of ["ApplicationInput", "ApplicationPatch", "AgreementInput", "ClassificationInput"]) expect(schemaOf(name).additionalProperties).toBe(false);
  // The rules between fields that JSON Schema can state, it states.
  expect(schemaOf("ApplicationInput").allOf).toEqual([
    expect.objectContaining({ if: expect.objectContaining({ properties: { dataInEea: { const: false } } }), then: expect.objectContaining({ required: ["transferMechanism"] }) }),
  ]);
  expect(schemaOf("AgreementInput").allOf).toEqual(
    expect.arrayContaining([expect.objectContaining({ if: expect.objectContaining({ properties: { status: { const: "ondertekend" } } }), then: expect.objectContaining({ required: ["signedOn"] }) })]),
  );
});

it("gives every operation an example of its answer, and every request body one of its own", () => {
  for (const { op } of operations()) {
    const responses = op.responses as Record<string, Json>;
    const success = Object.keys(responses).find((code) => code.startsWith("2"))!;
    const media = (responses[success]!.content as Record<string, Json>)["application/json"]!;
    if (op.operationId !== "getOpenapiJson") expect(Object.keys(media.examples as Json).length).toBeGreaterThan(0);
    const body = op.requestBody as { content: Record<string, Json> } | undefined;
    if (body) expect(Object.keys(body.content["application/json"]!.examples as Json).length).toBeGreaterThan(0);
    for (const [code, response] of Object.entries(responses)) {
      if (code.startsWith("4")) expect(Object.keys(((response.content as Record<string, Json>)["application/json"]!.examples as Json) ?? {})).toHaveLength(1);
    }
  }
});

it("documents for every path which methods it has, and any other method answers 405 with exactly those in Allow", async () => {
  for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
    const documented = METHODS.filter((m) => item[m]).flatMap((m) => (m === "get" ? ["GET", "HEAD"] : [m.toUpperCase()]));
    expect(item.description).toBe(`Methoden: ${documented.join(", ")}. Elke andere methode geeft 405 met de header Allow: ${documented.join(", ")}.`);
    const concrete = `/api/v1${path.replace("{id}", "1")}`;
    for (const method of ["put", "delete", "post", "patch"] as const) {
      if (documented.includes(method.toUpperCase())) continue;
      const res = await request(ctx.app)[method](concrete).set("Authorization", `Bearer ${token}`);
      expect([path, method, res.status, res.headers.allow]).toEqual([path, method, 405, documented.join(", ")]);
    }
  }
});
