// An API fuzzer driven by the OpenAPI document: for every operation it generates requests the document allows
// (path ids, query parameters, JSON bodies and the If-Match header, from the document's own JSON schemas) and
// sends them as a privacy officer to the demo board. The server must never answer 500, must answer every
// allowed request with success, and may refuse only where the document says a request can still fail: an id
// that does not exist (404 in the path, 422 in the body), a stale version or classification (409/412/428), and
// the rules the document states in words because JSON Schema cannot (a date not in the future, an end after a
// start, a name the supplier already has, a confidentiality below what the data ask). Every answer must match
// the response the document describes for its status.
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import request from "supertest";
import { applicationsWithSupplier, successorOf } from "../src/agreements/agreements.repository";
import { createToken } from "../src/api/tokens.service";
import { findDuplicateApplication, functionIdsOf, schoolUsesOf } from "../src/applications/applications.repository";
import { hashPassword } from "../src/auth/passwords";
import { confidentialityTooLow } from "../src/classifications/classifications.questions";
import { currentClassification, impliedConfidentiality } from "../src/classifications/classifications.repository";
import type { Level } from "../src/db/enums";
import { agreements, applications, classifications, dataCategories, dataSubjects, foraFunctions, schools, suppliers, users } from "../src/db/schema";
import { seedDemoBoard } from "../src/demo/demo-board";
import type { CurrentUser } from "../src/http/policy";
import { todayIso } from "../src/lib/dates";
import { buildTestApp, type TestContext } from "./helpers/app";
import { rewriteRefs } from "./helpers/openapi";

jest.setTimeout(180_000);

type Json = Record<string, unknown>;
type Schema = Json;

// Runs per operation: enough to reach the boundaries (lengths, ranges, rules), bounded for two cores. FUZZ_RUNS
// asks for a longer hunt.
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);

let ctx: TestContext;
let doc: Json;
let token: string;
let ajv: Ajv2020;

beforeAll(async () => {
  ctx = buildTestApp();
  await seedDemoBoard(ctx.db, { now: new Date(), hashPassword });
  const officer = ctx.db.select().from(users).where(eq(users.role, "privacy_officer")).get()!;
  token = createToken(ctx.db, { id: officer.id, name: officer.name, email: officer.email, role: "privacy_officer", schoolIds: [] } as CurrentUser, { name: "fuzz" }).token;
  doc = (await request(ctx.app).get("/api/v1/openapi.json")).body as Json;
  ajv = new Ajv2020({ strict: false, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addSchema({ $id: "api", $defs: rewriteRefs((doc.components as Json).schemas) as Json });
});
afterAll(() => ctx.close());

const components = () => (doc.components as { schemas: Record<string, Schema> }).schemas;
const deref = (schema: Schema): Schema => (typeof schema.$ref === "string" ? deref(components()[schema.$ref.split("/").pop()!]!) : schema);
const validators = new Map<string, ValidateFunction>();
function validatorFor(schema: Schema): ValidateFunction {
  const key = JSON.stringify(schema);
  if (!validators.has(key)) validators.set(key, ajv.compile(rewriteRefs(schema) as Json));
  return validators.get(key)!;
}

// ---------------------------------------------------------------------------------------------
// The state of the register: which ids exist, read at the moment a request is sent.

const TABLES = { schools, suppliers, applications, agreements, classifications, "fora-functions": foraFunctions, "data-categories": dataCategories, "data-subjects": dataSubjects };
type Collection = keyof typeof TABLES;
const idsOf = (collection: Collection): number[] => ctx.db.select({ id: TABLES[collection].id }).from(TABLES[collection]).all().map((r) => r.id);

/** Body fields that refer to records, with the collection the document's description names ("bestaande ..."). */
const REFERENCES: Record<string, Collection> = {
  supplierId: "suppliers",
  applicationId: "applications",
  supersedesId: "agreements",
  functionIds: "fora-functions",
  schoolIds: "schools",
  applicationIds: "applications",
  dataCategoryIds: "data-categories",
  dataSubjectIds: "data-subjects",
};
/** A path's {id} refers to the collection its first segment names. */
const collectionOfPath = (path: string) => path.split("/")[1] as Collection;

// Placeholders the generators leave in a request for values that depend on the state when it is sent.
class Existing {
  constructor(
    readonly collection: Collection,
    readonly pick: number,
  ) {}
}
class Latest {} // the newest classification of the body's applicationId (0: none)
class CurrentVersion {} // the version of the application in the path
class CurrentTag {} // its ETag
/** Reasons for exactly the covered applications of another supplier than the body's (reseller), from these texts. */
class ReasonsForOthers {
  constructor(readonly texts: string[]) {}
}

function resolve(value: unknown, state: { latest: number; version: number }): unknown {
  if (value instanceof Existing) {
    const ids = idsOf(value.collection);
    return ids[value.pick % ids.length];
  }
  if (value instanceof Latest) return state.latest;
  if (value instanceof CurrentVersion) return state.version;
  if (value instanceof CurrentTag) return `"${state.version}"`;
  if (value instanceof ReasonsForOthers) return value;
  if (Array.isArray(value)) return value.map((v) => resolve(v, state));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === undefined ? [] : [[k, resolve(v, state)]])));
  return value;
}
/** Reasons for the covered applications of other suppliers, as a client that knows the register sends them. */
function withReasons(body: unknown): unknown {
  if (!body || typeof body !== "object" || !((body as Json).resellerReasons instanceof ReasonsForOthers)) return body;
  const { texts } = (body as Json).resellerReasons as ReasonsForOthers;
  const others = applicationsWithSupplier(ctx.db, ((body as Json).applicationIds ?? []) as number[]).filter((app) => app.supplierId !== (body as Json).supplierId);
  return { ...body, resellerReasons: Object.fromEntries(others.map((app, i) => [String(app.id), texts[i % texts.length]!])) };
}

