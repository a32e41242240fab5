// The OpenAPI 3.1 description of /api/v1, served at GET /api/v1/openapi.json. Its schemas are JSON Schema
// 2020-12 and strict (additionalProperties: false): tests/api.test.ts validates real responses against them,
// so a field added to a response without documenting it fails the tests.
import { AGREEMENT_MODELS, AGREEMENT_STATUSES, CATEGORY_FLAGS, COVENANT_STATUSES, LEVELS, LIFECYCLES, SECTORS, TRANSFER_MECHANISMS } from "../db/enums";
import { QUESTIONS } from "../classifications/classifications.questions";
import { REASONS } from "../classifications/classifications.schemas";
import { APPLICATION_STATUSES, DEFAULT_PER_PAGE, MAX_PER_PAGE } from "./api.schemas";

type Schema = Record<string, unknown>;

const str: Schema = { type: "string" };
const nstr: Schema = { type: ["string", "null"] };
const int: Schema = { type: "integer" };
const nint: Schema = { type: ["integer", "null"] };
const bool: Schema = { type: "boolean" };
const date: Schema = { type: "string", format: "date" };
const ndate: Schema = { type: ["string", "null"], format: "date" };
const dateTime: Schema = { type: ["string", "null"], format: "date-time" };
const oneOf = (values: readonly string[]): Schema => ({ type: "string", enum: [...values] });
const nOneOf = (values: readonly string[]): Schema => ({ type: ["string", "null"], enum: [...values, null] });
const arrayOf = (items: Schema): Schema => ({ type: "array", items });
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
/** A response object: every property always present (null when empty), nothing else. */
const record = (properties: Record<string, Schema>, description?: string): Schema => ({
  type: "object",
  ...(description ? { description } : {}),
  additionalProperties: false,
  required: Object.keys(properties),
  properties,
});
/** An input object: only the named properties are required; unknown properties are refused (400). */
const input = (properties: Record<string, Schema>, required: string[]): Schema => ({ type: "object", additionalProperties: false, required, properties });
const described = (schema: Schema, description: string): Schema => ({ ...schema, description });

const answers = (key: keyof typeof QUESTIONS) => oneOf(Object.keys(QUESTIONS[key].options));

