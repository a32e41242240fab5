// The OpenAPI 3.1 description of /api/v1, served at GET /api/v1/openapi.json.
// - What the API accepts (query parameters, path ids, request bodies) is rendered from the very zod schemas the
//   server validates with (api.schemas.ts), by z.toJSONSchema: the document states every limit the server
//   applies and cannot drift from it. tests/api-fuzz.test.ts sends what the document allows and expects no
//   refusal; tests/api-document.test.ts lints the document strictly.
// - What the API answers is described here as strict JSON Schema 2020-12 (additionalProperties: false): the
//   tests validate real responses against it, so a field added to a response without documenting it fails them.
import { z } from "zod";
import { AGREEMENT_MODELS, AGREEMENT_STATUSES, CATEGORY_FLAGS, COVENANT_STATUSES, LEVELS, LIFECYCLES, SECTORS, TRANSFER_MECHANISMS } from "../db/enums";
import { t } from "../i18n";
import {
  agreementCreateBody,
  agreementsQuery,
  APPLICATION_STATUSES,
  applicationCreateBody,
  applicationPatchBody,
  applicationsQuery,
  classificationCreateBody,
  classificationsQuery,
  idParam,
  MAX_PER_PAGE,
  referenceQuery,
  schoolsQuery,
  suppliersQuery,
} from "./api.schemas";

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
const described = (schema: Schema, description: string): Schema => ({ ...schema, description });

/** A zod schema of api.schemas.ts as JSON Schema: bodies as sent (input), query parameters as meant (output). */
function fromZod(schema: z.ZodType, io: "input" | "output"): Schema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "throw" });
  return rest;
}

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
          fields: { type: "object", additionalProperties: str, description: "Per veld (of parameter) één melding die het veld noemt (bij 400 en 422)." },
          currentVersion: described(int, "Bij 409 en 412 op een wijziging: de versie die nu is opgeslagen."),
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
    resellerReasons: described(
      { type: "object", propertyNames: { pattern: "^[1-9][0-9]*$" }, additionalProperties: str },
      "Per gedekte applicatie van een andere leverancier (sleutel: haar id) waarom deze overeenkomst haar dekt (wederverkoper).",
    ),
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


schemas.ApplicationInput = fromZod(applicationCreateBody, "input");
schemas.ApplicationPatch = fromZod(applicationPatchBody, "input");
schemas.AgreementInput = fromZod(agreementCreateBody, "input");
schemas.ClassificationInput = fromZod(classificationCreateBody, "input");

// ---------------------------------------------------------------------------------------------
// Examples: one of every record, used in the responses' examples. The lint checks each against its schema.