/** For checking a generated body against its schema before the state is known: any placeholder is id 1. */
const placeholdersAsOne = (value: unknown): unknown =>
  value instanceof Existing || value instanceof Latest || value instanceof CurrentVersion
    ? 1
    : value instanceof ReasonsForOthers
      ? {}
      : Array.isArray(value)
      ? value.map(placeholdersAsOne)
      : value && typeof value === "object"
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, placeholdersAsOne(v)]))
        : value;

// ---------------------------------------------------------------------------------------------
// Arbitraries from JSON Schema

const notSurrogate = (c: number) => c < 0xd800 || c > 0xdfff;
const codePoints = (s: string) => [...s].length;
/** Any Unicode code point but lone surrogates (those cannot be put in a URL). */
const anyChar = fc.integer({ min: 0, max: 0x10ffff }).filter(notSurrogate).map((c) => String.fromCodePoint(c));
const astral = fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c));
const space = fc.constantFrom(" ", "\t", "\n", "\u00a0", "\u2003", "\ufeff");

function stringArb(schema: Schema, inUrl: boolean): fc.Arbitrary<string> {
  const min = Number(schema.minLength ?? 0);
  const max = Math.min(Number(schema.maxLength ?? 200), 10_000);
  if (schema.format === "date") {
    return fc
      .oneof(
        { weight: 4, arbitrary: fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2035-12-31T00:00:00Z"), noInvalidDate: true }) },
        { weight: 1, arbitrary: fc.date({ min: new Date("1000-01-01T00:00:00Z"), max: new Date("9999-12-31T00:00:00Z"), noInvalidDate: true }) },
      )
      .map((d) => d.toISOString().slice(0, 10));
  }
  const pattern = typeof schema.pattern === "string" ? new RegExp(schema.pattern, "u") : undefined;
  const fits = (value: string) => codePoints(value) >= min && codePoints(value) <= max && (!pattern || pattern.test(value));
  if (schema.format === "uri") {
    const urls = fc.webUrl({ validSchemes: ["http", "https"], withQueryParameters: true, withFragments: true });
    return (pattern ? fc.oneof(urls, fc.stringMatching(pattern)) : urls).filter(fits);
  }
  if (pattern && schema.pattern !== "\\S") return fc.stringMatching(pattern).filter(fits);
  const unit = inUrl ? anyChar : fc.oneof(anyChar, fc.string({ unit: "binary", minLength: 1, maxLength: 1 }));
  const short = fc.string({ unit, minLength: min, maxLength: Math.min(max, 24) });
  const variants: fc.Arbitrary<string>[] = [
    fc.string({ unit: "grapheme-ascii", minLength: min, maxLength: Math.min(max, 24) }),
    short,
    // At the limit: exactly `max` characters, some outside the Basic Multilingual Plane (two UTF-16 units each).
    fc.string({ unit: fc.oneof(anyChar, astral), minLength: max, maxLength: max }),
    // White space around, or only white space.
    fc.tuple(fc.string({ unit: space, maxLength: 3 }), short, fc.string({ unit: space, maxLength: 3 })).map(([a, b, c]) => a + b + c),
    fc.string({ unit: space, minLength: Math.max(min, 1), maxLength: 4 }),
  ];
  return fc.oneof(...variants).filter(fits);
}

function integerArb(schema: Schema): fc.Arbitrary<number> {
  const min = Number(schema.minimum ?? -(2 ** 31));
  const max = Number(schema.maximum ?? 2 ** 31);
  return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
}

/** A value the schema allows, with placeholders for references when `name` is a reference field. */
function arb(schemaIn: Schema, options: { inUrl?: boolean; name?: string } = {}): fc.Arbitrary<unknown> {
  const schema = deref(schemaIn);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (Array.isArray(schema.anyOf)) return fc.oneof(...(schema.anyOf as Schema[]).map((s) => arb(s, options)));
  if (Array.isArray(schema.type)) return fc.oneof(...(schema.type as string[]).map((type) => arb({ ...schema, type }, options)));
  switch (schema.type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer": {
      const reference = options.name ? REFERENCES[options.name] : undefined;
      if (!reference) return integerArb(schema);
      return fc.oneof({ weight: 6, arbitrary: fc.nat().map((pick) => new Existing(reference, pick)) }, { weight: 1, arbitrary: integerArb(schema) });
    }
    case "string":
      return stringArb(schema, options.inUrl ?? false);
    case "array": {
      const items = arb(schema.items as Schema, options);
      return fc.array(items, { minLength: Number(schema.minItems ?? 0), maxLength: Math.min(Number(schema.maxItems ?? 4), 4) });
    }
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = (schema.required ?? []) as string[];
      const special = (name: string, s: Schema) =>
        name === "basedOn" ? basedOnArb(s) : name === "version" ? versionArb(s) : name === "resellerReasons" ? reasonsArb(s) : arb(s, { ...options, name });
      const record =
        schema.additionalProperties && typeof schema.additionalProperties === "object"
          ? fc.dictionary(
              stringArb({ type: "string", ...((schema.propertyNames ?? {}) as Schema) }, true),
              arb(schema.additionalProperties as Schema, options),
              { maxKeys: 3 },
            )
          : fc.record(Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, special(name, s)])), { requiredKeys: required });
      // if/then and the other combinators: keep what the whole schema allows.
      const validate = validatorFor(schemaIn);
      return record.filter((value) => validate(placeholdersAsOne(value)));
    }
    default:
      throw new Error(`De fuzzer kent dit schema niet: ${JSON.stringify(schema).slice(0, 200)}`);
  }
}
const basedOnArb = (schema: Schema) => fc.oneof({ weight: 5, arbitrary: fc.constant(new Latest()) }, { weight: 1, arbitrary: integerArb(schema) });
const reasonsArb = (schema: Schema) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.array(stringArb(deref(schema.additionalProperties as Schema), false), { minLength: 1, maxLength: 3 }).map((texts) => new ReasonsForOthers(texts)) },
    { weight: 1, arbitrary: arb(schema) },
  );
