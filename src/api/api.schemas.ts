// The API's input: query parameters, path ids and JSON bodies, with every constraint the server applies to
// them. These zod schemas are both what the server validates with and what the OpenAPI document shows
// (openapi.ts renders them with z.toJSONSchema), so the document cannot drift from the server. Rules that
// JSON Schema can express (a transfer mechanism when the data leave the EEA, a signing date for a signed
// agreement) are given to the document as if/then next to the zod check that enforces them; rules it cannot
// express (a date not in the future, an end after a start) are described in words and checked here too.
// Afterwards the features' own form schemas and services run, exactly as for the browser.
import { z } from "zod";
import { AGREEMENT_MODELS, AGREEMENT_STATUSES, COVENANT_STATUSES, LEVELS, LIFECYCLES, SECTORS, TRANSFER_MECHANISMS } from "../db/enums";
import { QUESTIONS } from "../classifications/classifications.questions";
import { REASONS } from "../classifications/classifications.schemas";
import { t } from "../i18n";
import { todayIso } from "../lib/dates";

export const MAX_PER_PAGE = 200;
export const DEFAULT_PER_PAGE = 50;
export const MAX_PAGE = 100_000;
/** Ids are positive integers of at most nine digits, in the path, the query and the body alike. */
export const MAX_ID = 999_999_999;
export const MAX_SUB_PROCESSORS = 100;
export const APPLICATION_STATUSES = ["red", "orange", "green", "grey"] as const;

// A web address the API takes: http(s), a host name whose last label starts with a letter (no IP address, no
// punycode label), an optional port up to 65535, then RFC 3986 path, query and fragment characters. Every such
// string is both a URI as JSON Schema's format means it and a URL the browser's form (WHATWG URL) accepts, so the
// document and the server agree on it exactly; the fuzzer found "http://" to be a URI that no browser parses.
const PCHAR = "(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})";
const PORT = "(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})";
const WEB_ADDRESS = new RegExp(
  `^https?://(?:[A-Za-z0-9](?:-?[A-Za-z0-9])*\\.)*[A-Za-z](?:-?[A-Za-z0-9])*(?::${PORT})?(?:/${PCHAR}*)*(?:\\?(?:${PCHAR}|[/?])*)?(?:#(?:${PCHAR}|[/?])*)?$`,
);

/** Patterns whose refusal api.errors.ts words by name. */
export const PATTERNS = { nonBlank: /\S/, digits: /^\d{1,9}$/, web: WEB_ADDRESS } as const;

// ---------------------------------------------------------------------------------------------
// Building blocks

/** A string of at most `max` characters (zod counts code points, as JSON Schema's maxLength does). */
const text = (max: number) => z.string().max(max);
/** A string of at most `max` characters with at least one that is not white space. */
const filledText = (max: number) => text(max).min(1).regex(PATTERNS.nonBlank);
/** Optional text: null, absent, empty or only white space all mean "not filled in". */
const optionalText = (max: number) => text(max).nullable().optional();

const id = () => z.number().int().min(1).max(MAX_ID);
const idList = () => z.array(id());
const date = () => z.iso.date();
const optionalDate = () => date().nullable().optional();
const count = (max: number) => z.number().int().min(0).max(max).nullable().optional();
const cents = () => count(10_000_000_000);

/** A query parameter: a string in the URL, decoded to the typed value the document shows. */
const integerParam = (max: number) =>
  z.codec(z.string().regex(PATTERNS.digits), z.number().int().min(1).max(max), { decode: Number, encode: String });
const idParamValue = () => integerParam(MAX_ID);
const booleanParam = () => z.codec(z.enum(["true", "false"]), z.boolean(), { decode: (v) => v === "true", encode: (v) => (v ? "true" : "false") });
const search = () => text(100).trim().meta({ description: "Zoekterm (deel van de naam); hoogstens 100 tekens, spaties eromheen tellen niet." });
const archived = () =>
  booleanParam().meta({ description: "true: alleen gearchiveerde records; false of weggelaten: alleen de huidige." });

const paging = {
  page: integerParam(MAX_PAGE).optional().meta({ description: `Paginanummer, van 1 tot en met ${MAX_PAGE}.`, default: 1 }),
  per_page: integerParam(MAX_PER_PAGE)
    .optional()
    .meta({ description: `Aantal records per pagina, van 1 tot en met ${MAX_PER_PAGE}.`, default: DEFAULT_PER_PAGE }),
};