const schemas: Record<string, Schema> = {
  Error: record(
    {
      error: {
        type: "object",
        additionalProperties: false,
        required: ["status", "message"],
        properties: {
          status: int,
          message: described(str, "Wat er mis is, in het Nederlands."),
          fields: { type: "object", additionalProperties: str, description: "Per veld één melding (bij 400 en 422)." },
          currentVersion: described(int, "Bij 409 op een wijziging: de versie die nu is opgeslagen."),
          currentBasedOn: described(int, "Bij 409 op een classificatie: het id van de nieuwste classificatie (0: geen)."),
        },
      },
    },
    "Elke fout heeft deze vorm.",
  ),
  Ref: record({ id: int, name: str }),
  School: record({
    id: int,
    name: str,
    brin: described(str, "BRIN-code, 2 cijfers en 2 letters."),
    location: described(nstr, "Vestiging (2 cijfers), of null voor de school als geheel."),
    sector: oneOf(SECTORS),
    city: nstr,
    contactName: nstr,
    contactEmail: nstr,
    archived: bool,
    version: int,
  }),
  Supplier: record({
    id: int,
    name: str,
    kvk: described(nstr, "KvK-nummer, 8 cijfers."),
    website: nstr,
    privacyContactName: nstr,
    privacyContactEmail: nstr,
    covenantStatus: oneOf(COVENANT_STATUSES),
    certIso27001: bool,
    certNen7510: bool,
    certRosa: bool,
    notes: nstr,
    archived: bool,
    version: int,
  }),
  Finding: record({
    rule: str,
    severity: oneOf(["red", "orange"]),
    text: described(str, "De bevinding in gewone taal."),
    advice: described(str, "Wat een school eraan kan doen."),
    fix: described(str, "Pad in het register waar het wordt opgelost."),
  }),
  Application: record({
    id: int,
    name: str,
    supplier: ref("Ref"),
    description: nstr,
    goal: nstr,
    lifecycle: oneOf(LIFECYCLES),
    functionalOwner: nstr,
    usedByPupils: bool,
    usedByStaff: bool,
    usedByParents: bool,
    processesPersonalData: bool,
    dataLocationCountry: nstr,
    dataInEea: described({ type: ["boolean", "null"] }, "null: onbekend."),
    transferMechanism: nOneOf(TRANSFER_MECHANISMS),
    costOneTimeCents: described(nint, "Bedragen in eurocenten."),
    costLicencePerYearCents: nint,
    costImplementationCents: nint,
    archived: bool,
    status: described(oneOf(APPLICATION_STATUSES), "red: niet op orde, orange: aandacht nodig, green: op orde, grey: niet van toepassing."),
    updatedAt: dateTime,
    version: described(int, "Stuur deze mee bij PATCH; een verouderde versie geeft 409."),
  }),
  Classification: record({
    id: int,
    applicationId: int,
    availability: oneOf(LEVELS),
    integrity: oneOf(LEVELS),
    confidentiality: oneOf(LEVELS),
    proposedAvailability: nOneOf(LEVELS),
    proposedIntegrity: nOneOf(LEVELS),
    proposedConfidentiality: nOneOf(LEVELS),
    answers: { type: "object", additionalProperties: str },
    rationale: str,
    reason: nstr,
    assessorName: str,
    assessedOn: date,
    nextReviewOn: date,
    createdAt: dateTime,
  }),
  SubProcessor: record({ name: str, service: nstr, country: nstr, inEea: bool }),
  Agreement: record({
    id: int,
    reference: str,
    supplier: ref("Ref"),
    model: oneOf(AGREEMENT_MODELS),
    status: oneOf(AGREEMENT_STATUSES),
    signedOn: ndate,
    startsOn: ndate,
    endsOn: ndate,
    nextReviewOn: ndate,
    signatoryName: nstr,
    signatoryRole: nstr,
    signedViaPortal: bool,
    deviations: nstr,
    deviationsMotivation: nstr,
    annexVersion: nstr,
    annexDate: ndate,
    breachNotificationHours: nint,
    deletionTermDays: nint,
    sivonReviewUrl: nstr,
    sivonRiskLevel: nOneOf(LEVELS),
    notes: nstr,
    supersedesId: nint,
    documentSha256: described(nstr, "SHA-256 van de ondertekende PDF, als die er is."),
    applicationIds: described(arrayOf(int), "Gedekte applicaties; een schoolgebruiker ziet alleen die van de eigen scholen."),
    dataCategoryIds: arrayOf(int),
    dataSubjectIds: arrayOf(int),
    subProcessors: arrayOf(ref("SubProcessor")),
    version: int,
  }),
  DataCategory: record({
    id: int,
    code: str,
    label: str,
    description: nstr,
    flag: nOneOf(CATEGORY_FLAGS),
    minConfidentiality: oneOf(LEVELS),
    isCustom: bool,
    archived: bool,
  }),
  DataSubject: record({ id: int, code: str, label: str, vulnerable: bool, archived: bool }),
  ForaFunction: record({
    id: int,
    code: str,
    name: str,
    description: nstr,
    domain: record({ id: int, code: str, name: str }),
    archived: bool,
  }),
  ComplianceSummary: record({
    counts: record({ red: int, orange: int, green: int, grey: int }),
    total: described(int, "Aantal (niet-gearchiveerde) applicaties."),
  }),
  ApplicationStatus: record({ applicationId: int, name: str, status: oneOf(APPLICATION_STATUSES), statusLabel: str, findings: arrayOf(ref("Finding")) }),
  ApplicationInput: input(
    {
      name: str,
      supplierId: int,
      description: nstr,
      goal: nstr,
      lifecycle: oneOf(LIFECYCLES),
      functionalOwner: nstr,
      usedByPupils: bool,
      usedByStaff: bool,
      usedByParents: bool,
      processesPersonalData: bool,
      dataLocationCountry: nstr,
      dataInEea: { type: ["boolean", "null"] },
      transferMechanism: described(nOneOf(TRANSFER_MECHANISMS), "Verplicht als dataInEea false is."),
      costOneTimeCents: nint,
      costLicencePerYearCents: nint,
      costImplementationCents: nint,
      functionIds: arrayOf(int),
      schoolIds: arrayOf(int),
    },
    ["name", "supplierId"],
  ),
  AgreementInput: input(
    {
      reference: str,
      supplierId: int,
      model: oneOf(AGREEMENT_MODELS),
      status: oneOf(AGREEMENT_STATUSES),
      signedOn: ndate,
      startsOn: ndate,
      endsOn: ndate,
      nextReviewOn: ndate,
      signatoryName: nstr,
      signatoryRole: nstr,
      signedViaPortal: bool,
      deviations: nstr,
      deviationsMotivation: described(nstr, "Verplicht als er afwijkingen zijn."),
      annexVersion: nstr,
      annexDate: ndate,
      breachNotificationHours: nint,
      deletionTermDays: nint,
      sivonReviewUrl: nstr,
      sivonRiskLevel: nOneOf(LEVELS),
      notes: nstr,
      applicationIds: arrayOf(int),
      dataCategoryIds: arrayOf(int),
      dataSubjectIds: arrayOf(int),
      subProcessors: arrayOf(input({ name: str, service: nstr, country: nstr, inEea: bool }, ["name"])),
      supersedesId: nint,
    },
    ["reference", "supplierId", "model", "status"],
  ),
  ClassificationInput: input(
    {
      applicationId: int,
      basedOn: described(int, "Het id van de nieuwste classificatie die u kent (0: geen); is er intussen een nieuwere, dan 409."),
      downtime: answers("downtime"),
      errors: answers("errors"),
      leak: answers("leak"),
      special: answers("special"),
      scale: answers("scale"),
      availability: oneOf(LEVELS),
      integrity: oneOf(LEVELS),
      confidentiality: oneOf(LEVELS),
      acknowledgeLowConfidentiality: described(bool, "Bevestig een V lager dan de verwerkte gegevens vragen."),
      rationale: str,
      reason: oneOf(REASONS),
      assessedOn: date,
      nextReviewOn: date,
    },
    ["applicationId", "basedOn", "downtime", "errors", "leak", "special", "scale", "availability", "integrity", "confidentiality", "rationale", "reason", "assessedOn", "nextReviewOn"],
  ),
};