const versionArb = (schema: Schema) => fc.oneof({ weight: 5, arbitrary: fc.constant(new CurrentVersion()) }, { weight: 1, arbitrary: integerArb(schema) });

// ---------------------------------------------------------------------------------------------
// Operations and what the document says may still refuse an allowed request

type Operation = { path: string; method: "get" | "post" | "patch"; op: Json };
type Call = { id?: unknown; query: Record<string, unknown>; body?: unknown; ifMatch?: unknown };
/** What the document promises for a request: success, or one refusal (status, and for 422 the fields it may name). */
type Expected = { status: "success" } | { status: number; fields?: string[] };

const operations = (): Operation[] =>
  Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
    (["get", "post", "patch"] as const).filter((m) => item[m]).map((method) => ({ path, method, op: item[method] as Json })),
  );

function callArb({ path, op }: Operation): fc.Arbitrary<Call> {
  const params = (op.parameters ?? []) as Json[];
  const query = params.filter((p) => p.in === "query");
  const pathId = params.find((p) => p.in === "path");
  const ifMatch = params.find((p) => p.name === "If-Match");
  const body = (op.requestBody as { content: Record<string, { schema: Schema }> } | undefined)?.content["application/json"]!.schema;
  const collection = collectionOfPath(path);
  return fc.record({
    id: pathId
      ? fc.oneof({ weight: 5, arbitrary: fc.nat().map((pick) => new Existing(collection, pick)) }, { weight: 1, arbitrary: integerArb(pathId.schema as Schema) })
      : fc.constant(undefined),
    query: fc.record(Object.fromEntries(query.map((p) => [String(p.name), arb(p.schema as Schema, { inUrl: true })])), { requiredKeys: [] }),
    body: body ? arb(body) : fc.constant(undefined),
    ifMatch: ifMatch
      ? fc.oneof(
          fc.constant(undefined),
          fc.constant(new CurrentTag()),
          fc.constant("*"),
          fc.integer({ min: 0, max: 50 }).map((v) => `"${v}"`),
          fc.constantFrom('W/"1"', '"1", "2", "3"'),
          stringArb(ifMatch.schema as Schema, true),
        )
      : fc.constant(undefined),
  });
}