// ---------------------------------------------------------------------------------------------
// Query parameters and path ids

export const schoolsQuery = z
  .object({ ...paging, q: search().optional(), sector: z.enum(SECTORS).optional().meta({ description: "Alleen scholen van deze sector." }), archived: archived().optional() })
  .strict();
export const suppliersQuery = z
  .object({
    ...paging,
    q: search().optional(),
    covenant: z.enum(COVENANT_STATUSES).optional().meta({ description: "Alleen leveranciers met deze status onder het convenant." }),
    archived: archived().optional(),
  })
  .strict();
export const applicationsQuery = z
  .object({
    ...paging,
    q: search().optional(),
    status: z.enum(APPLICATION_STATUSES).optional().meta({ description: "Alleen applicaties met deze status." }),
    school: idParamValue()
      .optional()
      .meta({ description: "Alleen applicaties die deze school gebruikt. Een schoolgebruiker die een andere school noemt dan de eigen: 403." }),
    supplier: idParamValue().optional().meta({ description: "Alleen applicaties van deze leverancier." }),
    lifecycle: z.enum(LIFECYCLES).optional().meta({ description: "Alleen applicaties in deze levensfase." }),
    archived: archived().optional(),
  })
  .strict();
export const agreementsQuery = z
  .object({
    ...paging,
    q: search().optional(),
    status: z.enum(AGREEMENT_STATUSES).optional().meta({ description: "Alleen overeenkomsten met deze status." }),
    model: z.enum(AGREEMENT_MODELS).optional().meta({ description: "Alleen overeenkomsten van dit model." }),
    supplier: idParamValue().optional().meta({ description: "Alleen overeenkomsten met deze leverancier." }),
  })
  .strict();
export const classificationsQuery = z
  .object({
    ...paging,
    application: idParamValue()
      .optional()
      .meta({ description: "Alleen classificaties van deze applicatie. Een schoolgebruiker die een applicatie van een andere school noemt: 403." }),
  })
  .strict();
export const referenceQuery = z.object({ ...paging, archived: archived().optional() }).strict();
export const noQuery = z.object({}).strict();

export const idParam = z.object({ id: idParamValue().meta({ description: `Het id van het record (1 tot en met ${MAX_ID}).` }) });

// ---------------------------------------------------------------------------------------------
// Cross-field rules: each once for zod (with a message that names the API's fields) and once for JSON Schema.

type Issues = z.RefinementCtx;
const refuse = (ctx: Issues, path: string, key: string, params: Record<string, string | number> = {}) =>
  ctx.addIssue({ code: "custom", path: [path], message: t(key, params) });
const filled = (value: string | null | undefined) => typeof value === "string" && PATTERNS.nonBlank.test(value);

/** JSON Schema: when `property` has `value`, `then` holds. */
const whenEquals = (property: string, value: unknown, then: Record<string, unknown>) => ({
  if: { required: [property], properties: { [property]: { const: value } } },
  then,
});
// unevaluatedProperties: true is JSON Schema's default, said out loud: validators that check examples strictly
// (redocly's lint) otherwise read a `then` with properties as "no other properties".
const requiredNonNull = (property: string, schema: Record<string, unknown>) => ({
  required: [property],
  properties: { [property]: schema },
  unevaluatedProperties: true,
});

// ---------------------------------------------------------------------------------------------
// Bodies