schemas.ApplicationDetail = {
  ...record({
    ...((schemas.Application as { properties: Record<string, Schema> }).properties),
    findings: arrayOf(ref("Finding")),
    schools: arrayOf(record({ id: int, name: str, brin: str, location: nstr, since: ndate, until: ndate, localContact: nstr })),
    functions: arrayOf(record({ id: int, code: str, name: str, domain: str })),
    data: arrayOf(
      record({
        category: record({ id: int, code: str, label: str }),
        subject: record({ id: int, code: str, label: str }),
        purpose: nstr,
        detail: nstr,
      }),
    ),
    classification: { oneOf: [ref("Classification"), { type: "null" }] },
    agreements: arrayOf(record({ id: int, reference: str, model: oneOf(AGREEMENT_MODELS), status: oneOf(AGREEMENT_STATUSES), startsOn: ndate, endsOn: ndate })),
  }),
  description: "Een applicatie met haar scholen, FORA-functies, verwerkte gegevens, classificatie, overeenkomsten en bevindingen.",
};

const pageSchema = (item: string): Schema =>
  record({
    data: arrayOf(ref(item)),
    page: described(int, "Het paginanummer, vanaf 1."),
    perPage: described(int, "Aantal per pagina."),
    total: described(int, "Totaal aantal records dat aan de filters voldoet."),
  });
for (const item of ["School", "Supplier", "Application", "Agreement", "Classification", "DataCategory", "DataSubject", "ForaFunction"]) {
  schemas[`${item}Page`] = pageSchema(item);
}

// ---------------------------------------------------------------------------------------------

const ERRORS: Record<string, string> = {
  "400": "Onbekende velden of parameters, of een verkeerd type: per veld een melding.",
  "401": "Geen, een onbekende, verlopen of ingetrokken API-sleutel.",
  "403": "Uw rol of scholen geven geen toegang tot dit record of deze handeling.",
  "404": "Bestaat niet.",
  "409": "Intussen door iemand anders gewijzigd: currentVersion (of currentBasedOn) geeft de opgeslagen stand.",
  "415": "De body moet JSON zijn (Content-Type: application/json).",
  "422": "In strijd met een regel van het register: per veld een melding.",
};

