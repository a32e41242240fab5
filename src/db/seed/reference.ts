// Reference data every register starts with (../shared/domain.md): data categories, data subjects, FORA
// domains and functions, a catalogue of security measures and the sector's retention terms. Each table is
// filled only while it is empty, so what a board edits, archives or adds is never overwritten.
import { countRows, type Db, type DbOrTx } from "../client";
import type { Aspect, Level } from "../enums";
import { dataCategories, dataSubjects, foraDomains, foraFunctions, retentionRules, securityMeasures } from "../schema";

type CategorySeed = [code: string, label: string, description: string, flag: (typeof dataCategories.$inferInsert)["flag"], min: Level];

export const DATA_CATEGORIES: CategorySeed[] = [
  ["contact", "Contactgegevens", "Naam, voorletters, geslacht, geboortedatum, adres, telefoonnummer, e-mailadres", null, "midden"],
  ["student_number", "Leerlingnummer / administratienummer", "Een nummer zonder andere betekenis", null, "midden"],
  ["nationality", "Nationaliteit en geboorteplaats", "Kan etnische afkomst onthullen", "gevoelig", "midden"],
  ["parents", "Gegevens ouders/verzorgers", "Contactgegevens van ouders of verzorgers", null, "midden"],
  ["health", "Medische gegevens / gezondheid en welzijn", "Inclusief dyslexie en gedrag; bijzonder persoonsgegeven (AVG art. 9)", "bijzonder", "hoog"],
  ["religion", "Godsdienst / levensovertuiging", "Alleen waar nodig voor het onderwijs; bijzonder persoonsgegeven (AVG art. 9)", "bijzonder", "hoog"],
  ["progress", "Studievoortgang en resultaten", "Verloop van de opleiding, toetsresultaten, verzuim", null, "midden"],
  ["organisation", "Onderwijsorganisatie", "Klas/groep, rooster, leermiddelen", null, "laag"],
  ["finance", "Financiële gegevens", "Ouderbijdrage, bankrekeningnummer", null, "midden"],
  ["images", "Beeldmateriaal", "Foto's en video, met of zonder geluid; meestal is toestemming nodig", "toestemming", "midden"],
  ["staff", "Gegevens docenten/medewerkers", "Gegevens van medewerkers die nodig zijn om het onderwijs te organiseren", null, "midden"],
  ["support", "Begeleidingsgegevens / zorgdossier", "Ontwikkelingsperspectiefplan (OPP), zorgdossier; meestal gezondheidsgegevens", "bijzonder", "hoog"],
  ["bsn", "BSN / persoonsgebonden nummer (PGN)", "Burgerservicenummer of onderwijsnummer; alleen waar een wet het voorschrijft (UAVG art. 46)", "nationaal_id", "hoog"],
  ["pseudonym", "Pseudoniem / keten-ID", "Pseudonieme ketenidentiteit voor leermiddelen", null, "laag"],
  ["account", "Account- en gebruiksgegevens", "Inloggegevens, logging, IP-adres, apparaat, leeranalyses", null, "midden"],
  ["other", "Overige gegevens", "Vrije tekst: welke gegevens precies", null, "laag"],
];

export const DATA_SUBJECTS: [code: string, label: string, vulnerable: boolean][] = [
  ["pupils", "Leerlingen", true],
  ["parents", "Ouders/verzorgers", false],
  ["staff", "Medewerkers", false],
  ["applicants", "Sollicitanten", false],
  ["interns", "Stagiairs", false],
  ["external", "Externe begeleiders", false],
  ["visitors", "Bezoekers", false],
];

