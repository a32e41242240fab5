// The columns an import knows, per kind of record. Each field has a Dutch heading (the template's, in
// src/i18n/nl/imports.ts), a type that says how a cell is read, and the headings boards commonly use for
// it (aliases), so an existing spreadsheet is matched without a mapping step where possible.
import { t } from "../i18n";

export const IMPORT_KINDS = ["applications", "suppliers", "agreements"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export type FieldType =
  | "text"
  | "bool"
  | "date"
  | "euros"
  | "count"
  | "kvk"
  | "eea"
  | "list"
  | { enum: "covenant" | "lifecycles" | "transferMechanisms" | "agreementModels" | "agreementStatuses" | "levels" };

export type FieldSpec = {
  key: string;
  type: FieldType;
  required?: boolean;
  aliases?: string[];
  /** A value as it could appear in a board's spreadsheet, for the explanation sheet. */
  example: string;
};

export const FIELDS: Record<ImportKind, FieldSpec[]> = {
  suppliers: [
    { key: "name", type: "text", required: true, aliases: ["leverancier", "naam leverancier", "bedrijfsnaam", "organisatie", "verwerker"], example: "Topicus Onderwijs B.V." },
    { key: "kvk", type: "kvk", aliases: ["kvk", "kvk nummer", "kamer van koophandel", "kvk leverancier"], example: "12345678" },
    { key: "website", type: "text", aliases: ["url", "webadres", "site"], example: "https://www.voorbeeld.nl" },
    { key: "privacyContactName", type: "text", aliases: ["privacycontact", "contactpersoon privacy", "privacy contactpersoon"], example: "J. de Vries" },
    { key: "privacyContactEmail", type: "text", aliases: ["e mail privacycontact", "privacy e mail", "e mailadres privacy"], example: "privacy@voorbeeld.nl" },
    { key: "covenantStatus", type: { enum: "covenant" }, aliases: ["convenant", "convenantstatus", "status convenant", "privacyconvenant"], example: "deelnemer" },
    { key: "certIso27001", type: "bool", aliases: ["iso 27001", "iso27001"], example: "ja" },
    { key: "certNen7510", type: "bool", aliases: ["nen 7510", "nen7510"], example: "nee" },
    { key: "certRosa", type: "bool", aliases: ["rosa", "certificering ibp", "certificeringsschema ibp"], example: "nee" },
    { key: "notes", type: "text", aliases: ["opmerkingen", "notities", "toelichting"], example: "" },
  ],
  applications: [
    { key: "name", type: "text", required: true, aliases: ["applicatie", "naam applicatie", "applicatienaam", "pakket", "software", "toepassing", "naam"], example: "Magister" },
    { key: "supplier", type: "text", required: true, aliases: ["leverancier", "naam leverancier", "verwerker"], example: "Iddink" },
    { key: "supplierKvk", type: "kvk", aliases: ["kvk leverancier", "kvk nummer leverancier", "kvk", "kvk nummer"], example: "12345678" },
    { key: "description", type: "text", aliases: ["beschrijving", "omschrijving"], example: "Leerlingadministratie en cijferregistratie" },
    { key: "goal", type: "text", aliases: ["doelen", "doel van de verwerking", "verwerkingsdoel"], example: "Leerlingadministratie" },
    { key: "lifecycle", type: { enum: "lifecycles" }, aliases: ["status", "fase", "levensfase"], example: "in gebruik" },
    { key: "functionalOwner", type: "text", aliases: ["eigenaar", "applicatiebeheerder", "functioneel beheerder"], example: "Afdeling onderwijs" },
    { key: "usedByPupils", type: "bool", aliases: ["leerlingen", "gebruikers leerlingen"], example: "ja" },
    { key: "usedByStaff", type: "bool", aliases: ["medewerkers", "personeel", "gebruikers medewerkers"], example: "ja" },
    { key: "usedByParents", type: "bool", aliases: ["ouders", "gebruikers ouders"], example: "nee" },
    { key: "processesPersonalData", type: "bool", aliases: ["verwerkt persoonsgegevens", "persoonsgegevens ja nee"], example: "ja" },
    { key: "dataLocationCountry", type: "text", aliases: ["land", "locatie gegevens", "opslaglocatie", "gegevenslocatie", "land van opslag", "hosting"], example: "Nederland" },
    { key: "dataInEea", type: "eea", aliases: ["eer", "in eer", "binnen de eer", "binnen eer"], example: "ja" },
    { key: "transferMechanism", type: { enum: "transferMechanisms" }, aliases: ["doorgifte", "doorgiftemechanisme"], example: "" },
    { key: "costOneTimeCents", type: "euros", aliases: ["eenmalige kosten", "aanschafkosten"], example: "1.250,00" },
    { key: "costLicencePerYearCents", type: "euros", aliases: ["licentiekosten", "licentiekosten per jaar", "jaarlijkse kosten", "kosten per jaar"], example: "3.400,00" },
    { key: "costImplementationCents", type: "euros", aliases: ["implementatiekosten", "invoeringskosten"], example: "500" },
    { key: "schools", type: "list", aliases: ["scholen", "brin", "brin codes", "brin code", "gebruikt door scholen", "school"], example: "12AB; 34CD00" },
    { key: "categories", type: "list", aliases: ["categorieen persoonsgegevens", "categorieen", "soorten persoonsgegevens", "gegevens"], example: "Contactgegevens; progress" },
    { key: "subjects", type: "list", aliases: ["betrokkenen", "categorieen betrokkenen"], example: "Leerlingen; Medewerkers" },
    { key: "functions", type: "list", aliases: ["fora functie", "fora functies", "fora", "bedrijfsfunctie", "bedrijfsfuncties"], example: "Leerlingadministratie" },
  ],
  agreements: [
    { key: "reference", type: "text", required: true, aliases: ["kenmerk", "referentie", "nummer", "naam overeenkomst", "overeenkomst", "kenmerk vo", "vo kenmerk", "nummer vo"], example: "VO-2025-001" },
    { key: "supplier", type: "text", required: true, aliases: ["leverancier", "naam leverancier", "verwerker"], example: "Iddink" },
    { key: "supplierKvk", type: "kvk", aliases: ["kvk leverancier", "kvk nummer leverancier", "kvk", "kvk nummer"], example: "12345678" },
    { key: "model", type: { enum: "agreementModels" }, required: true, aliases: ["model", "modelversie", "versie model", "model vo"], example: "4.0" },
    { key: "status", type: { enum: "agreementStatuses" }, aliases: ["status", "status vo", "status overeenkomst"], example: "ondertekend" },
    { key: "signedOn", type: "date", aliases: ["ondertekend op", "datum ondertekening", "getekend op", "ondertekend"], example: "15-01-2025" },
    { key: "startsOn", type: "date", aliases: ["ingangsdatum", "begindatum", "startdatum", "ingang", "start vo", "begin vo", "ingang vo", "ingangsdatum vo", "start overeenkomst", "begin overeenkomst"], example: "01-02-2025" },
    // "Einde VO" is how boards' own overviews often head the column: left unread, an ended agreement would import as current.
    { key: "endsOn", type: "date", aliases: ["einddatum", "geldig tot", "geldig tot en met", "looptijd tot", "einde looptijd", "loopt tot", "einde vo", "einddatum vo", "einde overeenkomst", "einddatum overeenkomst", "verloopdatum", "vervaldatum", "afloopdatum"], example: "31-07-2027" },
    { key: "nextReviewOn", type: "date", aliases: ["volgende evaluatie", "evaluatiedatum", "herbeoordeling", "volgende beoordeling", "evaluatie vo", "herbeoordeling vo"], example: "2026-01-15" },
    { key: "signatoryName", type: "text", aliases: ["ondertekenaar", "getekend door", "ondertekend door"], example: "M. Jansen" },
    { key: "signatoryRole", type: "text", aliases: ["functie ondertekenaar"], example: "Bestuurder" },
    { key: "signedViaPortal", type: "bool", aliases: ["dienst verwerkersovereenkomsten", "via dienst verwerkersovereenkomsten", "dvo"], example: "ja" },
    { key: "applications", type: "list", aliases: ["applicaties", "applicatie", "gedekte applicaties"], example: "Magister; Somtoday" },
    { key: "categories", type: "list", aliases: ["categorieen persoonsgegevens", "categorieen", "gegevens"], example: "contact; progress" },
    { key: "subjects", type: "list", aliases: ["betrokkenen", "categorieen betrokkenen"], example: "Leerlingen" },
    { key: "breachNotificationHours", type: "count", aliases: ["meldtermijn", "meldtermijn datalek", "meldtermijn uren"], example: "48" },
    { key: "deletionTermDays", type: "count", aliases: ["verwijdertermijn", "verwijdertermijn dagen", "bewaartermijn na einde"], example: "90" },
    { key: "annexVersion", type: "text", aliases: ["privacybijsluiter", "versie privacybijsluiter"], example: "2.1" },
    { key: "annexDate", type: "date", aliases: ["datum privacybijsluiter"], example: "01-01-2025" },
    { key: "deviations", type: "text", aliases: ["afwijkingen", "afwijkingen van het model"], example: "" },
    { key: "deviationsMotivation", type: "text", aliases: ["motivering afwijkingen", "motivatie afwijkingen"], example: "" },
    { key: "sivonReviewUrl", type: "text", aliases: ["sivon beoordeling", "link sivon", "sivon"], example: "" },
    { key: "sivonRiskLevel", type: { enum: "levels" }, aliases: ["risiconiveau sivon", "sivon risico", "risico sivon"], example: "laag" },
    { key: "notes", type: "text", aliases: ["opmerkingen", "notities", "aantekeningen"], example: "" },
  ],
};

export function fieldsOf(kind: ImportKind): FieldSpec[] {
  return FIELDS[kind];
}

export function fieldSpec(kind: ImportKind, key: string): FieldSpec | undefined {
  return FIELDS[kind].find((f) => f.key === key);
}

/** The template's heading of a field, e.g. "Leverancier". */
export function headingOf(kind: ImportKind, key: string): string {
  return t(`imports.columns.${kind}.${key}`);
}

/**
 * A heading as compared: lower case, accents removed (Categorieën = categorieen), text in brackets and a
 * trailing "*" dropped ("Eenmalige kosten (€)", "Naam *"), anything else that is not a letter or digit a
 * single space.
 */
/**
 * Names (applications, suppliers) compare as a person reads them: NFKC folds compatibility forms, and every run
 * of whitespace, non-breaking spaces included, counts as one space, so a pasted "Microsoft\u00a0365" is not a
 * second application.
 */
export function normaliseName(name: string): string {
  return name.normalize("NFKC").replace(/\s+/gu, " ").trim().toLowerCase();
}

export function normaliseHeading(heading: string): string {
  return heading
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\([^)]*\)/g, " ")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}