const supplierRef = { id: 3, name: "Gynzy B.V." };
const EXAMPLES = {
  School: {
    id: 1,
    name: "Basisschool De Regenboog",
    brin: "17RB",
    location: null,
    sector: "po",
    city: "Tiel",
    contactName: "Sanne de Vries",
    contactEmail: "regenboog@school.example",
    archived: false,
    version: 2,
  },
  Supplier: {
    id: 3,
    name: "Gynzy B.V.",
    kvk: "56723456",
    website: "https://www.gynzy.com",
    privacyContactName: "Privacy Office",
    privacyContactEmail: "privacy@gynzy.example",
    covenantStatus: "deelnemer",
    certIso27001: true,
    certNen7510: false,
    certRosa: false,
    notes: null,
    archived: false,
    version: 1,
  },
  Application: {
    id: 5,
    name: "Gynzy",
    supplier: supplierRef,
    description: "Digitaal oefenen met rekenen en taal.",
    goal: "Adaptief oefenen in de klas en thuis.",
    lifecycle: "in_gebruik",
    functionalOwner: "Mark Hendriks",
    usedByPupils: true,
    usedByStaff: true,
    usedByParents: false,
    processesPersonalData: true,
    dataLocationCountry: "Nederland",
    dataInEea: true,
    transferMechanism: null,
    costOneTimeCents: null,
    costLicencePerYearCents: 125000,
    costImplementationCents: null,
    archived: false,
    status: "orange",
    updatedAt: "2025-03-01T09:30:00.000Z",
    version: 3,
  },
  Finding: {
    rule: "classification_due",
    severity: "orange",
    text: "De BIV-classificatie is ouder dan een jaar.",
    advice: "Laat de privacy officer de classificatie herzien.",
    fix: "/applications/5/classification",
  },
  Classification: {
    id: 9,
    applicationId: 5,
    availability: "midden",
    integrity: "hoog",
    confidentiality: "hoog",
    proposedAvailability: "midden",
    proposedIntegrity: "hoog",
    proposedConfidentiality: "hoog",
    answers: { downtime: "dag", errors: "schade", leak: "ernstig", special: "nee", scale: "groot" },
    rationale: "Cijfers en voortgang van alle leerlingen.",
    reason: "eerste",
    assessorName: "Ruben Jansen",
    assessedOn: "2025-01-10",
    nextReviewOn: "2026-01-10",
    createdAt: "2025-01-10T13:12:00.000Z",
  },
  Agreement: {
    id: 12,
    reference: "VO-2025-014",
    supplier: supplierRef,
    model: "4.0",
    status: "ondertekend",
    signedOn: "2025-01-15",
    startsOn: "2025-02-01",
    endsOn: "2027-07-31",
    nextReviewOn: "2026-02-01",
    signatoryName: "Hans van Dijk",
    signatoryRole: "Voorzitter college van bestuur",
    signedViaPortal: true,
    deviations: null,
    deviationsMotivation: null,
    annexVersion: "2025.1",
    annexDate: "2025-01-01",
    breachNotificationHours: 48,
    deletionTermDays: 90,
    sivonReviewUrl: null,
    sivonRiskLevel: null,
    notes: null,
    supersedesId: null,
    documentSha256: null,
    applicationIds: [5, 8],
    resellerReasons: { "8": "Gynzy levert ook Basispoort als wederverkoper; de overeenkomst dekt die verwerking." },
    dataCategoryIds: [1, 7],
    dataSubjectIds: [1],
    subProcessors: [{ name: "Amazon Web Services", service: "Hosting", country: "Ierland", inEea: true }],
    version: 1,
  },
  DataCategory: {
    id: 7,
    code: "progress",
    label: "Studievoortgang en resultaten",
    description: "Cijfers, toetsresultaten en voortgang.",
    flag: "gevoelig",
    minConfidentiality: "midden",
    isCustom: false,
    archived: false,
  },
  DataSubject: { id: 1, code: "pupils", label: "Leerlingen", vulnerable: true, archived: false },
  ForaFunction: {
    id: 14,
    code: "O-04",
    name: "Oefenen",
    description: null,
    domain: { id: 2, code: "O", name: "Onderwijs" },
    archived: false,
  },
};
const applicationDetailExample = {
  ...EXAMPLES.Application,
  findings: [EXAMPLES.Finding],
  schools: [{ id: 1, name: "Basisschool De Regenboog", brin: "17RB", location: null, since: "2023-08-01", until: null, localContact: "Mark Hendriks" }],
  functions: [{ id: 14, code: "O-04", name: "Oefenen", domain: "Onderwijs" }],
  data: [
    {
      category: { id: 7, code: "progress", label: "Studievoortgang en resultaten" },
      subject: { id: 1, code: "pupils", label: "Leerlingen" },
      purpose: "Adaptief oefenen",
      detail: null,
    },
  ],
  classification: EXAMPLES.Classification,
  agreements: [{ id: 12, reference: "VO-2025-014", model: "4.0", status: "ondertekend", startsOn: "2025-02-01", endsOn: "2027-07-31" }],
};
const pageExample = (item: unknown) => ({ data: [item], page: 1, perPage: 50, total: 1 });

// ---------------------------------------------------------------------------------------------
// Responses