const applicationFields = {
  name: filledText(200).meta({ description: "Naam; per leverancier uniek (hoofdletters tellen niet mee).", examples: ["Gynzy"] }),
  supplierId: id().meta({ description: "Id van een bestaande leverancier (GET /suppliers)." }),
  description: optionalText(5000).meta({ description: "Omschrijving." }),
  goal: optionalText(2000).meta({ description: "Doel waarvoor de school de applicatie gebruikt." }),
  lifecycle: z.enum(LIFECYCLES).optional().meta({ description: "Levensfase; standaard in_gebruik.", default: "in_gebruik" }),
  functionalOwner: optionalText(200).meta({ description: "Functioneel eigenaar." }),
  usedByPupils: z.boolean().optional().meta({ description: "Gebruikt door leerlingen; standaard false.", default: false }),
  usedByStaff: z.boolean().optional().meta({ description: "Gebruikt door medewerkers; standaard false.", default: false }),
  usedByParents: z.boolean().optional().meta({ description: "Gebruikt door ouders; standaard false.", default: false }),
  processesPersonalData: z.boolean().optional().meta({ description: "Verwerkt persoonsgegevens; standaard true.", default: true }),
  dataLocationCountry: optionalText(100).meta({ description: "Land waar de gegevens worden opgeslagen." }),
  dataInEea: z.boolean().nullable().optional().meta({ description: "Gegevens binnen de EER; null of weggelaten: onbekend." }),
  transferMechanism: z
    .enum(TRANSFER_MECHANISMS)
    .nullable()
    .optional()
    .meta({ description: "Doorgiftemechanisme (AVG hoofdstuk V); verplicht (niet null) als dataInEea false is." }),
  costOneTimeCents: cents().meta({ description: "Eenmalige kosten in eurocenten (0 tot en met 10 000 000 000)." }),
  costLicencePerYearCents: cents().meta({ description: "Licentiekosten per jaar in eurocenten (0 tot en met 10 000 000 000)." }),
  costImplementationCents: cents().meta({ description: "Implementatiekosten in eurocenten (0 tot en met 10 000 000 000)." }),
  functionIds: idList().optional().meta({ description: "Ids van bestaande FORA-functies (GET /fora-functions); een onbekend id: 422." }),
  schoolIds: idList().optional().meta({ description: "Ids van bestaande scholen die de applicatie gebruiken (GET /schools); een onbekend id: 422." }),
};

const applicationRules = [whenEquals("dataInEea", false, requiredNonNull("transferMechanism", { type: "string" }))];

function checkApplicationRules(value: { dataInEea?: boolean | null; transferMechanism?: string | null }, ctx: Issues): void {
  if (value.dataInEea === false && !value.transferMechanism) refuse(ctx, "transferMechanism", "api.rules.transferRequired");
}

export const applicationCreateBody = z
  .object(applicationFields)
  .strict()
  .meta({
    description: "Een nieuwe applicatie. Met dataInEea false is transferMechanism verplicht.",
    allOf: applicationRules,
    examples: [{ name: "Gynzy", supplierId: 3, lifecycle: "in_gebruik", usedByPupils: true, dataLocationCountry: "Nederland", dataInEea: true, schoolIds: [1, 2] }],
  })
  .superRefine(checkApplicationRules);
export type ApplicationBody = z.infer<typeof applicationCreateBody>;

export const applicationPatchBody = z
  .object({
    ...applicationFields,
    name: applicationFields.name.optional(),
    supplierId: applicationFields.supplierId.optional(),
    version: id().optional().meta({ description: "De version die u kent; verouderd: 409. Mag weg als u de header If-Match meestuurt." }),
  })
  .strict()
  .meta({
    description:
      "Alleen de meegestuurde velden veranderen; de regels (zoals transferMechanism bij dataInEea false) gelden voor de applicatie zoals die na de wijziging is.",
    examples: [{ version: 3, description: "Digitaal rekenen", schoolIds: [1, 2, 4] }],
  });
export type ApplicationPatch = z.infer<typeof applicationPatchBody>;

const subProcessor = z
  .object({
    name: filledText(200).meta({ description: "Naam van de subverwerker." }),
    service: optionalText(200).meta({ description: "Wat de subverwerker doet." }),
    country: optionalText(100).meta({ description: "Land van verwerking." }),
    inEea: z.boolean().optional().meta({ description: "Verwerking binnen de EER; standaard true.", default: true }),
  })
  .strict();

const notInFuture = "Niet in de toekomst (uiterlijk vandaag, Nederlandse tijd).";