const today = () => todayIso();
const refusal = (status: number, fields?: string[]): Expected => ({ status, fields });

/** Ids in a body that do not exist: the document says 422 at that field. */
function unknownReferences(body: Json): string[] {
  return Object.entries(REFERENCES).flatMap(([field, collection]) => {
    const value = body[field];
    if (value === undefined || value === null) return [];
    const known = new Set(idsOf(collection));
    return (Array.isArray(value) ? value : [value]).some((id) => !known.has(id as number)) ? [field] : [];
  });
}

function expectedFor(operation: Operation, call: Call, current: { version: number; latest: number; exists: boolean }): Expected {
  const { method, path } = operation;
  if (call.id !== undefined && !current.exists) return refusal(404);
  if (method === "get") return { status: "success" };
  const body = call.body as Json;
  if (path === "/applications" && method === "post") {
    const refused = [...unknownReferences(body), ...(findDuplicateApplication(ctx.db, String(body.name).trim(), body.supplierId as number) ? ["name"] : [])];
    return refused.length ? refusal(422, refused) : { status: "success" };
  }
  if (path === "/applications/{id}" && method === "patch") {
    const ifMatch = call.ifMatch as string | undefined;
    if (ifMatch !== undefined && ifMatch.trim() !== "*" && !ifMatch.split(",").some((tag) => tag.trim() === `"${current.version}"`)) return refusal(412);
    if (body.version === undefined && ifMatch === undefined) return refusal(428);
    if (body.version !== undefined && body.version !== current.version) return refusal(409);
    const app = ctx.db.select().from(applications).where(eq(applications.id, call.id as number)).get()!;
    const merged: Json = {
      ...app,
      functionIds: functionIdsOf(ctx.db, app.id),
      schoolIds: schoolUsesOf(ctx.db, app.id).map((s) => s.schoolId),
      ...body,
    };
    if (merged.dataInEea === false && !merged.transferMechanism) return refusal(422, ["transferMechanism"]);
    const refused = [...unknownReferences(merged), ...(findDuplicateApplication(ctx.db, String(merged.name).trim(), merged.supplierId as number, app.id) ? ["name"] : [])];
    return refused.length ? refusal(422, refused) : { status: "success" };
  }
  if (path === "/agreements" && method === "post") {
    // The rules in the field descriptions: signedOn not in the future, endsOn not before startsOn.
    const dates = [
      ...(body.signedOn && (body.signedOn as string) > today() ? ["signedOn"] : []),
      ...(body.startsOn && body.endsOn && (body.endsOn as string) < (body.startsOn as string) ? ["endsOn"] : []),
    ];
    if (dates.length) return refusal(422, dates);
    const refused = unknownReferences(body);
    if (body.supersedesId && !refused.includes("supersedesId") && successorOf(ctx.db, body.supersedesId as number)) refused.push("supersedesId");
    // resellerReasons: one for each covered application of another supplier, and only for those.
    const reasons = (body.resellerReasons ?? {}) as Json;
    const covered = new Map(applicationsWithSupplier(ctx.db, (body.applicationIds ?? []) as number[]).map((app) => [String(app.id), app]));
    for (const [id, app] of covered) if (app.supplierId !== body.supplierId && reasons[id] === undefined) refused.push(`resellerReasons.${id}`);
    for (const id of Object.keys(reasons)) if (!covered.has(id) || covered.get(id)!.supplierId === body.supplierId) refused.push(`resellerReasons.${id}`);
    return refused.length ? refusal(422, refused) : { status: "success" };
  }
  if (path === "/classifications" && method === "post") {
    const dates = [
      ...((body.assessedOn as string) > today() ? ["assessedOn"] : []),
      ...((body.nextReviewOn as string) <= (body.assessedOn as string) ? ["nextReviewOn"] : []),
    ];
    if (dates.length) return refusal(422, dates);
    const unknown = unknownReferences(body);
    if (unknown.length) return refusal(422, unknown);
    if (body.basedOn !== current.latest) return refusal(409);
    const implied = impliedConfidentiality(ctx.db, body.applicationId as number).level;
    if (confidentialityTooLow(body.confidentiality as Level, implied) && body.acknowledgeLowConfidentiality !== true) return refusal(422, ["confidentiality"]);
    return { status: "success" };
  }
  throw new Error(`Geen verwachting voor ${method} ${path}`);
}