const json = (schema: Schema) => ({ content: { "application/json": { schema } } });
const errors = (...codes: string[]) => Object.fromEntries(codes.map((code) => [code, { description: ERRORS[code], ...json(ref("Error")) }]));
const ok = (description: string, schema: Schema, status = "200") => ({ [status]: { description, ...json(schema) } });

const param = (name: string, schema: Schema, description: string, where: "query" | "path" = "query") => ({
  name,
  in: where,
  required: where === "path",
  description,
  schema,
});
const idPath = param("id", { type: "integer", minimum: 1 }, "Het id van het record.", "path");
const paging = [
  param("page", { type: "integer", minimum: 1, default: 1 }, "Paginanummer."),
  param("per_page", { type: "integer", minimum: 1, maximum: MAX_PER_PAGE, default: DEFAULT_PER_PAGE }, `Aantal per pagina (maximaal ${MAX_PER_PAGE}).`),
];
const q = param("q", { type: "string", maxLength: 100 }, "Zoekterm.");
const archived = param("archived", { type: "string", enum: ["true", "false"] }, "true: alleen gearchiveerde records; standaard alleen de huidige.");

type Operation = { summary: string; tags: string[]; parameters?: unknown[]; requestBody?: unknown; responses: Record<string, unknown>; security?: unknown[] };

const list = (tag: string, summary: string, item: string, parameters: unknown[], extraErrors: string[] = []): Operation => ({
  summary,
  tags: [tag],
  parameters: [...paging, ...parameters],
  responses: { ...ok("Een pagina met records.", ref(`${item}Page`)), ...errors("400", "401", "403", ...extraErrors) },
});
const show = (tag: string, summary: string, schema: string): Operation => ({
  summary,
  tags: [tag],
  parameters: [idPath],
  responses: { ...ok("Het record.", ref(schema)), ...errors("400", "401", "403", "404") },
});
const create = (tag: string, summary: string, inputSchema: string, outputSchema: string, extraErrors: string[] = []): Operation => ({
  summary,
  tags: [tag],
  requestBody: { required: true, ...json(ref(inputSchema)) },
  responses: { ...ok("Aangemaakt; Location wijst naar het nieuwe record.", ref(outputSchema), "201"), ...errors("400", "401", "403", "415", "422", ...extraErrors) },
});