const errorExample = (status: number, message: string, extra: Record<string, unknown> = {}) => ({ error: { status, message, ...extra } });
const ERRORS: Record<string, { description: string; example: unknown; headers?: Record<string, unknown> }> = {
  "400": {
    description:
      "Het verzoek is misvormd: een onbekend veld of een onbekende parameter, een verkeerd JSON-type, een ontbrekend verplicht veld, ongeldige JSON of een parameter buiten zijn bereik. Per veld een melding die het veld noemt.",
    example: errorExample(400, t("api.errors.badRequest"), { fields: { colour: t("api.errors.unknownField", { field: "colour" }) } }),
  },
  "401": {
    description: "Geen, een onbekende, verlopen of ingetrokken API-sleutel.",
    example: errorExample(401, t("api.errors.missingToken")),
    headers: { "WWW-Authenticate": { description: 'Altijd Bearer realm="ibp-register".', schema: { type: "string" } } },
  },
  "403": { description: "Uw rol of scholen geven geen toegang tot dit record of deze handeling.", example: errorExample(403, t("api.errors.forbidden")) },
  "404": { description: "Er bestaat geen record met dit id.", example: errorExample(404, t("api.errors.notFound")) },
  "409": {
    description: "Intussen door iemand anders gewijzigd: currentVersion (of currentBasedOn) geeft de opgeslagen stand.",
    example: errorExample(409, t("api.errors.conflict"), { currentVersion: 4 }),
  },
  "412": {
    description: "If-Match noemt niet de huidige ETag: intussen gewijzigd. currentVersion en de header ETag geven de opgeslagen stand.",
    example: errorExample(412, t("api.errors.preconditionFailed"), { currentVersion: 4 }),
    headers: { ETag: { description: "De huidige entiteitstag.", schema: { type: "string" } } },
  },
  "413": { description: "De body is groter dan 1 MB.", example: errorExample(413, t("api.errors.tooLarge")) },
  "415": { description: "De body moet JSON zijn (Content-Type: application/json).", example: errorExample(415, t("api.errors.notJson")) },
  "422": {
    description:
      "Goed gevormd, maar een waarde breekt een grens of regel: te lang, leeg, buiten het bereik, geen keuze uit de lijst, geen bestaande datum, een regel tussen velden, of een id dat niet bestaat. Per veld een melding die het veld noemt.",
    example: errorExample(422, t("api.errors.rules"), { fields: { transferMechanism: t("api.rules.transferRequired") } }),
  },
  "428": { description: "Een PATCH zonder version in de body en zonder If-Match.", example: errorExample(428, t("api.errors.preconditionRequired")) },
};

const json = (schema: Schema, examples?: Record<string, { summary: string; value: unknown }>) => ({
  content: { "application/json": { schema, ...(examples ? { examples } : {}) } },
});
const example = (summary: string, value: unknown) => ({ summary, value });
const errors = (...codes: string[]) =>
  Object.fromEntries(
    codes.map((code) => {
      const { description, example: value, headers } = ERRORS[code]!;
      return [code, { description, ...(headers ? { headers } : {}), ...json(ref("Error"), { [`fout${code}`]: example(description.split(":")[0]!, value) }) }];
    }),
  );

const ETAG = {
  ETag: {
    description: 'De version van het record als entiteitstag, bijvoorbeeld "3". Stuur hem terug in If-Match bij PATCH.',
    schema: { type: "string", pattern: '^"[0-9]+"$' },
  },
};
const LOCATION = { Location: { description: "Het pad van het nieuwe record.", schema: { type: "string" } } };
const ok = (description: string, schema: Schema, value: unknown, options: { status?: string; headers?: Record<string, unknown> } = {}) => ({
  [options.status ?? "200"]: { description, ...(options.headers ? { headers: options.headers } : {}), ...json(schema, { voorbeeld: example(description, value) }) },
});

// ---------------------------------------------------------------------------------------------
// Parameters, from the zod schemas of api.schemas.ts

type Parameter = { name: string; in: "query" | "path" | "header"; required: boolean; description: string; schema: Schema; example?: string };