export const agreementCreateBody = z
  .object({
    reference: filledText(100).meta({ description: "Kenmerk van de overeenkomst.", examples: ["VO-2025-014"] }),
    supplierId: id().meta({ description: "Id van een bestaande leverancier (GET /suppliers)." }),
    model: z.enum(AGREEMENT_MODELS).meta({ description: "Model van de overeenkomst (Model Verwerkersovereenkomst 1.0 tot en met 4.0, algemeen of eigen)." }),
    status: z.enum(AGREEMENT_STATUSES).meta({ description: "Status; ondertekend vraagt signedOn." }),
    signedOn: optionalDate().meta({ description: `Datum van ondertekening. Verplicht (niet null) als status ondertekend is. ${notInFuture}` }),
    startsOn: optionalDate().meta({ description: "Ingangsdatum." }),
    endsOn: optionalDate().meta({ description: "Einddatum; niet vóór startsOn." }),
    nextReviewOn: optionalDate().meta({ description: "Datum van de volgende beoordeling." }),
    signatoryName: optionalText(200).meta({ description: "Naam van de ondertekenaar namens het bestuur." }),
    signatoryRole: optionalText(200).meta({ description: "Functie van de ondertekenaar." }),
    signedViaPortal: z.boolean().optional().meta({ description: "Ondertekend via het Privacyconvenant-portaal; standaard false.", default: false }),
    deviations: optionalText(10_000).meta({ description: "Afwijkingen van het model." }),
    deviationsMotivation: optionalText(10_000).meta({ description: "Motivering van de afwijkingen; verplicht (niet leeg) als deviations is ingevuld." }),
    annexVersion: optionalText(50).meta({ description: "Versie van de privacybijsluiter." }),
    annexDate: optionalDate().meta({ description: "Datum van de privacybijsluiter." }),
    breachNotificationHours: count(10_000).meta({ description: "Termijn voor het melden van een datalek, in uren (0 tot en met 10 000)." }),
    deletionTermDays: count(100_000).meta({ description: "Termijn voor het verwijderen van gegevens, in dagen (0 tot en met 100 000)." }),
    sivonReviewUrl: text(300)
      .regex(PATTERNS.web)
      .meta({ format: "uri" })
      .nullable()
      .optional()
      .meta({ description: "Webadres van de beoordeling door SIVON: http:// of https://, een hostnaam (geen IP-adres), hoogstens 300 tekens." }),
    sivonRiskLevel: z.enum(LEVELS).nullable().optional().meta({ description: "Risiconiveau volgens SIVON." }),
    notes: optionalText(5000).meta({ description: "Aantekeningen." }),
    applicationIds: idList().optional().meta({ description: "Ids van bestaande applicaties die de overeenkomst dekt; een onbekend id: 422." }),
    dataCategoryIds: idList().optional().meta({ description: "Ids van bestaande categorieën persoonsgegevens (GET /data-categories); een onbekend id: 422." }),
    dataSubjectIds: idList().optional().meta({ description: "Ids van bestaande categorieën betrokkenen (GET /data-subjects); een onbekend id: 422." }),
    resellerReasons: z
      .record(z.string().regex(/^[1-9][0-9]{0,8}$/), filledText(500))
      .optional()
      .meta({
        description:
          "Per gedekte applicatie van een andere leverancier dan supplierId (sleutel: haar id) waarom deze overeenkomst haar toch dekt, bijvoorbeeld omdat de leverancier haar als wederverkoper levert. Verplicht voor elke applicatie in applicationIds van een andere leverancier, en alleen voor die; anders 422 op resellerReasons.<id>.",
      }),
    subProcessors: z.array(subProcessor).max(MAX_SUB_PROCESSORS).optional().meta({ description: `Subverwerkers, hoogstens ${MAX_SUB_PROCESSORS}.` }),
    supersedesId: id()
      .nullable()
      .optional()
      .meta({ description: "Id van een bestaande overeenkomst die deze vervangt en waarvan nog geen nieuwere versie bestaat; anders 422." }),
  })
  .strict()
  .meta({
    description: `Een nieuwe verwerkersovereenkomst. endsOn ligt niet vóór startsOn; signedOn ligt niet in de toekomst.`,
    allOf: [
      whenEquals("status", "ondertekend", requiredNonNull("signedOn", { type: "string" })),
      {
        if: { required: ["deviations"], properties: { deviations: { type: "string", pattern: PATTERNS.nonBlank.source } } },
        then: requiredNonNull("deviationsMotivation", { type: "string", pattern: PATTERNS.nonBlank.source }),
      },
    ],
    examples: [
      {
        reference: "VO-2025-014",
        supplierId: 3,
        model: "4.0",
        status: "ondertekend",
        signedOn: "2025-01-15",
        startsOn: "2025-02-01",
        endsOn: "2027-07-31",
        applicationIds: [5],
        dataCategoryIds: [1, 7],
        dataSubjectIds: [1],
        subProcessors: [{ name: "Amazon Web Services", service: "Hosting", country: "Ierland", inEea: true }],
        breachNotificationHours: 48,
      },
    ],
  })
  .superRefine((value, ctx) => {
    if (value.status === "ondertekend" && !value.signedOn) refuse(ctx, "signedOn", "api.rules.signedOnRequired");
    if (value.signedOn && value.signedOn > todayIso()) refuse(ctx, "signedOn", "api.rules.inFuture", { field: "signedOn" });
    if (value.startsOn && value.endsOn && value.endsOn < value.startsOn) refuse(ctx, "endsOn", "api.rules.endsBeforeStart");
    if (filled(value.deviations) && !filled(value.deviationsMotivation)) refuse(ctx, "deviationsMotivation", "api.rules.motivationRequired");
  });