const paths: Record<string, Record<string, Operation>> = {
  "/openapi.json": {
    get: { summary: "Deze beschrijving van de API (zonder sleutel op te vragen).", tags: ["API"], security: [], responses: ok("Het OpenAPI-document.", { type: "object" }) },
  },
  "/schools": {
    get: list("Scholen", "Scholen; een schoolgebruiker ziet alleen de eigen scholen.", "School", [q, param("sector", oneOf(SECTORS), "Sector."), archived]),
  },
  "/schools/{id}": { get: show("Scholen", "Eén school.", "School") },
  "/suppliers": {
    get: list("Leveranciers", "Leveranciers (niet voor schoolgebruikers).", "Supplier", [q, param("covenant", oneOf(COVENANT_STATUSES), "Status onder het convenant."), archived]),
  },
  "/suppliers/{id}": { get: show("Leveranciers", "Eén leverancier.", "Supplier") },
  "/applications": {
    get: list(
      "Applicaties",
      "Applicaties met hun status; een schoolgebruiker ziet alleen de applicaties van de eigen scholen.",
      "Application",
      [
        q,
        param("status", oneOf(APPLICATION_STATUSES), "Alleen applicaties met deze status."),
        param("school", { type: "integer", minimum: 1 }, "Alleen applicaties die deze school gebruikt (een andere school dan de eigen: 403)."),
        param("supplier", { type: "integer", minimum: 1 }, "Alleen applicaties van deze leverancier."),
        param("lifecycle", oneOf(LIFECYCLES), "Levensfase."),
        archived,
      ],
    ),
    post: create("Applicaties", "Een applicatie toevoegen (beheerder, privacy officer).", "ApplicationInput", "ApplicationDetail"),
  },
  "/applications/{id}": {
    get: show("Applicaties", "Eén applicatie met scholen, functies, gegevens, classificatie en bevindingen.", "ApplicationDetail"),
    patch: {
      summary: "Een applicatie wijzigen: alleen de meegestuurde velden, met de version die u kent (beheerder, privacy officer).",
      tags: ["Applicaties"],
      parameters: [idPath],
      requestBody: {
        required: true,
        ...json({
          ...(schemas.ApplicationInput as Schema),
          required: ["version"],
          properties: { ...((schemas.ApplicationInput as { properties: Record<string, Schema> }).properties), version: int },
        }),
      },
      responses: { ...ok("De gewijzigde applicatie.", ref("ApplicationDetail")), ...errors("400", "401", "403", "404", "409", "415", "422") },
    },
  },
  "/applications/{id}/status": { get: show("Applicaties", "De status en bevindingen van één applicatie.", "ApplicationStatus") },
  "/agreements": {
    get: list("Verwerkersovereenkomsten", "Verwerkersovereenkomsten; een schoolgebruiker ziet die voor de applicaties van de eigen scholen.", "Agreement", [
      q,
      param("status", oneOf(AGREEMENT_STATUSES), "Status."),
      param("model", oneOf(AGREEMENT_MODELS), "Model."),
      param("supplier", { type: "integer", minimum: 1 }, "Leverancier."),
    ]),
    post: create("Verwerkersovereenkomsten", "Een verwerkersovereenkomst toevoegen (beheerder, privacy officer).", "AgreementInput", "Agreement"),
  },
  "/agreements/{id}": { get: show("Verwerkersovereenkomsten", "Eén verwerkersovereenkomst.", "Agreement") },
  "/classifications": {
    get: list("BIV-classificaties", "BIV-classificaties, nieuwste eerst (ook de eerdere).", "Classification", [param("application", { type: "integer", minimum: 1 }, "Alleen van deze applicatie.")]),
    post: create("BIV-classificaties", "Een applicatie (opnieuw) classificeren (beheerder, privacy officer).", "ClassificationInput", "Classification", ["409"]),
  },
  "/classifications/{id}": { get: show("BIV-classificaties", "Eén classificatie.", "Classification") },
  "/data-categories": { get: list("Referentiegegevens", "Categorieën persoonsgegevens.", "DataCategory", [archived]) },
  "/data-subjects": { get: list("Referentiegegevens", "Categorieën betrokkenen.", "DataSubject", [archived]) },
  "/fora-functions": { get: list("Referentiegegevens", "FORA-functies met hun domein.", "ForaFunction", [archived]) },
  "/compliance": {
    get: {
      summary: "Aantal applicaties per status (een schoolgebruiker: van de eigen scholen).",
      tags: ["Applicaties"],
      responses: { ...ok("De telling.", ref("ComplianceSummary")), ...errors("400", "401") },
    },
  },
};

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "IBP-register API",
      version: "1",
      license: { name: "EUPL-1.2", identifier: "EUPL-1.2" },
      description:
        "Lezen en bijwerken van het IBP-register. Authenticatie met een persoonlijke API-sleutel (aan te maken onder Mijn account → API-sleutels) in de header Authorization: Bearer <sleutel>. Een sleutel heeft dezelfde rechten als zijn eigenaar: een schoolgebruiker ziet alleen de eigen scholen, een auditor leest alleen. Lijsten geven { data, page, perPage, total }. Fouten geven { error: { status, message, fields? } }.",
    },
    servers: [{ url: "/api/v1" }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "Persoonlijke API-sleutel (begint met ibp_)." } },
      schemas,
    },
    paths: withOperationIds(paths),
  };
}

// Derived from method and path so that every operation has a stable, unique id for generated clients.
function withOperationIds(source: Record<string, Record<string, Operation>>) {
  return Object.fromEntries(
    Object.entries(source).map(([path, operations]) => [
      path,
      Object.fromEntries(
        Object.entries(operations).map(([method, op]) => {
          const words = path.split("/").filter(Boolean).map((part) => (part.startsWith("{") ? `by-${part.slice(1, -1)}` : part));
          const id = [method, ...words].join("-").replace(/[^\w-]/g, "-").replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());
          return [method, { operationId: id, ...op }];
        }),
      ),
    ]),
  );
}