function parametersOf(schema: z.ZodType, where: "query" | "path"): Parameter[] {
  const rendered = fromZod(schema, "output") as { properties: Record<string, Schema>; required?: string[] };
  return Object.entries(rendered.properties).map(([name, { description, ...rest }]) => ({
    name,
    in: where,
    required: where === "path" || (rendered.required ?? []).includes(name),
    description: String(description),
    schema: rest,
  }));
}
const idPath = parametersOf(idParam, "path");

const IF_MATCH: Parameter = {
  name: "If-Match",
  in: "header",
  required: false,
  description:
    'De ETag die u kent (uit GET), bijvoorbeeld "3", of * voor elke versie. Komt hij niet overeen met de huidige: 412, en er verandert niets. Met If-Match mag version in de body weg.',
  // RFC 9110 §13.1.1: "*" or a comma-separated list of entity tags, each optionally weak (W/), between quotes.
  schema: { type: "string", pattern: '^(\\*|(W/)?"[\\x21\\x23-\\x7E]*"( *, *(W/)?"[\\x21\\x23-\\x7E]*")*)$' },
  example: '"3"',
};

// ---------------------------------------------------------------------------------------------
// Operations

type Operation = {
  summary: string;
  description?: string;
  tags: string[];
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
  security?: unknown[];
};

const list = (tag: string, summary: string, item: keyof typeof EXAMPLES, query: z.ZodType, extraErrors: string[] = []): Operation => ({
  summary,
  description: `Een pagina van hoogstens ${MAX_PER_PAGE} records, met het totaal dat aan de filters voldoet. Onbekende parameters: 400.`,
  tags: [tag],
  parameters: parametersOf(query, "query"),
  responses: { ...ok("Een pagina met records.", ref(`${item}Page`), pageExample(EXAMPLES[item])), ...errors("400", "401", "403", ...extraErrors) },
});
const show = (tag: string, summary: string, schema: string, value: unknown, options: { etag?: boolean } = {}): Operation => ({
  summary,
  description:
    "Een id dat niet bestaat: 404. Een schoolgebruiker krijgt 403 voor elk id buiten de eigen scholen, of het bestaat of niet." +
    (options.etag ? " De header ETag geeft de version van het record." : ""),
  tags: [tag],
  parameters: idPath,
  responses: { ...ok("Het record.", ref(schema), value, options.etag ? { headers: ETAG } : {}), ...errors("400", "401", "403", "404") },
});
const create = (tag: string, summary: string, inputSchema: string, outputSchema: string, value: unknown, options: { etag?: boolean; extraErrors?: string[] } = {}) => ({
  summary,
  description: "Eerst de vorm van de body (400), dan elke grens en regel (422). Wat het schema niet kan uitdrukken staat in de beschrijving van het veld.",
  tags: [tag],
  requestBody: { required: true, ...json(ref(inputSchema), requestExamples(inputSchema)) },
  responses: {
    ...ok("Aangemaakt; Location wijst naar het nieuwe record.", ref(outputSchema), value, { status: "201", headers: { ...LOCATION, ...(options.etag ? ETAG : {}) } }),
    ...errors("400", "401", "403", "413", "415", "422", ...(options.extraErrors ?? [])),
  },
});

/** The examples of a request body, from the zod schema's metadata. */
function requestExamples(name: string) {
  const values = ((schemas[name] as { examples?: unknown[] }).examples ?? []) as unknown[];
  return Object.fromEntries(values.map((value, i) => [`voorbeeld${i + 1}`, example(`Voorbeeld ${i + 1}`, value)]));
}