export const FORA: { code: string; name: string; functions: [code: string, name: string][] }[] = [
  {
    code: "bg",
    name: "Bevoegd gezag",
    functions: [
      ["bg.strategie", "Strategisch beleid en koersbepaling"],
      ["bg.verantwoording", "Verantwoording en intern toezicht"],
      ["bg.kwaliteit", "Kwaliteitszorg op bestuursniveau"],
    ],
  },
  {
    code: "sl",
    name: "Schoolleiding",
    functions: [
      ["sl.schoolplan", "Schoolplan en kwaliteitszorg"],
      ["sl.formatie", "Formatie en personeelsplanning"],
      ["sl.communicatie", "Communicatie met ouders en omgeving"],
    ],
  },
  {
    code: "ow",
    name: "Onderwijs",
    functions: [
      ["ow.ontwerp", "Onderwijsontwerp en leerplan"],
      ["ow.leeromgeving", "Lesgeven en digitale leeromgeving"],
      ["ow.toetsing", "Toetsing en examinering"],
      ["ow.leerlingvolg", "Volgen van de leerontwikkeling"],
      ["ow.leermiddelen", "Digitale leermiddelen"],
    ],
  },
  {
    code: "oo",
    name: "Onderwijsondersteuning",
    functions: [
      ["oo.administratie", "Leerlingadministratie"],
      ["oo.rooster", "Roostering"],
      ["oo.aanwezigheid", "Aanwezigheidsregistratie"],
      ["oo.identiteit", "Identiteits- en toegangsbeheer"],
      ["oo.leermiddelenbeheer", "Bestellen en distribueren van leermiddelen"],
    ],
  },
  {
    code: "lz",
    name: "Leerlingbegeleiding en -zorg",
    functions: [
      ["lz.zorgcoordinatie", "Zorgbegeleiding en -coördinatie"],
      ["lz.zorgdossier", "Vorming zorgdossier"],
      ["lz.passend", "Organisatie passend onderwijs"],
      ["lz.loopbaan", "Loopbaanoriëntatie en -begeleiding"],
    ],
  },
  {
    code: "bv",
    name: "Bedrijfsvoering",
    functions: [
      ["bv.hrm", "Personeelsadministratie (HRM)"],
      ["bv.salaris", "Salarisadministratie"],
      ["bv.financien", "Financiële administratie"],
      ["bv.kantoor", "Kantoorautomatisering en samenwerking"],
      ["bv.ict", "ICT-beheer en facilitair"],
      ["bv.archief", "Archivering"],
    ],
  },
];

type MeasureSeed = [code: string, aspect: Aspect, level: Level, title: string, owner: "leverancier" | "school" | "beide"];

/** A reasonable starting catalogue; the sector's Normenkader is not public in machine-readable form. */
export const SECURITY_MEASURES: MeasureSeed[] = [
  ["b.backup-dagelijks", "beschikbaarheid", "midden", "Dagelijkse back-up", "leverancier"],
  ["b.herstel-24u", "beschikbaarheid", "midden", "Herstel binnen 24 uur", "leverancier"],
  ["b.herstel-getest", "beschikbaarheid", "hoog", "Herstelprocedure jaarlijks getest", "leverancier"],
  ["b.sla", "beschikbaarheid", "hoog", "Beschikbaarheid vastgelegd in een SLA", "beide"],
  ["b.exitplan", "beschikbaarheid", "hoog", "Exitplan: gegevens terugkrijgen bij einde contract", "beide"],
  ["i.invoercontrole", "integriteit", "midden", "Controle op invoer en wijzigingen door bevoegden", "school"],
  ["i.wijzigingslog", "integriteit", "hoog", "Logging van wijzigingen (wie, wat, wanneer)", "leverancier"],
  ["i.vier-ogen", "integriteit", "hoog", "Vier-ogenprincipe bij massale wijzigingen", "school"],
  ["v.rollen", "vertrouwelijkheid", "midden", "Toegang op basis van rollen", "beide"],
  ["v.tls", "vertrouwelijkheid", "midden", "Versleuteld transport (TLS)", "leverancier"],
  ["v.mfa", "vertrouwelijkheid", "hoog", "Tweefactorauthenticatie voor iedereen met toegang", "beide"],
  ["v.encryptie-rust", "vertrouwelijkheid", "hoog", "Versleuteling van opgeslagen gegevens", "leverancier"],
  ["v.eer", "vertrouwelijkheid", "hoog", "Gegevens binnen de EER", "leverancier"],
  ["v.toegangslog", "vertrouwelijkheid", "hoog", "Logging van toegang tot gegevens", "leverancier"],
];