export type AgreementBody = z.infer<typeof agreementCreateBody>;

const answer = <K extends keyof typeof QUESTIONS>(key: K, description: string) =>
  z.enum(Object.keys(QUESTIONS[key].options) as [string, ...string[]]).meta({ description });

export const classificationCreateBody = z
  .object({
    applicationId: id().meta({ description: "Id van een bestaande applicatie." }),
    basedOn: z
      .number()
      .int()
      .min(0)
      .max(MAX_ID)
      .meta({ description: "Het id van de nieuwste classificatie van de applicatie die u kent (0: geen); is er intussen een nieuwere, dan 409." }),
    downtime: answer("downtime", "Hoe lang kan de school zonder: week, dag of uren."),
    errors: answer("errors", "Wat doen fouten in de gegevens: acceptabel, hinder of schade."),
    leak: answer("leak", "Wat doet een datalek: geen, beperkt of ernstig."),
    special: answer("special", "Bijzondere persoonsgegevens of BSN: ja of nee."),
    scale: answer("scale", "Aantal betrokkenen: klein of groot."),
    availability: z.enum(LEVELS).meta({ description: "Beschikbaarheid (B)." }),
    integrity: z.enum(LEVELS).meta({ description: "Integriteit (I)." }),
    confidentiality: z
      .enum(LEVELS)
      .meta({
        description:
          "Vertrouwelijkheid (V). Lager dan de verwerkte gegevens vragen (de hoogste minConfidentiality van de categorieën van de applicatie) alleen met acknowledgeLowConfidentiality true; anders 422.",
      }),
    acknowledgeLowConfidentiality: z.boolean().optional().meta({ description: "Bevestig een V lager dan de verwerkte gegevens vragen; standaard false.", default: false }),
    rationale: filledText(5000).meta({ description: "Onderbouwing van de classificatie." }),
    reason: z.enum(REASONS).meta({ description: "Aanleiding van de (her)classificatie." }),
    assessedOn: date().meta({ description: `Datum van de beoordeling. ${notInFuture}` }),
    nextReviewOn: date().meta({ description: "Datum van de volgende beoordeling; ná assessedOn." }),
  })
  .strict()
  .meta({
    description: "Een nieuwe BIV-classificatie; eerdere blijven als geschiedenis. assessedOn ligt niet in de toekomst en nextReviewOn ligt erna.",
    examples: [
      {
        applicationId: 5,
        basedOn: 0,
        downtime: "dag",
        errors: "schade",
        leak: "ernstig",
        special: "nee",
        scale: "groot",
        availability: "midden",
        integrity: "hoog",
        confidentiality: "hoog",
        rationale: "Cijfers en voortgang van alle leerlingen.",
        reason: "eerste",
        assessedOn: "2025-01-10",
        nextReviewOn: "2026-01-10",
      },
    ],
  })
  .superRefine((value, ctx) => {
    if (value.assessedOn > todayIso()) refuse(ctx, "assessedOn", "api.rules.inFuture", { field: "assessedOn" });
    if (value.nextReviewOn <= value.assessedOn) refuse(ctx, "nextReviewOn", "api.rules.reviewAfterAssessment");
  });
export type ClassificationBody = z.infer<typeof classificationCreateBody>;