const paths: Record<string, Record<string, Operation>> = {
  "/openapi.json": {
    get: {
      summary: "Deze beschrijving van de API (zonder sleutel op te vragen).",
      description: "Het OpenAPI 3.1-document; de invoerschema's zijn dezelfde als waarmee de server controleert.",
      tags: ["API"],
      security: [],
      responses: {
        "200": { description: "Het OpenAPI-document.", content: { "application/json": { schema: { type: "object" } } } },
        ...errors("400"),
      },
    },
  },
  "/schools": { get: list("Scholen", "Scholen; een schoolgebruiker ziet alleen de eigen scholen.", "School", schoolsQuery) },
  "/schools/{id}": { get: show("Scholen", "Eén school.", "School", EXAMPLES.School, { etag: true }) },
  "/suppliers": { get: list("Leveranciers", "Leveranciers (niet voor schoolgebruikers).", "Supplier", suppliersQuery) },
  "/suppliers/{id}": { get: show("Leveranciers", "Eén leverancier.", "Supplier", EXAMPLES.Supplier, { etag: true }) },
  "/applications": {
    get: list("Applicaties", "Applicaties met hun status; een schoolgebruiker ziet alleen de applicaties van de eigen scholen.", "Application", applicationsQuery),
    post: create("Applicaties", "Een applicatie toevoegen (beheerder, privacy officer).", "ApplicationInput", "ApplicationDetail", applicationDetailExample, { etag: true }),
  },
  "/applications/{id}": {
    get: show("Applicaties", "Eén applicatie met scholen, functies, gegevens, classificatie en bevindingen.", "ApplicationDetail", applicationDetailExample, { etag: true }),
    patch: {
      summary: "Een applicatie wijzigen: alleen de meegestuurde velden (beheerder, privacy officer).",
      description:
        "Optimistische vergrendeling met de version die u kent: in de header If-Match (de ETag van GET) of in het veld version, of allebei. " +
        "Volgorde: een onbekend id geeft 404; dan If-Match (412 als hij niet de huidige ETag noemt), dan de vorm van de body (400, 415, 422), " +
        "dan 428 als er geen version is, dan version (409 als die verouderd is), dan de regels voor de applicatie zoals die na de wijziging is (422). " +
        "Met allebei wint dus If-Match: een verouderde If-Match geeft 412, ook als version klopt; een kloppende If-Match met een verouderde version geeft 409.",
      tags: ["Applicaties"],
      parameters: [...idPath, IF_MATCH],
      requestBody: {
        required: true,
        ...json(ref("ApplicationPatch"), {
          ...requestExamples("ApplicationPatch"),
          metIfMatch: example("Zonder version, met de header If-Match: \"3\"", { lifecycle: "uitfaseren" }),
        }),
      },
      responses: {
        ...ok("De gewijzigde applicatie.", ref("ApplicationDetail"), { ...applicationDetailExample, version: 4 }, { headers: ETAG }),
        ...errors("400", "401", "403", "404", "409", "412", "413", "415", "422", "428"),
      },
    },
  },
  "/applications/{id}/status": {
    get: show("Applicaties", "De status en bevindingen van één applicatie.", "ApplicationStatus", {
      applicationId: 5,
      name: "Gynzy",
      status: "orange",
      statusLabel: "Aandacht nodig",
      findings: [EXAMPLES.Finding],
    }),
  },
  "/agreements": {
    get: list("Verwerkersovereenkomsten", "Verwerkersovereenkomsten; een schoolgebruiker ziet die voor de applicaties van de eigen scholen.", "Agreement", agreementsQuery),
    post: create("Verwerkersovereenkomsten", "Een verwerkersovereenkomst toevoegen (beheerder, privacy officer).", "AgreementInput", "Agreement", EXAMPLES.Agreement, { etag: true }),
  },
  "/agreements/{id}": { get: show("Verwerkersovereenkomsten", "Eén verwerkersovereenkomst.", "Agreement", EXAMPLES.Agreement, { etag: true }) },
  "/classifications": {
    get: list("BIV-classificaties", "BIV-classificaties, nieuwste eerst (ook de eerdere).", "Classification", classificationsQuery),
    post: create("BIV-classificaties", "Een applicatie (opnieuw) classificeren (beheerder, privacy officer).", "ClassificationInput", "Classification", EXAMPLES.Classification, {
      extraErrors: ["409"],
    }),
  },
  "/classifications/{id}": { get: show("BIV-classificaties", "Eén classificatie.", "Classification", EXAMPLES.Classification) },
  "/data-categories": { get: list("Referentiegegevens", "Categorieën persoonsgegevens.", "DataCategory", referenceQuery) },
  "/data-subjects": { get: list("Referentiegegevens", "Categorieën betrokkenen.", "DataSubject", referenceQuery) },
  "/fora-functions": { get: list("Referentiegegevens", "FORA-functies met hun domein.", "ForaFunction", referenceQuery) },
  "/compliance": {
    get: {
      summary: "Aantal applicaties per status (een schoolgebruiker: van de eigen scholen).",
      description: "Telt de niet-gearchiveerde applicaties per status, zoals het dashboard.",
      tags: ["Applicaties"],
      responses: {
        ...ok("De telling.", ref("ComplianceSummary"), { counts: { red: 4, orange: 7, green: 12, grey: 2 }, total: 25 }),
        ...errors("400", "401"),
      },
    },
  },
};