type RetentionSeed = [category: string | null, recordType: string, months: number | null, term: string, trigger: string, action: "vernietigen" | "archiveren" | "anonimiseren", source: string];

export const RETENTION_RULES: RetentionSeed[] = [
  ["progress", "Leerlingdossier", 24, "Maximaal 2 jaar", "Na uitschrijving van de leerling", "vernietigen", "Sectorrichtlijn bewaartermijnen po/vo"],
  ["progress", "Verzuim- en inschrijvingsgegevens", 60, "5 jaar", "Na uitschrijving van de leerling", "vernietigen", "Leerplichtwet / WPO, WVO"],
  ["support", "Verwijzing naar speciaal onderwijs", 36, "3 jaar", "Na de verwijzing", "vernietigen", "WPO"],
  ["progress", "Centraal examenwerk", 6, "Minimaal 6 maanden", "Na vaststelling van de uitslag", "vernietigen", "Eindexamenbesluit VO"],
  ["staff", "Personeelsdossier", 24, "2 jaar", "Na uitdiensttreding", "vernietigen", "Selectielijst; AVG art. 5"],
  ["staff", "Loonbelastingverklaring en identiteitsbewijs", 60, "5 jaar", "Na uitdiensttreding", "vernietigen", "Wet op de loonbelasting"],
  ["finance", "Salaris- en financiële administratie", 84, "7 jaar", "Na afloop van het boekjaar", "archiveren", "Fiscale bewaarplicht (AWR art. 52)"],
];

export function seedReferenceData(db: Db): void {
  db.transaction((tx) => {
    if (countRows(tx, dataCategories) === 0) {
      tx.insert(dataCategories)
        .values(DATA_CATEGORIES.map(([code, label, description, flag, min], i) => ({ code, label, description, flag, minConfidentiality: min, sortOrder: i + 1 })))
        .run();
    }
    if (countRows(tx, dataSubjects) === 0) {
      tx.insert(dataSubjects)
        .values(DATA_SUBJECTS.map(([code, label, vulnerable], i) => ({ code, label, vulnerable, sortOrder: i + 1 })))
        .run();
    }
    if (countRows(tx, foraDomains) === 0) {
      FORA.forEach((domain, i) => {
        const { id } = tx.insert(foraDomains).values({ code: domain.code, name: domain.name, sortOrder: i + 1 }).returning().get();
        tx.insert(foraFunctions)
          .values(domain.functions.map(([code, name], j) => ({ domainId: id, code, name, sortOrder: j + 1 })))
          .run();
      });
    }
    if (countRows(tx, securityMeasures) === 0) {
      tx.insert(securityMeasures)
        .values(SECURITY_MEASURES.map(([code, aspect, level, title, owner], i) => ({ code, aspect, level, title, owner, sortOrder: i + 1 })))
        .run();
    }
    if (countRows(tx, retentionRules) === 0) seedRetention(tx);
  });
}

function seedRetention(tx: DbOrTx): void {
  const ids = new Map(tx.select({ id: dataCategories.id, code: dataCategories.code }).from(dataCategories).all().map((c) => [c.code, c.id]));
  tx.insert(retentionRules)
    .values(
      RETENTION_RULES.map(([category, recordType, termMonths, termText, trigger, action, source]) => ({
        dataCategoryId: category ? (ids.get(category) ?? null) : null,
        recordType,
        termMonths,
        termText,
        trigger,
        action,
        source,
      })),
    )
    .run();
}