/** The response is one the document describes for this operation and status, with its headers. */
function expectDocumented(operation: Operation, res: request.Response): void {
  const response = (operation.op.responses as Record<string, Json>)[String(res.status)];
  if (!response) throw new Error(`${operation.method} ${operation.path}: status ${res.status} staat niet in het document\n${JSON.stringify(res.body).slice(0, 500)}`);
  const schema = ((response.content as Record<string, { schema: Schema }>)["application/json"]!).schema;
  const validate = validatorFor(schema);
  if (!validate(res.body)) throw new Error(`${operation.method} ${operation.path} (${res.status}) wijkt af van het document: ${ajv.errorsText(validate.errors)}`);
  for (const header of Object.keys((response.headers ?? {}) as Json)) {
    if (header !== "WWW-Authenticate" && res.headers[header.toLowerCase()] === undefined) throw new Error(`${operation.method} ${operation.path}: header ${header} ontbreekt`);
  }
}

/** Sends one generated request and checks the answer; returns whether it succeeded. */
async function send(operation: Operation, generated: Call): Promise<boolean> {
  const { path, method } = operation;
  // The state this request meets: the record in the path, its version, the newest classification.
  const pathId = resolve(generated.id, { latest: 0, version: 0 }) as number | undefined;
  const table = pathId !== undefined ? TABLES[collectionOfPath(path)] : undefined;
  const record = table ? (ctx.db.select().from(table).where(eq(table.id, pathId!)).get() as { version?: number } | undefined) : undefined;
  const bodyApplication = resolve((generated.body as Json | undefined)?.applicationId, { latest: 0, version: 0 }) as number | undefined;
  const latest = bodyApplication !== undefined ? (currentClassification(ctx.db, bodyApplication)?.id ?? 0) : 0;
  const state = { latest, version: record?.version ?? 1 };
  const call: Call = {
    id: pathId,
    query: resolve(generated.query, state) as Record<string, unknown>,
    body: withReasons(resolve(generated.body, state)),
    ifMatch: resolve(generated.ifMatch, state),
  };
  const expected = expectedFor(operation, call, { ...state, exists: record !== undefined });

  const query = Object.entries(call.query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join("&");
  const url = `/api/v1${path.replace("{id}", String(call.id))}${query ? `?${query}` : ""}`;
  const req = request(ctx.app)[method](url).set("Authorization", `Bearer ${token}`);
  if (call.ifMatch !== undefined) req.set("If-Match", String(call.ifMatch));
  const res = await (call.body === undefined ? req : req.set("Content-Type", "application/json").send(JSON.stringify(call.body)));

  const label = `${method.toUpperCase()} ${url}\n${JSON.stringify(call.body)?.slice(0, 800)}\n→ ${res.status} ${JSON.stringify(res.body).slice(0, 800)}`;
  if (res.status >= 500) throw new Error(`500: ${label}`);
  if (expected.status === "success") {
    if (res.status < 200 || res.status > 299) throw new Error(`Het document staat dit verzoek toe, de server weigert het: ${label}`);
  } else {
    if (res.status !== expected.status) throw new Error(`Verwacht ${expected.status}: ${label}`);
    const named = Object.keys((res.body.error?.fields ?? {}) as Json);
    if (expected.fields && (named.length === 0 || named.some((field) => !expected.fields!.includes(field)))) {
      throw new Error(`Verwacht 422 op ${expected.fields.join(", ")}: ${label}`);
    }
  }
  expectDocumented(operation, res);
  return res.status < 300;
}

// The operations are read after the document is fetched; jest needs the names before, so they are listed here.
const NAMES = [
  "GET /openapi.json",
  "GET /schools",
  "GET /schools/{id}",
  "GET /suppliers",
  "GET /suppliers/{id}",
  "GET /applications",
  "POST /applications",
  "GET /applications/{id}",
  "PATCH /applications/{id}",
  "GET /applications/{id}/status",
  "GET /agreements",
  "POST /agreements",
  "GET /agreements/{id}",
  "GET /classifications",
  "POST /classifications",
  "GET /classifications/{id}",
  "GET /data-categories",
  "GET /data-subjects",
  "GET /fora-functions",
  "GET /compliance",
];

// ---------------------------------------------------------------------------------------------

it("knows every operation of the document, and every reference field is described as one to an existing record", () => {
  const fuzzed = operations().map((o) => `${o.method} ${o.path}`);
  expect(fuzzed.map((name) => name.replace(/^(\w+)/, (m) => m.toUpperCase())).sort()).toEqual([...NAMES].sort());
  for (const name of ["ApplicationInput", "AgreementInput", "ClassificationInput"]) {
    for (const [field, schema] of Object.entries(deref({ $ref: `#/components/schemas/${name}` }).properties as Record<string, Schema>)) {
      if (REFERENCES[field]) expect([name, field, String(schema.description)]).toEqual([name, field, expect.stringContaining("bestaande")]);
    }
  }
});

describe("every request the document allows", () => {
  const cases = () => operations().map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const);
  it.each(NAMES)("%s: no 500, no refusal the document does not announce, every answer as documented", async (name) => {
    const operation = cases().find(([n]) => n === name)?.[1];
    if (!operation) throw new Error(`${name} staat niet (meer) in het document`);
    let succeeded = 0;
    await fc.assert(
      fc.asyncProperty(callArb(operation), async (generated) => {
        if (await send(operation, generated)) succeeded += 1;
      }),
      { numRuns: RUNS },
    );
    // Not a fuzzer that only ever meets refusals: most generated requests are meant to succeed.
    expect(succeeded).toBeGreaterThan(0);
  });
});