const TAGS = [
  { name: "API", description: "Over de API zelf." },
  { name: "Applicaties", description: "Applicaties, hun status en bevindingen." },
  { name: "BIV-classificaties", description: "Classificaties van beschikbaarheid, integriteit en vertrouwelijkheid." },
  { name: "Leveranciers", description: "Leveranciers van applicaties." },
  { name: "Referentiegegevens", description: "Categorieën persoonsgegevens en betrokkenen, FORA-functies." },
  { name: "Scholen", description: "De scholen van het bestuur." },
  { name: "Verwerkersovereenkomsten", description: "Verwerkersovereenkomsten met leveranciers." },
];

/** The methods of a path as its 405 answer names them in Allow (a GET path also answers HEAD). */
export function allowedMethods(operations: Record<string, unknown>): string[] {
  return Object.keys(operations).flatMap((method) => (method === "get" ? ["GET", "HEAD"] : [method.toUpperCase()]));
}

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "IBP-register API",
      version: "1",
      license: { name: "EUPL-1.2", identifier: "EUPL-1.2" },
      description:
        "Lezen en bijwerken van het IBP-register. Authenticatie met een persoonlijke API-sleutel (aan te maken onder Mijn account → API-sleutels) in de header Authorization: Bearer <sleutel>. " +
        "Een sleutel heeft dezelfde rechten als zijn eigenaar: een schoolgebruiker ziet alleen de eigen scholen, een auditor leest alleen. " +
        "Lijsten geven { data, page, perPage, total }. Fouten geven { error: { status, message, fields? } }, met per veld een melding die het veld noemt. " +
        "Elke grens die de server bewaakt (lengtes, bereiken, keuzelijsten, datums, ids vanaf 1, hoogstens " +
        `${MAX_PER_PAGE} per pagina) staat in de schema's; regels die JSON Schema niet kan uitdrukken staan in de beschrijving van het veld. ` +
        "Een methode die een pad niet kent geeft 405 met de header Allow.",
    },
    servers: [{ url: "/api/v1" }],
    security: [{ bearer: [] }],
    tags: TAGS,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "Persoonlijke API-sleutel (begint met ibp_)." } },
      schemas,
    },
    paths: withOperationIds(paths),
  };
}

// Derived from method and path so that every operation has a stable, unique id for generated clients. Each path
// says which methods it has: any other gets 405 with Allow (api.routes.ts), which OpenAPI has no field for.
function withOperationIds(source: Record<string, Record<string, Operation>>) {
  return Object.fromEntries(
    Object.entries(source).map(([path, operations]) => {
      const allow = allowedMethods(operations).join(", ");
      const withIds = Object.fromEntries(
        Object.entries(operations).map(([method, op]) => {
          const words = path.split("/").filter(Boolean).map((part) => (part.startsWith("{") ? `by-${part.slice(1, -1)}` : part));
          const id = [method, ...words].join("-").replace(/[^\w-]/g, "-").replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());
          return [method, { operationId: id, ...op }];
        }),
      );
      return [path, { description: `Methoden: ${allow}. Elke andere methode geeft 405 met de header Allow: ${allow}.`, ...withIds }];
    }),
  );
}
