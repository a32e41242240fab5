// Demo data: a fictional school board with a realistic application landscape, so a visitor sees every
// state the register knows (red, orange, green and grey applications; agreements in every status; overdue
// classifications; a DPIA gap; an open data breach; intake requests). Supplier and product names are the
// ones Dutch schools really use; the board, its schools and people, KvK numbers, contacts, certifications,
// agreements and incidents are invented. Every date is relative to `now`, so the demo looks the same on
// any day. The register must be empty apart from the reference data and the board row.
import { eq, inArray } from "drizzle-orm";
import { recordChange, SYSTEM_ACTOR } from "../audit/audit.service";
import { countRows, type Db, type Tx } from "../db/client";
import { levelRank, type Aspect, type Level } from "../db/enums";
import {
  agreementApplications,
  agreementDataCategories,
  agreementDataSubjects,
  agreements,
  applicationData,
  applicationFunctions,
  applicationMeasures,
  applications,
  applicationSchools,
  board,
  breachDataCategories,
  breaches,
  classifications,
  dataCategories,
  dataSubjects,
  dpias,
  foraFunctions,
  intakeRequestData,
  intakeRequests,
  schools,
  securityMeasures,
  settings,
  subProcessors,
  suppliers,
  users,
} from "../db/schema";
import { addDays, addMonths, todayIso } from "../lib/dates";
import { insertUser } from "../users/users.repository";
import { REASONS } from "../classifications/classifications.schemas";

export type DemoUser = {
  email: string;
  password: string;
  role: "admin" | "privacy_officer" | "school" | "auditor";
  name: string;
  /** Names of the schools a `school` user represents. */
  schools?: string[];
};

type Sector = (typeof schools.$inferInsert)["sector"];
type Covenant = NonNullable<(typeof suppliers.$inferInsert)["covenantStatus"]>;
type Lifecycle = NonNullable<(typeof applications.$inferInsert)["lifecycle"]>;
type Mechanism = NonNullable<(typeof applications.$inferInsert)["transferMechanism"]>;
type Model = (typeof agreements.$inferInsert)["model"];
type AgreementStatus = NonNullable<(typeof agreements.$inferInsert)["status"]>;
type MeasureStatus = (typeof applicationMeasures.$inferInsert)["status"];
type DpiaSeedRow = typeof dpias.$inferInsert;

/** The codes of src/db/seed/reference.ts, typed here so a typo fails the type check. */
type CategoryCode =
  | "contact" | "student_number" | "nationality" | "parents" | "health" | "religion" | "progress" | "organisation"
  | "finance" | "images" | "staff" | "support" | "bsn" | "pseudonym" | "account" | "other";
type SubjectCode = "pupils" | "parents" | "staff" | "applicants" | "interns" | "external" | "visitors";
/** Categories that need V hoog and a DPIA decision (special categories and national identifiers). */
const SPECIAL: readonly CategoryCode[] = ["health", "religion", "support", "bsn"];

/** A date relative to today: a number of months, or { days }. Negative is in the past. */
type Rel = number | { days: number };
/** B, I, V as one letter each: L(aag), M(idden), H(oog). "HMH" = B hoog, I midden, V hoog. */
type LevelLetter = "L" | "M" | "H";
type Levels = `${LevelLetter}${LevelLetter}${LevelLetter}`;

// ---------------------------------------------------------------------------------------------
// The board, its people and its schools

const BOARD = {
  name: "Stichting Voorbeeld Onderwijs Rivierenland",
  kvk: "41098765",
  address: "Postbus 1010, 4000 BA Tiel",
  email: "bestuursbureau@svor.example",
  dpoName: "Femke de Wit",
  dpoEmail: "fg@svor.example",
  dpoPhone: "0344 123 456",
  privacyOfficerName: "Ruben Jansen",
};
const SIGNATORY = { name: "Hans van Dijk", role: "Voorzitter college van bestuur" };

const SCHOOLS = [
  { key: "regenboog", name: "Basisschool De Regenboog", brin: "17RB", location: "", sector: "po", city: "Tiel", director: "Sanne de Vries", email: "regenboog@svor.example", ict: "Mark Hendriks" },
  { key: "kompas", name: "Basisschool Het Kompas", brin: "18KP", location: "", sector: "po", city: "Culemborg", director: "Ilse van Leeuwen", email: "kompas@svor.example", ict: "Tom Willems" },
  { key: "wielewaal", name: "Basisschool De Wielewaal", brin: "19WW", location: "", sector: "po", city: "Geldermalsen", director: "Gerrit Bos", email: "wielewaal@svor.example", ict: "Fatima Ouali" },
  { key: "zandloper", name: "Basisschool De Zandloper", brin: "21ZL", location: "", sector: "po", city: "Zaltbommel", director: "Marieke Peters", email: "zandloper@svor.example", ict: "Jeroen Post" },
  { key: "rc-tiel", name: "Rivierencollege, locatie Tiel", brin: "30RC", location: "00", sector: "vo", city: "Tiel", director: "Karin Vermeulen", email: "tiel@rivierencollege.example", ict: "Dennis van Wijk" },
  { key: "rc-culemborg", name: "Rivierencollege, locatie Culemborg", brin: "30RC", location: "01", sector: "vo", city: "Culemborg", director: "Ahmed Yilmaz", email: "culemborg@rivierencollege.example", ict: "Dennis van Wijk" },
  { key: "waalkant", name: "Scholengemeenschap De Waalkant", brin: "31WK", location: "", sector: "vo", city: "Beneden-Leeuwen", director: "Esther Brouwer", email: "info@dewaalkant.example", ict: "Niels Kuipers" },
  { key: "brug", name: "SO De Brug", brin: "32BG", location: "", sector: "so", city: "Tiel", director: "Johan Meijer", email: "debrug@svor.example", ict: "Lotte Dekker" },
] as const satisfies readonly {
  key: string;
  name: string;
  brin: string;
  location: string;
  sector: Sector;
  city: string;
  director: string;
  email: string;
  ict: string;
}[];
type SchoolKey = (typeof SCHOOLS)[number]["key"];

export const DEMO_USERS: DemoUser[] = [
  { email: "beheerder@svor.example", password: "Demo-beheer-2026!", role: "admin", name: "Anouk Bakker" },
  { email: "privacy@svor.example", password: "Demo-privacy-2026!", role: "privacy_officer", name: BOARD.privacyOfficerName },
  { email: "school@svor.example", password: "Demo-school-2026!", role: "school", name: "Sanne de Vries", schools: [SCHOOLS[0].name] },
  { email: "auditor@svor.example", password: "Demo-audit-2026!", role: "auditor", name: "Marloes Visser" },
];

// ---------------------------------------------------------------------------------------------
// Suppliers

type SupplierSeed = {
  key: string;
  name: string;
  /** Foreign companies without a Dutch registration have none. */
  kvk: string | null;
  website: string;
  contact: string;
  email: string;
  covenant: Covenant;
  certs: readonly ("iso27001" | "nen7510" | "rosa")[];
  notes?: string;
};

const SUPPLIERS = [
  { key: "magister", name: "Iddink Group (Magister)", kvk: "09108765", website: "https://www.magister.nl", contact: "Privacy Office", email: "privacy@magister.example", covenant: "deelnemer", certs: ["iso27001", "rosa"] },
  { key: "parnassys", name: "ParnasSys (Topicus)", kvk: "08176543", website: "https://www.parnassys.nl", contact: "Functionaris gegevensbescherming", email: "privacy@parnassys.example", covenant: "deelnemer", certs: ["iso27001", "rosa"], notes: "Levert ook Parro." },
  { key: "somtoday", name: "Somtoday (Topicus)", kvk: "08234561", website: "https://som.today", contact: "Privacyteam", email: "privacy@somtoday.example", covenant: "deelnemer", certs: ["iso27001", "rosa"] },
  { key: "cito", name: "Stichting Cito Instituut voor Toetsontwikkeling", kvk: "41048023", website: "https://www.cito.nl", contact: "Functionaris gegevensbescherming", email: "fg@cito.example", covenant: "deelnemer", certs: ["iso27001"] },
  { key: "microsoft", name: "Microsoft Ireland Operations Ltd.", kvk: null, website: "https://www.microsoft.com/nl-nl/education", contact: "EU Data Protection Officer", email: "privacy@microsoft.example", covenant: "geen", certs: ["iso27001"], notes: "Afspraken voor de sector gemaakt door SIVON." },
  { key: "google", name: "Google Ireland Ltd.", kvk: null, website: "https://edu.google.com", contact: "Data Protection Office", email: "privacy@google.example", covenant: "geen", certs: ["iso27001"], notes: "Afspraken voor de sector gemaakt door SIVON." },
  { key: "basispoort", name: "Stichting Basispoort", kvk: "55123498", website: "https://www.basispoort.nl", contact: "Privacyteam", email: "privacy@basispoort.example", covenant: "deelnemer", certs: ["iso27001"] },
  { key: "gynzy", name: "Gynzy", kvk: "34291876", website: "https://www.gynzy.com/nl", contact: "Privacy Officer", email: "privacy@gynzy.example", covenant: "deelnemer", certs: ["iso27001"] },
  { key: "snappet", name: "Snappet", kvk: "52874310", website: "https://nl.snappet.org", contact: "Privacy Officer", email: "privacy@snappet.example", covenant: "deelnemer", certs: ["iso27001", "rosa"] },
  { key: "squla", name: "Squla", kvk: "34410987", website: "https://www.squla.nl", contact: "Privacyteam", email: "privacy@squla.example", covenant: "deelnemer", certs: [] },
  { key: "socialschools", name: "Social Schools", kvk: "56320981", website: "https://www.socialschools.nl", contact: "Functionaris gegevensbescherming", email: "privacy@socialschools.example", covenant: "deelnemer", certs: ["iso27001"] },
  { key: "schoudercom", name: "Schoudercom", kvk: "30198274", website: "https://www.schoudercom.nl", contact: "Klantenservice privacy", email: "privacy@schoudercom.example", covenant: "deelnemer", certs: [] },
  { key: "zermelo", name: "Zermelo Software", kvk: "01087234", website: "https://www.zermelo.nl", contact: "Security Officer", email: "privacy@zermelo.example", covenant: "deelnemer", certs: ["iso27001"] },
  { key: "untis", name: "Untis (Gruber & Petters)", kvk: "61029384", website: "https://www.untis.at", contact: "Datenschutz", email: "privacy@untis.example", covenant: "deelnemer", certs: [], notes: "Nederlandse reseller; software van Gruber & Petters (Oostenrijk)." },
  { key: "itslearning", name: "itslearning", kvk: "57390126", website: "https://itslearning.com/nl", contact: "Data Protection Officer", email: "privacy@itslearning.example", covenant: "deelnemer", certs: ["iso27001"] },
  { key: "kennisnet", name: "Stichting Kennisnet", kvk: "27193845", website: "https://www.kennisnet.nl", contact: "Functionaris gegevensbescherming", email: "fg@kennisnet.example", covenant: "deelnemer", certs: ["iso27001"], notes: "Beheert Wikiwijs en de Entree Federatie." },
  { key: "noordhoff", name: "Noordhoff Uitgevers", kvk: "02038471", website: "https://www.noordhoff.nl", contact: "Privacy Officer", email: "privacy@noordhoff.example", covenant: "deelnemer", certs: ["iso27001"] },
  { key: "malmberg", name: "Malmberg", kvk: "16047392", website: "https://www.malmberg.nl", contact: "Privacy Officer", email: "privacy@malmberg.example", covenant: "deelnemer", certs: ["iso27001"] },
  { key: "thieme", name: "ThiemeMeulenhoff", kvk: "30087615", website: "https://www.thiememeulenhoff.nl", contact: "Privacy Officer", email: "privacy@thiememeulenhoff.example", covenant: "deelnemer", certs: ["iso27001"] },
  { key: "muiswerk", name: "Muiswerk Educatief", kvk: "33219087", website: "https://www.muiswerk.nl", contact: "Directie", email: "privacy@muiswerk.example", covenant: "deelnemer", certs: [] },
  { key: "lexima", name: "Lexima", kvk: "30176548", website: "https://www.lexima.nl", contact: "Privacyteam", email: "privacy@lexima.example", covenant: "deelnemer", certs: [], notes: "Levert Kurzweil 3000 en Bouw!." },
  { key: "afas", name: "AFAS Software", kvk: "31083712", website: "https://www.afas.nl", contact: "Privacy Officer", email: "privacy@afas.example", covenant: "geen", certs: ["iso27001"] },
  { key: "visma", name: "Visma | Raet (Youforce)", kvk: "33206589", website: "https://www.vismaraet.nl", contact: "Data Protection Officer", email: "privacy@vismaraet.example", covenant: "geen", certs: ["iso27001"] },
  { key: "exact", name: "Exact", kvk: "27109384", website: "https://www.exact.com/nl", contact: "Privacy Office", email: "privacy@exact.example", covenant: "geen", certs: ["iso27001"] },
  { key: "wiscollect", name: "WIS Collect", kvk: "59287134", website: "https://www.wiscollect.nl", contact: "Klantenservice", email: "privacy@wiscollect.example", covenant: "deelnemer", certs: [] },
  { key: "intergrip", name: "Intergrip", kvk: "09198273", website: "https://www.intergrip.nl", contact: "Privacy Officer", email: "privacy@intergrip.example", covenant: "deelnemer", certs: ["iso27001"] },
  { key: "vandale", name: "Van Dale Uitgevers", kvk: "30061238", website: "https://www.vandale.nl", contact: "Klantenservice", email: "info@vandale.example", covenant: "medestander", certs: [] },
  { key: "kanjer", name: "Kanjertraining", kvk: "34176209", website: "https://www.kanjertraining.nl", contact: "Directie", email: "privacy@kanjertraining.example", covenant: "medestander", certs: [] },
  { key: "oefenweb", name: "Oefenweb", kvk: "34328751", website: "https://www.oefenweb.nl", contact: "Privacy Officer", email: "privacy@oefenweb.example", covenant: "deelnemer", certs: [] },
  { key: "zivver", name: "Zivver", kvk: "62783415", website: "https://www.zivver.com/nl", contact: "Data Protection Officer", email: "privacy@zivver.example", covenant: "geen", certs: ["iso27001", "nen7510"] },
  { key: "jamf", name: "Jamf", kvk: "60918273", website: "https://www.jamf.com", contact: "Privacy Team", email: "privacy@jamf.example", covenant: "geen", certs: ["iso27001"], notes: "Amerikaans moederbedrijf; Nederlandse vestiging." },
  { key: "classpulse", name: "ClassPulse Inc.", kvk: null, website: "https://classpulse.example", contact: "Support", email: "support@classpulse.example", covenant: "geen", certs: [], notes: "Fictieve Amerikaanse leverancier (demo)." },
  { key: "canva", name: "Canva Pty Ltd", kvk: null, website: "https://www.canva.com", contact: "Privacy Team", email: "privacy@canva.example", covenant: "geen", certs: ["iso27001"] },
  { key: "prowise", name: "Prowise", kvk: "17219384", website: "https://www.prowise.com", contact: "Privacy Officer", email: "privacy@prowise.example", covenant: "medestander", certs: ["iso27001"] },
  { key: "topdesk", name: "TOPdesk Nederland", kvk: "27087612", website: "https://www.topdesk.com/nl", contact: "Security Officer", email: "privacy@topdesk.example", covenant: "geen", certs: ["iso27001"] },
] as const satisfies readonly SupplierSeed[];
type SupplierKey = (typeof SUPPLIERS)[number]["key"];

// ---------------------------------------------------------------------------------------------
// Applications

type DataLine = readonly [category: CategoryCode, subjects: readonly SubjectCode[], purpose: string];
type AppSeed = {
  name: string;
  supplier: SupplierKey;
  description: string;
  goal: string;
  lifecycle?: Lifecycle;
  owner: string;
  by: readonly ("leerlingen" | "medewerkers" | "ouders")[];
  personal?: false;
  location: readonly [country: string, inEea: boolean, mechanism?: Mechanism];
  /** One-time, licence per year, implementation: in euros (stored as cents). */
  costs: readonly [number, number, number];
  functions: readonly string[];
  /** "all", or sectors and/or school keys. */
  schools: "all" | readonly (Sector | SchoolKey)[];
  /** In use since the start of the school year this many years ago (null: not in use yet). */
  since: number | null;
  /** Retired: used until the day before the start of the school year this many years ago. */
  until?: number;
  /** Schools that started later than `since` (school years ago). */
  sinceAt?: Partial<Record<SchoolKey, number>>;
  /** Who at the school is the local contact: the ICT coordinator (default) or the director. */
  contact?: "ict" | "director";
  data: readonly DataLine[];
};

const OWNER = {
  administration: "Kees Verbeek (applicatiebeheer leerlingadministratie)",
  ictPo: "Annelies Mulder (ICT-coördinator po)",
  ictVo: "Joost de Graaf (teamleider ICT vo)",
  hr: "Petra van den Berg (hoofd P&O)",
  finance: "Erik Smit (controller)",
  care: "Linda Kok (bovenschools intern begeleider)",
  materials: "Bas Hoekstra (coördinator leermiddelen)",
  communication: "Yvonne Smits (communicatieadviseur)",
};
const NL = ["Nederland", true] as const;
const EU = (country: string) => [country, true] as const;

const APPLICATIONS = [
  {
    name: "Magister", supplier: "magister", owner: OWNER.administration, by: ["leerlingen", "medewerkers", "ouders"], location: NL,
    description: "Leerlingadministratie en leerlingvolgsysteem voor het voortgezet onderwijs.",
    goal: "Inschrijving, cijfers, examendossier, verzuim en uitwisseling met DUO (BRON).",
    costs: [0, 27000, 8500], functions: ["oo.administratie", "ow.leerlingvolg", "oo.aanwezigheid"], schools: ["rc-tiel", "rc-culemborg"], since: 9,
    data: [
      ["contact", ["pupils", "parents", "staff"], "Leerlingadministratie en communicatie met leerlingen en ouders"],
      ["student_number", ["pupils"], "Identificatie binnen de administratie"],
      ["bsn", ["pupils"], "Uitwisseling met DUO via BRON (wettelijke plicht)"],
      ["nationality", ["pupils"], "Bekostiging en nieuwkomersregeling"],
      ["parents", ["parents"], "Contact met ouders/verzorgers"],
      ["progress", ["pupils"], "Cijfers, examendossier en verzuimregistratie"],
      ["organisation", ["pupils", "staff"], "Klassen, lesgroepen en lessen"],
      ["health", ["pupils"], "Medische bijzonderheden die de school moet kennen (allergie, dyslexie)"],
      ["support", ["pupils"], "Ondersteuningsbehoefte en ontwikkelingsperspectiefplan"],
      ["staff", ["staff"], "Docenten koppelen aan lessen en cijfers"],
      ["account", ["pupils", "parents", "staff"], "Inloggen en logging van toegang"],
    ],
  },
  {
    name: "ParnasSys", supplier: "parnassys", owner: OWNER.administration, by: ["medewerkers"], location: NL,
    description: "Leerlingadministratie en leerlingvolgsysteem voor het primair en speciaal onderwijs.",
    goal: "Inschrijving, groepsadministratie, toetsresultaten, zorgdossier en uitwisseling met DUO.",
    costs: [0, 14500, 0], functions: ["oo.administratie", "ow.leerlingvolg", "lz.zorgdossier"], schools: ["po", "so"], since: 8,
    data: [
      ["contact", ["pupils", "parents", "staff"], "Leerlingadministratie"],
      ["student_number", ["pupils"], "Identificatie binnen de administratie"],
      ["bsn", ["pupils"], "Uitwisseling met DUO via BRON (wettelijke plicht)"],
      ["nationality", ["pupils"], "Bekostiging en gewichtenregeling"],
      ["parents", ["parents"], "Contact met ouders/verzorgers"],
      ["progress", ["pupils"], "Toetsresultaten, rapporten en verzuim"],
      ["organisation", ["pupils", "staff"], "Groepen en leerkrachten"],
      ["health", ["pupils"], "Medische bijzonderheden en dyslexieverklaringen"],
      ["support", ["pupils"], "Groepsplannen, OPP en zorgdossier"],
      ["staff", ["staff"], "Leerkrachten koppelen aan groepen"],
      ["account", ["staff"], "Inloggen en logging van toegang"],
    ],
  },
  {
    name: "Somtoday", supplier: "somtoday", owner: OWNER.administration, by: ["leerlingen", "medewerkers", "ouders"], location: NL,
    description: "Leerlingadministratie en leerlingvolgsysteem van De Waalkant.",
    goal: "Inschrijving, cijfers, rooster-inzage voor leerlingen, verzuim en uitwisseling met DUO.",
    costs: [0, 11800, 0], functions: ["oo.administratie", "ow.leerlingvolg", "oo.aanwezigheid"], schools: ["waalkant"], since: 6,
    data: [
      ["contact", ["pupils", "parents", "staff"], "Leerlingadministratie"],
      ["student_number", ["pupils"], "Identificatie binnen de administratie"],
      ["bsn", ["pupils"], "Uitwisseling met DUO via BRON (wettelijke plicht)"],
      ["parents", ["parents"], "Contact met ouders/verzorgers"],
      ["progress", ["pupils"], "Cijfers, examendossier en verzuim"],
      ["organisation", ["pupils", "staff"], "Klassen en lesgroepen"],
      ["health", ["pupils"], "Medische bijzonderheden die de school moet kennen"],
      ["support", ["pupils"], "Ondersteuningsbehoefte en OPP"],
      ["account", ["pupils", "parents", "staff"], "Inloggen en logging van toegang"],
    ],
  },
  {
    name: "Parro", supplier: "parnassys", owner: OWNER.communication, by: ["medewerkers", "ouders"], location: NL,
    description: "App voor berichten, foto's, oudergesprekken en de schoolkalender in het po.",
    goal: "Communicatie tussen school en ouders.",
    costs: [0, 0, 0], functions: ["sl.communicatie"], schools: ["po", "so"], since: 4,
    data: [
      ["contact", ["pupils", "parents", "staff"], "Berichten aan de juiste ouders sturen"],
      ["parents", ["parents"], "Ouders koppelen aan hun kind en groep"],
      ["images", ["pupils"], "Foto's van activiteiten delen met ouders (met toestemming)"],
      ["organisation", ["pupils"], "Groepsindeling voor berichten en gespreksplanning"],
      ["account", ["parents", "staff"], "Inloggen in de app"],
    ],
  },
  {
    name: "Social Schools", supplier: "socialschools", owner: OWNER.communication, by: ["medewerkers", "ouders"], location: NL,
    description: "Platform voor berichten, nieuwsbrieven en absentiemeldingen van ouders.",
    goal: "Communicatie tussen school en ouders in het vo en so.",
    costs: [0, 6200, 1500], functions: ["sl.communicatie"], schools: ["vo", "so"], since: 3,
    data: [
      ["contact", ["pupils", "parents", "staff"], "Berichten aan de juiste ouders sturen"],
      ["parents", ["parents"], "Ouders koppelen aan hun kind"],
      ["images", ["pupils"], "Foto's in nieuwsberichten (met toestemming)"],
      ["organisation", ["pupils"], "Klassen en mentorgroepen"],
      ["account", ["parents", "staff"], "Inloggen in de app"],
    ],
  },
  {
    name: "Schoudercom", supplier: "schoudercom", lifecycle: "uitfaseren", owner: OWNER.communication, by: ["medewerkers", "ouders"], location: NL,
    description: "Schoolwebsite met ouderportaal en nieuwsbrief van Het Kompas.",
    goal: "Nieuwsbrief en inschrijving voor oudergesprekken; wordt vervangen door Parro.",
    costs: [0, 1450, 0], functions: ["sl.communicatie"], schools: ["kompas"], since: 7,
    data: [
      ["contact", ["parents", "staff"], "Nieuwsbrief versturen"],
      ["parents", ["parents"], "Ouderaccounts en inschrijvingen"],
      ["organisation", ["pupils"], "Groepsindeling voor inschrijvingen"],
      ["account", ["parents"], "Inloggen in het ouderportaal"],
    ],
  },
  {
    name: "Cito LOVS", supplier: "cito", lifecycle: "uitfaseren", owner: OWNER.care, by: ["medewerkers"], location: NL,
    description: "Leerling- en onderwijsvolgsysteem met de Cito-toetsen (oude versie).",
    goal: "Afnemen en analyseren van methodeonafhankelijke toetsen; wordt vervangen door Leerling in beeld.",
    costs: [0, 3900, 0], functions: ["ow.toetsing", "ow.leerlingvolg"], schools: ["po", "so"], since: 10,
    data: [
      ["contact", ["pupils"], "Naam, geboortedatum en groep van de leerling"],
      ["student_number", ["pupils"], "Koppeling met het administratiesysteem"],
      ["progress", ["pupils"], "Toetsresultaten en vaardigheidsgroei"],
      ["organisation", ["pupils"], "Groep en leerjaar"],
      ["staff", ["staff"], "Leerkrachten met toegang"],
    ],
  },
  {
    name: "Leerling in beeld", supplier: "cito", owner: OWNER.care, by: ["leerlingen", "medewerkers"], location: NL,
    description: "Het nieuwe leerlingvolgsysteem van Cito met digitale toetsen.",
    goal: "Volgen van de ontwikkeling van leerlingen met methodeonafhankelijke toetsen.",
    costs: [0, 7400, 2500], functions: ["ow.toetsing", "ow.leerlingvolg"], schools: ["po", "so"], since: 0,
    data: [
      ["contact", ["pupils"], "Naam, geboortedatum en groep van de leerling"],
      ["student_number", ["pupils"], "Koppeling met ParnasSys"],
      ["progress", ["pupils"], "Toetsresultaten en groei"],
      ["organisation", ["pupils"], "Groep en leerjaar"],
      ["staff", ["staff"], "Leerkrachten met toegang"],
      ["account", ["pupils", "staff"], "Inloggen voor digitale toetsafname"],
    ],
  },
  {
    name: "Microsoft 365", supplier: "microsoft", owner: OWNER.ictVo, by: ["leerlingen", "medewerkers"], location: ["Ierland / Verenigde Staten", false, "dpf"],
    description: "E-mail, OneDrive, SharePoint en Office-programma's voor medewerkers en vo-leerlingen.",
    goal: "Kantoorautomatisering, samenwerken en opslag van documenten.",
    costs: [0, 18500, 0], functions: ["bv.kantoor"], schools: "all", since: 6,
    data: [
      ["contact", ["pupils", "staff"], "Accounts en adresboek"],
      ["account", ["pupils", "staff"], "Inloggen, beveiliging en diagnostische gegevens"],
      ["organisation", ["pupils", "staff"], "Teams en groepen per klas"],
      ["images", ["pupils", "staff"], "Foto's en video in documenten en opnames"],
      ["staff", ["staff"], "Functie en afdeling in het adresboek"],
      ["other", ["pupils", "staff"], "Inhoud van documenten en e-mail die gebruikers zelf opslaan"],
    ],
  },
  {
    name: "Microsoft Teams", supplier: "microsoft", owner: OWNER.ictVo, by: ["leerlingen", "medewerkers"], location: ["Ierland / Verenigde Staten", false, "dpf"],
    description: "Chat, online lessen en vergaderen.",
    goal: "Samenwerken en lesgeven op afstand.",
    costs: [0, 0, 0], functions: ["ow.leeromgeving", "bv.kantoor"], schools: "all", since: 6,
    data: [
      ["contact", ["pupils", "staff"], "Deelnemers aan teams en vergaderingen"],
      ["account", ["pupils", "staff"], "Inloggen en gebruiksgegevens"],
      ["images", ["pupils", "staff"], "Beeld en geluid van online lessen"],
      ["organisation", ["pupils", "staff"], "Klassenteams"],
    ],
  },
  {
    name: "Google Workspace for Education", supplier: "google", owner: OWNER.ictPo, by: ["leerlingen", "medewerkers"], location: ["Verenigde Staten / EU", false, "scc"],
    description: "Gmail, Drive, Docs en beheer van de Chromebooks in het po.",
    goal: "Accounts en samenwerken voor leerlingen en leerkrachten in het po.",
    costs: [0, 0, 0], functions: ["bv.kantoor"], schools: ["po"], since: 5,
    data: [
      ["contact", ["pupils", "staff"], "Accounts voor leerlingen en leerkrachten"],
      ["account", ["pupils", "staff"], "Inloggen, apparaatbeheer en logging"],
      ["organisation", ["pupils", "staff"], "Groepen per klas"],
      ["other", ["pupils", "staff"], "Inhoud van documenten die gebruikers zelf opslaan"],
    ],
  },
  {
    name: "Google Classroom", supplier: "google", owner: OWNER.ictPo, by: ["leerlingen", "medewerkers"], location: ["Verenigde Staten / EU", false, "scc"],
    description: "Digitale klas voor opdrachten en feedback.",
    goal: "Opdrachten uitzetten en nakijken in de bovenbouw van het po.",
    costs: [0, 0, 0], functions: ["ow.leeromgeving"], schools: ["po"], since: 5,
    data: [
      ["contact", ["pupils", "staff"], "Leerlingen en leerkrachten in de klas"],
      ["progress", ["pupils"], "Ingeleverd werk en feedback"],
      ["account", ["pupils", "staff"], "Inloggen"],
      ["organisation", ["pupils"], "Klassen"],
    ],
  },
  {
    name: "itslearning", supplier: "itslearning", owner: OWNER.ictVo, by: ["leerlingen", "medewerkers"], location: EU("Ierland"),
    description: "Elektronische leeromgeving van het Rivierencollege.",
    goal: "Lesmateriaal, opdrachten en planners per vak.",
    costs: [0, 16800, 6000], functions: ["ow.leeromgeving"], schools: ["rc-tiel", "rc-culemborg"], since: 5,
    data: [
      ["contact", ["pupils", "staff"], "Leerlingen en docenten per vak"],
      ["progress", ["pupils"], "Ingeleverd werk en feedback"],
      ["organisation", ["pupils", "staff"], "Vakken en lesgroepen"],
      ["account", ["pupils", "staff"], "Inloggen en leeractiviteit"],
      ["staff", ["staff"], "Docenten koppelen aan vakken"],
    ],
  },
  {
    name: "Basispoort", supplier: "basispoort", owner: OWNER.materials, by: ["leerlingen", "medewerkers"], location: NL,
    description: "Toegangspoort tot de digitale lesmethoden in het po.",
    goal: "Eén inlog voor alle digitale leermiddelen; leerlingen gaan met een ECK iD naar de uitgevers.",
    costs: [0, 0, 0], functions: ["oo.identiteit", "oo.leermiddelenbeheer"], schools: ["po", "so"], since: 8,
    data: [
      ["contact", ["pupils", "staff"], "Naam en groep voor toegang tot lesmethoden"],
      ["pseudonym", ["pupils"], "ECK iD voor uitwisseling met uitgevers"],
      ["organisation", ["pupils", "staff"], "Groepen en licenties"],
      ["account", ["pupils", "staff"], "Inloggen"],
    ],
  },
  {
    name: "Entree Federatie", supplier: "kennisnet", owner: OWNER.ictVo, by: ["leerlingen", "medewerkers"], location: NL,
    description: "Inlogdienst van Kennisnet voor digitale leermiddelen in het vo.",
    goal: "Eén inlog voor leermiddelen, met een pseudoniem per uitgever.",
    costs: [0, 0, 0], functions: ["oo.identiteit"], schools: ["vo"], since: 7,
    data: [
      ["contact", ["pupils", "staff"], "Naam en school voor toegang"],
      ["pseudonym", ["pupils"], "ECK iD voor uitwisseling met uitgevers"],
      ["organisation", ["pupils"], "Klas en leerjaar"],
      ["account", ["pupils", "staff"], "Inloggen"],
    ],
  },
  {
    name: "Wikiwijs", supplier: "kennisnet", owner: OWNER.materials, by: ["medewerkers"], location: NL,
    description: "Platform voor open leermateriaal.",
    goal: "Leraren maken en delen eigen lesmateriaal.",
    costs: [0, 0, 0], functions: ["ow.ontwerp"], schools: "all", since: 5,
    data: [
      ["contact", ["staff"], "Account van de leraar"],
      ["account", ["staff"], "Inloggen"],
    ],
  },
  {
    name: "Snappet", supplier: "snappet", owner: OWNER.materials, by: ["leerlingen", "medewerkers"], location: NL,
    description: "Adaptief leerplatform voor rekenen, taal en spelling.",
    goal: "Oefenen op eigen niveau en direct inzicht voor de leerkracht.",
    costs: [0, 21500, 0], functions: ["ow.leermiddelen", "ow.leerlingvolg"], schools: ["kompas", "wielewaal", "zandloper"], since: 6,
    data: [
      ["contact", ["pupils"], "Naam en groep van de leerling"],
      ["pseudonym", ["pupils"], "ECK iD via Basispoort"],
      ["progress", ["pupils"], "Antwoorden, voortgang en leerdoelen"],
      ["organisation", ["pupils", "staff"], "Groepen"],
      ["account", ["pupils", "staff"], "Inloggen en leeranalyses"],
      ["staff", ["staff"], "Leerkrachten met toegang"],
    ],
  },
  {
    name: "Gynzy", supplier: "gynzy", owner: OWNER.materials, by: ["leerlingen", "medewerkers"], location: EU("Ierland"),
    description: "Digibordsoftware met lessen en oefenmodule.",
    goal: "Instructie op het digibord en zelfstandig oefenen.",
    costs: [0, 9800, 0], functions: ["ow.leeromgeving"], schools: ["regenboog", "wielewaal"], since: 4,
    data: [
      ["contact", ["pupils"], "Naam en groep van de leerling"],
      ["progress", ["pupils"], "Oefenresultaten"],
      ["organisation", ["pupils", "staff"], "Groepen"],
      ["account", ["pupils", "staff"], "Inloggen"],
    ],
  },
  {
    name: "Muiswerk", supplier: "muiswerk", owner: OWNER.care, by: ["leerlingen", "medewerkers"], location: NL,
    description: "Adaptieve oefensoftware voor taal, spelling en studievaardigheden.",
    goal: "Gericht oefenen, ook met een aangepaste route bij dyslexie.",
    costs: [0, 2100, 0], functions: ["ow.leermiddelen", "lz.passend"], schools: ["regenboog", "kompas", "rc-tiel"], since: 9,
    data: [
      ["contact", ["pupils"], "Naam en groep van de leerling"],
      ["progress", ["pupils"], "Diagnostische toetsen en oefenresultaten"],
      ["health", ["pupils"], "Aangepaste leerroute bij dyslexie"],
      ["account", ["pupils", "staff"], "Inloggen"],
    ],
  },
  {
    name: "Bouw!", supplier: "lexima", owner: OWNER.care, by: ["leerlingen", "medewerkers", "ouders"], location: NL,
    description: "Computerprogramma dat leesproblemen voorkomt, met tutor-ouders.",
    goal: "Vroege interventie bij leerlingen met een risico op leesproblemen in groep 2 tot 4.",
    costs: [0, 1600, 750], functions: ["lz.passend"], schools: ["regenboog", "wielewaal", "zandloper"], since: 1,
    data: [
      ["contact", ["pupils", "parents"], "Leerling en tutor"],
      ["progress", ["pupils"], "Voortgang in de lessen"],
      ["health", ["pupils"], "Signalering van leesproblemen en dyslexierisico"],
      ["account", ["pupils", "parents", "staff"], "Inloggen"],
    ],
  },
  {
    name: "Kurzweil 3000", supplier: "lexima", owner: OWNER.care, by: ["leerlingen"], location: NL,
    description: "Voorleessoftware voor leerlingen met dyslexie.",
    goal: "Compenserende software bij dyslexie.",
    costs: [0, 3400, 0], functions: ["lz.passend"], schools: ["vo"], since: 6,
    data: [
      ["contact", ["pupils"], "Naam en school van de leerling"],
      ["health", ["pupils"], "Alleen leerlingen met een dyslexieverklaring krijgen een licentie"],
      ["account", ["pupils"], "Inloggen en opgeslagen documenten"],
    ],
  },
  {
    name: "Rekentuin", supplier: "oefenweb", owner: OWNER.materials, by: ["leerlingen", "medewerkers"], location: NL,
    description: "Adaptieve rekengames.",
    goal: "Rekenvaardigheid oefenen op eigen niveau.",
    costs: [0, 4200, 0], functions: ["ow.leermiddelen"], schools: ["po"], since: 5,
    data: [
      ["contact", ["pupils"], "Naam en groep van de leerling"],
      ["progress", ["pupils"], "Niveau en voortgang"],
      ["account", ["pupils", "staff"], "Inloggen en leeranalyses"],
    ],
  },
  {
    name: "Taalzee", supplier: "oefenweb", owner: OWNER.materials, by: ["leerlingen", "medewerkers"], location: NL,
    description: "Adaptieve taalgames.",
    goal: "Taalvaardigheid en spelling oefenen op eigen niveau.",
    costs: [0, 2900, 0], functions: ["ow.leermiddelen"], schools: ["kompas", "zandloper"], since: 3,
    data: [
      ["contact", ["pupils"], "Naam en groep van de leerling"],
      ["progress", ["pupils"], "Niveau en voortgang"],
      ["account", ["pupils", "staff"], "Inloggen en leeranalyses"],
    ],
  },
  {
    name: "Noordhoff digitaal lesmateriaal", supplier: "noordhoff", owner: OWNER.materials, by: ["leerlingen", "medewerkers"], location: NL,
    description: "Digitale methodes voor wiskunde, aardrijkskunde en talen.",
    goal: "Lesmateriaal, oefeningen en methodetoetsen.",
    costs: [0, 42000, 0], functions: ["ow.leermiddelen"], schools: ["vo"], since: 6,
    data: [
      ["contact", ["pupils", "staff"], "Naam en klas"],
      ["pseudonym", ["pupils"], "ECK iD via de Entree Federatie"],
      ["progress", ["pupils"], "Antwoorden en resultaten"],
      ["account", ["pupils", "staff"], "Inloggen"],
    ],
  },
  {
    name: "Malmberg online methodes", supplier: "malmberg", owner: OWNER.materials, by: ["leerlingen", "medewerkers"], location: NL,
    description: "Digitale methodes voor taal, lezen en wereldoriëntatie.",
    goal: "Lesmateriaal en verwerking in de groep.",
    costs: [0, 36000, 0], functions: ["ow.leermiddelen"], schools: ["po"], since: 4,
    data: [
      ["contact", ["pupils", "staff"], "Naam en groep"],
      ["pseudonym", ["pupils"], "ECK iD via Basispoort"],
      ["progress", ["pupils"], "Resultaten van verwerkingsopdrachten"],
      ["account", ["pupils", "staff"], "Inloggen"],
    ],
  },
  {
    name: "ThiemeMeulenhoff digitaal lesmateriaal", supplier: "thieme", owner: OWNER.materials, by: ["leerlingen", "medewerkers"], location: NL,
    description: "Digitale methodes voor Nederlands, geschiedenis en biologie.",
    goal: "Lesmateriaal, oefeningen en methodetoetsen.",
    costs: [0, 28500, 0], functions: ["ow.leermiddelen"], schools: ["vo"], since: 5,
    data: [
      ["contact", ["pupils", "staff"], "Naam en klas"],
      ["pseudonym", ["pupils"], "ECK iD via de Entree Federatie"],
      ["progress", ["pupils"], "Antwoorden en resultaten"],
      ["account", ["pupils", "staff"], "Inloggen"],
    ],
  },
  {
    name: "Zermelo", supplier: "zermelo", owner: OWNER.ictVo, by: ["leerlingen", "medewerkers"], location: NL,
    description: "Roosterprogramma met roosterapp voor leerlingen en docenten.",
    goal: "Lessen, lokalen en docenten inroosteren; roosterwijzigingen doorgeven.",
    costs: [0, 7900, 4000], functions: ["oo.rooster"], schools: ["vo"], since: 5, sinceAt: { waalkant: 1 },
    data: [
      ["contact", ["pupils", "staff"], "Naam en klas in het rooster"],
      ["organisation", ["pupils", "staff"], "Lesgroepen, lokalen en rooster"],
      ["staff", ["staff"], "Beschikbaarheid en taken van docenten"],
      ["account", ["pupils", "staff"], "Inloggen in de roosterapp"],
    ],
  },
  {
    name: "Untis", supplier: "untis", lifecycle: "uitgefaseerd", owner: OWNER.ictVo, by: ["medewerkers"], location: EU("Oostenrijk"),
    description: "Roosterprogramma van De Waalkant tot de overstap naar Zermelo.",
    goal: "Roosters maken; vervangen door Zermelo.",
    costs: [3200, 0, 0], functions: ["oo.rooster"], schools: ["waalkant"], since: 8, until: 1,
    data: [
      ["contact", ["pupils", "staff"], "Naam en klas in het rooster"],
      ["organisation", ["pupils", "staff"], "Lesgroepen, lokalen en rooster"],
      ["staff", ["staff"], "Beschikbaarheid van docenten"],
    ],
  },
  {
    name: "AFAS Profit", supplier: "afas", owner: OWNER.hr, by: ["medewerkers"], location: NL,
    description: "Personeelsadministratie, formatie en verzuim voor het hele bestuur.",
    goal: "Personeelsdossiers, contracten, formatieplanning en verzuimregistratie.",
    costs: [0, 24000, 18000], functions: ["bv.hrm", "sl.formatie"], schools: "all", since: 4, contact: "director",
    data: [
      ["contact", ["staff", "applicants"], "Personeels- en sollicitantenadministratie"],
      ["staff", ["staff"], "Personeelsdossier, contracten en formatie"],
      ["bsn", ["staff"], "Loonheffingen en pensioenaangifte (wettelijke plicht)"],
      ["health", ["staff"], "Verzuimregistratie: alleen ziek- en herstelmelding, geen diagnose"],
      ["finance", ["staff"], "Declaraties en bankrekeningnummer"],
      ["account", ["staff"], "Inloggen in de medewerkersportal"],
    ],
  },
  {
    name: "Youforce", supplier: "visma", owner: OWNER.hr, by: ["medewerkers"], location: NL,
    description: "Salarisadministratie.",
    goal: "Salarisverwerking en aangiftes loonheffing.",
    costs: [0, 31000, 0], functions: ["bv.salaris"], schools: "all", since: 10, contact: "director",
    data: [
      ["contact", ["staff"], "Salarisadministratie"],
      ["staff", ["staff"], "Dienstverband en inschaling"],
      ["bsn", ["staff"], "Aangifte loonheffingen (wettelijke plicht)"],
      ["finance", ["staff"], "Salaris en bankrekeningnummer"],
      ["account", ["staff"], "Inloggen in de salarisportal"],
    ],
  },
  {
    name: "Exact Online", supplier: "exact", owner: OWNER.finance, by: ["medewerkers"], location: NL,
    description: "Financiële administratie van het bestuur.",
    goal: "Boekhouding, crediteuren en declaraties.",
    costs: [0, 6800, 2500], functions: ["bv.financien"], schools: "all", since: 5, contact: "director",
    data: [
      ["contact", ["staff"], "Declaraties en budgethouders"],
      ["finance", ["staff"], "Betalingen en declaraties"],
      ["account", ["staff"], "Inloggen"],
    ],
  },
  {
    name: "WisCollect", supplier: "wiscollect", owner: OWNER.finance, by: ["medewerkers", "ouders"], location: NL,
    description: "Innen van de vrijwillige ouderbijdrage en schoolreisgeld.",
    goal: "Betaalverzoeken aan ouders en overzicht van betalingen.",
    costs: [0, 2600, 500], functions: ["bv.financien"], schools: "all", since: 3, contact: "director",
    data: [
      ["contact", ["pupils", "parents"], "Betaalverzoek aan de juiste ouder"],
      ["parents", ["parents"], "Ouders koppelen aan hun kind"],
      ["finance", ["parents"], "Ouderbijdrage, betalingen en kwijtschelding"],
      ["organisation", ["pupils"], "Groep of klas voor activiteiten"],
    ],
  },
  {
    name: "Intergrip", supplier: "intergrip", owner: OWNER.care, by: ["medewerkers"], location: NL,
    description: "Overstapdossier van het po naar het vo in de regio.",
    goal: "Aanmelding en overdracht van leerlingen van groep 8 naar het vo (OSO).",
    costs: [0, 1900, 0], functions: ["lz.loopbaan"], schools: ["po", "vo"], since: 7,
    data: [
      ["contact", ["pupils", "parents"], "Aanmelding bij de vo-school"],
      ["student_number", ["pupils"], "Koppeling met de administratie"],
      ["bsn", ["pupils"], "Overdracht van het onderwijsnummer via OSO"],
      ["parents", ["parents"], "Contactgegevens voor de nieuwe school"],
      ["progress", ["pupils"], "Onderwijskundig rapport en eindtoetsresultaten"],
      ["support", ["pupils"], "Ondersteuningsbehoefte in het overstapdossier"],
      ["account", ["staff"], "Inloggen"],
    ],
  },
  {
    name: "Van Dale online woordenboek", supplier: "vandale", owner: OWNER.materials, by: ["leerlingen", "medewerkers"], personal: false, location: NL,
    description: "Online woordenboeken; toegang via het IP-adres van de school, zonder accounts.",
    goal: "Naslagwerk in de les.",
    costs: [0, 850, 0], functions: ["ow.leermiddelen"], schools: ["vo"], since: 8,
    data: [],
  },
  {
    name: "KanVas", supplier: "kanjer", owner: OWNER.care, by: ["leerlingen", "medewerkers"], location: NL,
    description: "Volgsysteem voor de sociaal-emotionele ontwikkeling bij de Kanjertraining.",
    goal: "Vragenlijsten over welbevinden en gedrag; signaleren van pesten.",
    costs: [0, 2400, 0], functions: ["lz.zorgcoordinatie", "ow.leerlingvolg"], schools: ["kompas", "wielewaal"], since: 3,
    data: [
      ["contact", ["pupils"], "Naam en groep van de leerling"],
      ["progress", ["pupils"], "Uitkomsten van vragenlijsten"],
      ["health", ["pupils"], "Sociaal-emotionele ontwikkeling en gedrag"],
      ["staff", ["staff"], "Leerkrachten die vragenlijsten invullen"],
      ["account", ["pupils", "staff"], "Inloggen"],
    ],
  },
  {
    name: "Zivver", supplier: "zivver", owner: OWNER.care, by: ["medewerkers"], location: EU("Duitsland"),
    description: "Veilig mailen en bestanden delen.",
    goal: "Zorgdossiers, OPP's en verslagen veilig versturen naar ouders en externe partners.",
    costs: [0, 9600, 1200], functions: ["bv.kantoor", "lz.zorgdossier"], schools: "all", since: 4,
    data: [
      ["contact", ["pupils", "parents", "staff", "external"], "Afzender en ontvangers van berichten"],
      ["support", ["pupils"], "Versturen van zorgdossiers en OPP's"],
      ["health", ["pupils"], "Medische en psychologische verslagen in bijlagen"],
      ["account", ["staff"], "Inloggen en logging"],
    ],
  },
  {
    name: "Jamf School", supplier: "jamf", owner: OWNER.ictPo, by: ["leerlingen", "medewerkers"], location: ["Verenigde Staten", false, "dpf"],
    description: "Beheer van de iPads in het po.",
    goal: "Apps installeren, instellingen beheren en apparaten terugvinden.",
    costs: [0, 2750, 1500], functions: ["bv.ict"], schools: ["regenboog", "zandloper"], since: 0,
    data: [
      ["contact", ["pupils", "staff"], "Gebruiker van het apparaat"],
      ["account", ["pupils", "staff"], "Apparaatgegevens, apps en locatie bij verlies"],
      ["organisation", ["pupils"], "Groep voor de app-selectie"],
    ],
  },
  {
    name: "ClassPulse", supplier: "classpulse", owner: OWNER.ictVo, by: ["leerlingen", "medewerkers"], location: ["Verenigde Staten", false, "geen"],
    description: "Pilot met een Amerikaanse app voor aanwezigheid en gedrag in de les.",
    goal: "Docenten registreren aanwezigheid, gedrag en welzijn per les (pilot op één school).",
    costs: [0, 0, 0], functions: ["oo.aanwezigheid", "lz.zorgcoordinatie"], schools: ["waalkant"], since: 1,
    data: [
      ["contact", ["pupils", "staff"], "Leerlingen en docenten in de les"],
      ["progress", ["pupils"], "Aanwezigheid en gedrag in de les"],
      ["health", ["pupils"], "Notities over welzijn en gedrag"],
      ["account", ["pupils", "staff"], "Inloggen en gebruiksgegevens"],
    ],
  },
  {
    name: "Canva voor Onderwijs", supplier: "canva", owner: OWNER.ictVo, by: ["leerlingen", "medewerkers"], location: ["Australië", false, "scc"],
    description: "Online ontwerpen van posters, presentaties en video's.",
    goal: "Creatieve opdrachten in de les.",
    costs: [0, 0, 0], functions: [], schools: ["vo"], since: 2,
    data: [
      ["contact", ["pupils", "staff"], "Accounts van leerlingen en docenten"],
      ["images", ["pupils"], "Foto's en video's in ontwerpen"],
      ["account", ["pupils", "staff"], "Inloggen en gebruiksgegevens"],
    ],
  },
  {
    name: "Prowise Presenter", supplier: "prowise", owner: OWNER.ictPo, by: ["leerlingen", "medewerkers"], location: NL,
    description: "Software voor het digibord met lessen en quizzen.",
    goal: "Instructie op het digibord.",
    costs: [0, 0, 0], functions: ["ow.leeromgeving"], schools: ["kompas", "zandloper", "brug"], since: 4,
    data: [
      ["contact", ["staff"], "Account van de leerkracht"],
      ["account", ["pupils", "staff"], "Inloggen en deelname aan quizzen"],
      ["organisation", ["pupils"], "Groepen"],
    ],
  },
  {
    name: "TOPdesk", supplier: "topdesk", owner: OWNER.ictVo, by: ["medewerkers"], location: NL,
    description: "Servicedesk voor ICT en facilitaire meldingen.",
    goal: "Meldingen van medewerkers registreren en afhandelen.",
    costs: [0, 8400, 6500], functions: ["bv.ict"], schools: "all", since: 3,
    data: [
      ["contact", ["staff"], "Melder en behandelaar"],
      ["account", ["staff"], "Inloggen in het selfserviceportaal"],
    ],
  },
  {
    name: "Squla", supplier: "squla", lifecycle: "aangevraagd", owner: OWNER.materials, by: ["leerlingen", "medewerkers"], location: NL,
    description: "Oefenplatform met quizzen voor alle vakken in het po.",
    goal: "Extra oefenen in de klas en thuis; aangevraagd door De Regenboog.",
    costs: [0, 3600, 0], functions: ["ow.leermiddelen"], schools: ["regenboog"], since: null,
    data: [
      ["contact", ["pupils"], "Naam en groep van de leerling"],
      ["progress", ["pupils"], "Oefenresultaten"],
      ["account", ["pupils", "staff"], "Inloggen"],
    ],
  },
] as const satisfies readonly AppSeed[];
type AppName = (typeof APPLICATIONS)[number]["name"];

// ---------------------------------------------------------------------------------------------
// Processor agreements (verwerkersovereenkomsten), in every state the compliance rules look at

type AgreementSeed = {
  supplier: SupplierKey;
  apps: readonly AppName[];
  model: Model;
  status: AgreementStatus;
  /** Signed on (and, unless `starts` says otherwise, starts on). Absent while not signed. */
  signed?: Rel;
  starts?: Rel;
  ends?: Rel;
  review?: Rel;
  portal?: boolean;
  annex?: string;
  breachHours: number;
  deletionDays: number;
  /** Categories the applications process but the agreement leaves out (a red finding). */
  omit?: readonly CategoryCode[];
  subProcessors?: readonly (readonly [name: string, service: string, country: string, inEea: boolean])[];
  deviations?: string;
  motivation?: string;
  sivonRisk?: Level;
  notes?: string;
};

const AWS: readonly [string, string, string, boolean] = ["Amazon Web Services EMEA SARL", "Hosting", "Ierland", true];
const TRANSIP: readonly [string, string, string, boolean] = ["TransIP B.V.", "Hosting", "Nederland", true];
const AZURE: readonly [string, string, string, boolean] = ["Microsoft Azure (Microsoft Ireland Operations Ltd.)", "Hosting", "Nederland", true];

const AGREEMENTS: readonly AgreementSeed[] = [
  { supplier: "magister", apps: ["Magister"], model: "4.0", status: "ondertekend", signed: -20, review: 4, portal: true, annex: "2.3", breachHours: 24, deletionDays: 90, subProcessors: [AZURE], sivonRisk: "laag" },
  { supplier: "parnassys", apps: ["ParnasSys", "Parro"], model: "4.0", status: "ondertekend", signed: -14, review: 10, portal: true, annex: "4.1", breachHours: 24, deletionDays: 60, omit: ["images"],
    subProcessors: [["Previder B.V.", "Hosting en back-up", "Nederland", true], AWS],
    notes: "De privacybijsluiter noemt geen beeldmateriaal, terwijl Parro foto's deelt: aanvulling gevraagd." },
  { supplier: "somtoday", apps: ["Somtoday"], model: "4.0", status: "ondertekend", signed: -34, ends: { days: 20 }, review: { days: 10 }, portal: true, annex: "1.4", breachHours: 24, deletionDays: 90, subProcessors: [AWS],
    notes: "Loopt binnenkort af; verlenging via de Dienst Verwerkersovereenkomsten aangevraagd." },
  { supplier: "cito", apps: ["Cito LOVS", "Leerling in beeld"], model: "3.0", status: "ondertekend", signed: -62, review: 5, portal: true, annex: "3.0", breachHours: 48, deletionDays: 90 },
  { supplier: "microsoft", apps: ["Microsoft 365", "Microsoft Teams"], model: "eigen", status: "ondertekend", signed: -26, review: 2, breachHours: 72, deletionDays: 90,
    subProcessors: [["Microsoft Ireland Operations Ltd.", "Hosting in EU-datacenters", "Ierland", true], ["Microsoft Corporation", "Ondersteuning en diagnostiek", "Verenigde Staten", false]],
    deviations: "Microsoft Products and Services Data Protection Addendum met de onderwijsafspraken van SIVON in plaats van Model 4.0. Afwijkingen: aansprakelijkheid beperkt tot het contractbedrag; datalekken worden 'zonder onredelijke vertraging' gemeld in plaats van binnen 24 uur; subverwerkers staan op een online lijst die Microsoft eenzijdig wijzigt.",
    motivation: "Microsoft tekent het model van het convenant niet. SIVON heeft namens de sector aanvullende afspraken gemaakt en een DPIA laten uitvoeren; het restrisico is daarmee aanvaardbaar. Het college van bestuur heeft de afwijkingen schriftelijk aanvaard.",
    sivonRisk: "midden" },
  { supplier: "google", apps: ["Google Workspace for Education", "Google Classroom"], model: "eigen", status: "ondertekend", signed: -22, review: 2, breachHours: 72, deletionDays: 180,
    subProcessors: [["Google LLC", "Hosting en ondersteuning", "Verenigde Staten", false]],
    deviations: "Google Workspace for Education Data Processing Amendment met de aanvullende afspraken van SIVON en SURF; geen vaste meldtermijn voor datalekken en een bewaartermijn na beëindiging van 180 dagen.",
    motivation: "Google tekent het model van het convenant niet; de afspraken van SIVON lossen de hoge risico's uit de DPIA op. Alleen de Workspace-kerndiensten zijn ingeschakeld.",
    sivonRisk: "midden" },
  { supplier: "basispoort", apps: ["Basispoort"], model: "4.0", status: "ondertekend", signed: -10, review: 14, portal: true, annex: "2.0", breachHours: 48, deletionDays: 30 },
  { supplier: "kennisnet", apps: ["Entree Federatie", "Wikiwijs"], model: "4.0", status: "ondertekend", signed: -8, review: 16, portal: true, annex: "1.2", breachHours: 48, deletionDays: 30 },
  { supplier: "snappet", apps: ["Snappet"], model: "4.0", status: "ondertekend", signed: -35, ends: { days: 45 }, review: { days: 30 }, portal: true, annex: "3.2", breachHours: 24, deletionDays: 60,
    subProcessors: [["Google Cloud EMEA Ltd.", "Hosting", "Nederland", true]] },
  { supplier: "gynzy", apps: ["Gynzy"], model: "4.0", status: "ondertekend", signed: -6, review: 18, portal: true, annex: "2.1", breachHours: 48, deletionDays: 60, subProcessors: [AWS] },
  { supplier: "muiswerk", apps: ["Muiswerk"], model: "2.0", status: "ondertekend", signed: -80, review: 3, annex: "1.0", breachHours: 72, deletionDays: 90,
    notes: "Nog op Model 2.0 (2016); de leverancier heeft een overeenkomst op Model 4.0 toegezegd." },
  { supplier: "lexima", apps: ["Bouw!", "Kurzweil 3000"], model: "4.0", status: "ondertekend", signed: -9, review: 15, portal: true, annex: "1.1", breachHours: 48, deletionDays: 30, omit: ["health"],
    notes: "De privacybijsluiter vermeldt geen gezondheidsgegevens (dyslexie)." },
  { supplier: "oefenweb", apps: ["Rekentuin", "Taalzee"], model: "4.0", status: "ondertekend", signed: -15, review: 9, portal: true, annex: "2.0", breachHours: 48, deletionDays: 60 },
  { supplier: "noordhoff", apps: ["Noordhoff digitaal lesmateriaal"], model: "4.0", status: "ondertekend", signed: -12, review: 12, portal: true, annex: "5.0", breachHours: 48, deletionDays: 90 },
  { supplier: "malmberg", apps: ["Malmberg online methodes"], model: "4.0", status: "ondertekend", signed: -11, review: 13, portal: true, annex: "4.2", breachHours: 48, deletionDays: 90 },
  { supplier: "thieme", apps: ["ThiemeMeulenhoff digitaal lesmateriaal"], model: "3.0", status: "verlopen", signed: -64, ends: -2, review: -8, portal: true, annex: "2.0", breachHours: 48, deletionDays: 90,
    notes: "Verlopen; de nieuwe overeenkomst op Model 4.0 is nog niet aangeboden." },
  { supplier: "zermelo", apps: ["Zermelo"], model: "4.0", status: "ondertekend", signed: -16, review: 8, portal: true, annex: "2.2", breachHours: 24, deletionDays: 30, subProcessors: [TRANSIP] },
  { supplier: "untis", apps: ["Untis"], model: "3.0", status: "beeindigd", signed: -70, ends: -10, breachHours: 48, deletionDays: 30,
    notes: "Beëindigd na de overstap naar Zermelo; verwijderverklaring ontvangen." },
  { supplier: "afas", apps: ["AFAS Profit"], model: "eigen", status: "ondertekend", signed: -30, review: 6, breachHours: 48, deletionDays: 90,
    notes: "Verwerkersovereenkomst van AFAS; getoetst door de FG." },
  { supplier: "visma", apps: ["Youforce"], model: "eigen", status: "ondertekend", signed: -40, review: 2, breachHours: 48, deletionDays: 90, subProcessors: [AZURE] },
  { supplier: "exact", apps: ["Exact Online"], model: "eigen", status: "ondertekend", signed: -28, review: 8, breachHours: 72, deletionDays: 180 },
  { supplier: "wiscollect", apps: ["WisCollect"], model: "4.0", status: "ondertekend", signed: -18, review: 6, portal: true, annex: "1.3", breachHours: 24, deletionDays: 30,
    subProcessors: [TRANSIP, ["Mollie B.V.", "Betaalverwerking (iDEAL)", "Nederland", true]] },
  { supplier: "intergrip", apps: ["Intergrip"], model: "4.0", status: "ondertekend", signed: -13, review: 11, portal: true, annex: "3.1", breachHours: 24, deletionDays: 30 },
  { supplier: "zivver", apps: ["Zivver"], model: "eigen", status: "ondertekend", signed: -24, review: 4, breachHours: 24, deletionDays: 30, subProcessors: [["Amazon Web Services EMEA SARL", "Hosting (Frankfurt)", "Duitsland", true]] },
  { supplier: "jamf", apps: ["Jamf School"], model: "eigen", status: "in_beoordeling", starts: 1, breachHours: 72, deletionDays: 30,
    notes: "Concept van de leverancier ligt bij de FG; de iPads zijn al in gebruik." },
  { supplier: "squla", apps: ["Squla"], model: "4.0", status: "aangeboden", starts: 1, annex: "1.0", breachHours: 48, deletionDays: 60,
    notes: "Aangeboden via de Dienst Verwerkersovereenkomsten; nog niet beoordeeld." },
  { supplier: "prowise", apps: ["Prowise Presenter"], model: "algemeen", status: "ondertekend", signed: -19, review: 5, annex: "1.0", breachHours: 48, deletionDays: 60 },
  { supplier: "socialschools", apps: ["Social Schools"], model: "4.0", status: "ondertekend", signed: -17, review: 7, portal: true, annex: "2.4", breachHours: 24, deletionDays: 60, subProcessors: [TRANSIP] },
  { supplier: "schoudercom", apps: ["Schoudercom"], model: "3.0", status: "ondertekend", signed: -55, review: -2, portal: true, annex: "1.0", breachHours: 48, deletionDays: 90 },
  { supplier: "topdesk", apps: ["TOPdesk"], model: "eigen", status: "ondertekend", signed: -36, review: 4, breachHours: 48, deletionDays: 90 },
  { supplier: "itslearning", apps: ["itslearning"], model: "4.0", status: "ondertekend", signed: -21, review: 3, portal: true, annex: "3.0", breachHours: 48, deletionDays: 90, subProcessors: [AWS] },
];

// ---------------------------------------------------------------------------------------------
// BIV classifications, missing measures and DPIAs

type Assessment = { levels: Levels; monthsAgo: number; reason: (typeof REASONS)[number]; rationale: string; proposed?: Levels };
type ClassificationSeed = Assessment & { app: AppName; previous?: Assessment };

/** Current (assessed within 12 months), with history (`previous`), overdue (monthsAgo > 12). */
const CLASSIFICATIONS: readonly ClassificationSeed[] = [
  { app: "Magister", levels: "HHH", monthsAgo: 2, reason: "jaarlijks", rationale: "Rond examens en voor verzuimregistratie kan de school geen werkdag zonder; cijfers en diploma's moeten kloppen; bevat BSN, zorg- en gezondheidsgegevens.",
    previous: { levels: "MHH", monthsAgo: 14, reason: "eerste", rationale: "Eerste classificatie bij de invoering van het register." } },
  { app: "ParnasSys", levels: "HHH", monthsAgo: 4, reason: "functionaliteit", rationale: "Met de OPP-module staat het volledige zorgdossier in ParnasSys: vertrouwelijkheid naar hoog.",
    previous: { levels: "HHM", monthsAgo: 16, reason: "eerste", rationale: "Eerste classificatie; zorgdossier stond toen nog op papier." } },
  { app: "Somtoday", levels: "HHH", monthsAgo: 5, reason: "jaarlijks", rationale: "Kernsysteem van De Waalkant met examendossier, BSN en zorggegevens." },
  { app: "Parro", levels: "MMM", monthsAgo: 3, reason: "jaarlijks", rationale: "Een dag zonder Parro is hinderlijk maar te overbruggen; berichten en foto's zijn bestemd voor een beperkte groep ouders." },
  { app: "Social Schools", levels: "MMM", monthsAgo: 6, reason: "jaarlijks", rationale: "Communicatie met ouders; foto's alleen met toestemming en binnen de groep.",
    previous: { levels: "MMM", monthsAgo: 13, reason: "incident", rationale: "Herbeoordeling na het datalek bij de leverancier; classificatie ongewijzigd, maatregelen aangescherpt." } },
  { app: "Schoudercom", levels: "MLM", monthsAgo: 18, reason: "eerste", rationale: "Nieuwsbrief en inschrijvingen; fouten vallen snel op." },
  { app: "Cito LOVS", levels: "MHM", monthsAgo: 9, reason: "jaarlijks", rationale: "Toetsresultaten bepalen mede het schooladvies en moeten kloppen." },
  { app: "Leerling in beeld", levels: "MHM", monthsAgo: 1, reason: "eerste", rationale: "Vervanger van Cito LOVS; toetsresultaten bepalen mede het schooladvies." },
  { app: "Microsoft 365", levels: "HMH", monthsAgo: 7, reason: "subverwerker", rationale: "Alle medewerkers werken erin; in documenten en mail kunnen gevoelige gegevens staan." },
  { app: "Microsoft Teams", levels: "MMM", monthsAgo: 7, reason: "subverwerker", rationale: "Samenwerken en online lessen; geen bijzondere gegevens in gebruik volgens de richtlijn." },
  { app: "Google Workspace for Education", levels: "MMH", monthsAgo: 8, reason: "contract", rationale: "Accounts van alle po-leerlingen; in documenten kunnen gevoelige gegevens staan." },
  { app: "Google Classroom", levels: "MMM", monthsAgo: 8, reason: "contract", rationale: "Opdrachten en feedback binnen de klas." },
  { app: "itslearning", levels: "MHM", monthsAgo: 5, reason: "jaarlijks", rationale: "Ingeleverd werk telt mee voor het PTA en moet kloppen." },
  { app: "Basispoort", levels: "HMM", monthsAgo: 10, reason: "jaarlijks", rationale: "Zonder Basispoort werkt geen enkele digitale methode." },
  { app: "Entree Federatie", levels: "HMM", monthsAgo: 10, reason: "jaarlijks", rationale: "Zonder inlogdienst werken de digitale leermiddelen niet." },
  { app: "Wikiwijs", levels: "LLM", monthsAgo: 11, reason: "eerste", rationale: "Alleen accounts van leraren; het materiaal is openbaar." },
  { app: "Snappet", levels: "MMM", monthsAgo: 4, reason: "jaarlijks", rationale: "Dagelijks gebruikt voor rekenen en taal; bij uitval wordt op papier gewerkt." },
  { app: "Gynzy", levels: "MLM", monthsAgo: 6, reason: "jaarlijks", rationale: "Digibordlessen; oefenresultaten zijn niet beslissend." },
  { app: "Muiswerk", levels: "LMM", proposed: "LMH", monthsAgo: 3, reason: "jaarlijks", rationale: "De vragen geven vertrouwelijkheid hoog vanwege de dyslexie-indicatie; de school vindt midden voldoende omdat alleen de leerroute wordt aangepast." },
  { app: "Bouw!", levels: "LMH", monthsAgo: 2, reason: "eerste", rationale: "Signalering van dyslexierisico is een gezondheidsgegeven." },
  { app: "Rekentuin", levels: "MMM", monthsAgo: 9, reason: "jaarlijks", rationale: "Oefenprogramma; voortgang is alleen voor de leerkracht zichtbaar." },
  { app: "Taalzee", levels: "MMM", monthsAgo: 16, reason: "eerste", rationale: "Oefenprogramma; voortgang is alleen voor de leerkracht zichtbaar." },
  { app: "Noordhoff digitaal lesmateriaal", levels: "MMM", monthsAgo: 6, reason: "jaarlijks", rationale: "Methodetoetsen tellen mee; bij uitval kan op papier worden gewerkt." },
  { app: "Malmberg online methodes", levels: "MMM", monthsAgo: 6, reason: "jaarlijks", rationale: "Lesmethode; bij uitval kan op papier worden gewerkt." },
  { app: "ThiemeMeulenhoff digitaal lesmateriaal", levels: "MMM", monthsAgo: 11, reason: "jaarlijks", rationale: "Methodetoetsen tellen mee; bij uitval kan op papier worden gewerkt." },
  { app: "Zermelo", levels: "HMM", monthsAgo: 3, reason: "jaarlijks", rationale: "Zonder rooster loopt de school vast; roosterwijzigingen moeten dezelfde dag door.",
    previous: { levels: "MMM", monthsAgo: 15, reason: "eerste", rationale: "Eerste classificatie bij de invoering." } },
  { app: "Untis", levels: "MMM", monthsAgo: 30, reason: "eerste", rationale: "Roosterprogramma; uitgefaseerd." },
  { app: "AFAS Profit", levels: "MHH", monthsAgo: 5, reason: "jaarlijks", rationale: "Personeelsdossiers met BSN en verzuim; fouten raken contracten en formatie." },
  { app: "Youforce", levels: "HHH", monthsAgo: 5, reason: "jaarlijks", rationale: "Salarissen moeten op tijd en juist worden betaald; bevat BSN." },
  { app: "Exact Online", levels: "MHM", monthsAgo: 7, reason: "jaarlijks", rationale: "De jaarrekening hangt ervan af; geen bijzondere gegevens." },
  { app: "WisCollect", levels: "MHM", monthsAgo: 4, reason: "jaarlijks", rationale: "Betalingen van ouders moeten kloppen." },
  { app: "Intergrip", levels: "MHH", monthsAgo: 9, reason: "jaarlijks", rationale: "Overstapdossiers met ondersteuningsbehoefte en onderwijsnummer." },
  { app: "Zivver", levels: "MMH", monthsAgo: 17, reason: "eerste", rationale: "Hiermee gaan zorgdossiers en verslagen naar externe partners." },
  { app: "Jamf School", levels: "MMM", monthsAgo: 1, reason: "eerste", rationale: "Apparaatbeheer; bij uitval werken de iPads gewoon door." },
  { app: "ClassPulse", levels: "MMH", monthsAgo: 1, reason: "eerste", rationale: "Notities over gedrag en welzijn van leerlingen zijn zeer vertrouwelijk." },
  { app: "Prowise Presenter", levels: "MLM", monthsAgo: 10, reason: "jaarlijks", rationale: "Digibordlessen; geen gevoelige gegevens." },
  { app: "TOPdesk", levels: "LMM", monthsAgo: 20, reason: "eerste", rationale: "Meldingen van medewerkers; bij uitval wordt gebeld." },
];

/** Required measures that are not (fully) in place; every other required measure is "aanwezig". */
const MEASURE_GAPS: readonly (readonly [app: AppName, measure: string, status: MeasureStatus, note: string])[] = [
  ["Microsoft 365", "v.eer", "gedeeltelijk", "EU Data Boundary; ondersteuning en diagnostische gegevens deels vanuit de VS."],
  ["Google Workspace for Education", "v.eer", "afwezig", "Opslag in de VS; datalocatie EU vereist een duurdere licentie."],
  ["Google Workspace for Education", "v.mfa", "gedeeltelijk", "Tweefactorauthenticatie alleen voor leerkrachten, niet voor leerlingen."],
  ["Leerling in beeld", "i.wijzigingslog", "gedeeltelijk", "Wijzigingen in toetsresultaten worden gelogd, correcties door beheerders niet."],
  ["ClassPulse", "v.eer", "afwezig", "Opslag in de VS."],
  ["ClassPulse", "v.toegangslog", "afwezig", "Geen inzage in wie gegevens bekijkt."],
];

type DpiaSeed = {
  app: AppName;
  required: DpiaSeedRow["required"];
  criteria: readonly string[];
  reasoning?: string;
  type?: DpiaSeedRow["type"];
  status: NonNullable<DpiaSeedRow["status"]>;
  performedMonthsAgo?: number;
  residualRisk?: Level;
};

/** Criteria codes follow the EDPB's nine criteria (kwetsbaar, grote_schaal, gevoelig, monitoring, ...). */
const DPIAS: readonly DpiaSeed[] = [
  { app: "Magister", required: "ja", criteria: ["kwetsbaar", "grote_schaal", "gevoelig"], type: "sivon", status: "afgerond", performedMonthsAgo: 20, residualRisk: "laag" },
  { app: "ParnasSys", required: "ja", criteria: ["kwetsbaar", "grote_schaal", "gevoelig"], type: "sivon", status: "afgerond", performedMonthsAgo: 18, residualRisk: "laag" },
  { app: "Somtoday", required: "ja", criteria: ["kwetsbaar", "grote_schaal", "gevoelig"], type: "sivon", status: "afgerond", performedMonthsAgo: 22, residualRisk: "laag" },
  { app: "Microsoft 365", required: "ja", criteria: ["kwetsbaar", "grote_schaal", "monitoring"], type: "sivon", status: "afgerond", performedMonthsAgo: 26, residualRisk: "midden" },
  { app: "Google Workspace for Education", required: "ja", criteria: ["kwetsbaar", "grote_schaal", "monitoring"], type: "sivon", status: "afgerond", performedMonthsAgo: 24, residualRisk: "midden" },
  { app: "Intergrip", required: "ja", criteria: ["kwetsbaar", "gevoelig", "koppeling"], type: "sector", status: "afgerond", performedMonthsAgo: 14, residualRisk: "laag" },
  { app: "Muiswerk", required: "ja", criteria: ["kwetsbaar", "gevoelig"], type: "sector", status: "afgerond", performedMonthsAgo: 30, residualRisk: "laag" },
  { app: "AFAS Profit", required: "ja", criteria: ["gevoelig", "grote_schaal"], type: "eigen", status: "afgerond", performedMonthsAgo: 29, residualRisk: "laag" },
  { app: "Youforce", required: "ja", criteria: ["gevoelig", "grote_schaal"], type: "eigen", status: "in_uitvoering" },
  { app: "Zivver", required: "ja", criteria: ["kwetsbaar", "gevoelig"], type: "eigen", status: "afgerond", performedMonthsAgo: 23, residualRisk: "laag" },
  { app: "Wikiwijs", required: "nee", criteria: [], status: "niet_gestart",
    reasoning: "Alleen accountgegevens van leraren; geen leerlinggegevens, geen bijzondere gegevens en geen profilering. Geen van de EDPB-criteria is van toepassing." },
  { app: "TOPdesk", required: "nee", criteria: [], status: "niet_gestart",
    reasoning: "Meldingen van medewerkers over ICT en gebouwen; geen bijzondere gegevens, geen monitoring. Laag risico voor betrokkenen." },
  { app: "Jamf School", required: "onbekend", criteria: ["kwetsbaar"], status: "niet_gestart" },
];

// ---------------------------------------------------------------------------------------------
// Seeding

type Refs = {
  categories: Map<string, number>;
  subjects: Map<string, number>;
  functions: Map<string, number>;
  measures: { id: number; code: string; aspect: Aspect; level: Level }[];
};
type AppInfo = { id: number; categories: Set<CategoryCode>; subjects: Set<SubjectCode> };

const DAY_MS = 24 * 60 * 60 * 1000;
const LEVEL_OF: Record<LevelLetter, Level> = { L: "laag", M: "midden", H: "hoog" };

export async function seedDemoBoard(db: Db, options: { now: Date; hashPassword: (pw: string) => Promise<string> }): Promise<void> {
  // Hash first: a better-sqlite3 transaction is synchronous and cannot await.
  const demoUsers = await Promise.all(DEMO_USERS.map(async (user) => ({ ...user, passwordHash: await options.hashPassword(user.password) })));
  const now = options.now;
  const today = todayIso(now);
  const rel = (r: Rel): string => (typeof r === "number" ? addMonths(today, r) : addDays(today, r.days));
  const ago = (days: number, hours = 0): Date => new Date(now.getTime() - days * DAY_MS + hours * 60 * 60 * 1000);
  const log = (tx: Tx, entityType: string, entityId: number, summary: string, after?: Record<string, unknown>) =>
    recordChange(tx, { actor: SYSTEM_ACTOR, action: "create", entityType, entityId, summary: `Demogegevens: ${summary}`, after, at: now });

  db.transaction((tx) => {
    assertEmpty(tx);
    const refs = loadRefs(tx);

    // Board
    const before = tx.select().from(board).where(eq(board.id, 1)).get();
    const boardRow = tx
      .insert(board)
      .values({ id: 1, ...BOARD })
      .onConflictDoUpdate({ target: board.id, set: { ...BOARD, updatedAt: now } })
      .returning()
      .get();
    recordChange(tx, { actor: SYSTEM_ACTOR, action: "update", entityType: "board", entityId: 1, summary: `Demogegevens: bestuur ${BOARD.name} ingevuld`, before, after: boardRow, at: now });

    // The demo's users sign in with the password printed at start; a real register asks admins and privacy
    // officers for two-factor by default (src/auth/sign-in-settings.ts), which /admin/users/sign-in switches back on.
    tx.insert(settings).values({ key: "twoFactorRoles", value: "" }).onConflictDoUpdate({ target: settings.key, set: { value: "" } }).run();
    recordChange(tx, { actor: SYSTEM_ACTOR, action: "update", entityType: "settings", entityId: null, summary: "Demogegevens: tweestapsverificatie niet verplicht", after: { twoFactorRoles: [] }, at: now });

    // Schools
    const schoolIds = new Map<SchoolKey, number>();
    for (const s of SCHOOLS) {
      const row = tx
        .insert(schools)
        .values({ name: s.name, brin: s.brin, location: s.location, sector: s.sector, city: s.city, contactName: s.director, contactEmail: s.email })
        .returning()
        .get();
      schoolIds.set(s.key, row.id);
      log(tx, "school", row.id, `school ${s.name} aangemaakt`, row);
    }
    const schoolIdByName = new Map<string, number>(SCHOOLS.map((s) => [s.name, need(schoolIds, s.key, "school")]));

    // Users
    const userIds = new Map<DemoUser["role"], number>();
    for (const u of demoUsers) {
      const schoolIdsOfUser = (u.schools ?? []).map((name) => need(schoolIdByName, name, "school"));
      const user = insertUser(tx, { email: u.email, name: u.name, passwordHash: u.passwordHash, role: u.role, schoolIds: schoolIdsOfUser });
      userIds.set(u.role, user.id);
      log(tx, "user", user.id, `gebruiker ${u.name} (${u.email}) aangemaakt`, { ...user, schoolIds: schoolIdsOfUser });
    }
    const privacyOfficerId = need(userIds, "privacy_officer", "gebruiker");

    // Suppliers
    const supplierIds = new Map<SupplierKey, number>();
    for (const seed of SUPPLIERS) {
      const s: SupplierSeed = seed;
      const row = tx
        .insert(suppliers)
        .values({
          name: s.name,
          kvk: s.kvk,
          website: s.website,
          privacyContactName: s.contact,
          privacyContactEmail: s.email,
          covenantStatus: s.covenant,
          certIso27001: s.certs.includes("iso27001"),
          certNen7510: s.certs.includes("nen7510"),
          certRosa: s.certs.includes("rosa"),
          notes: s.notes ?? null,
        })
        .returning()
        .get();
      supplierIds.set(seed.key, row.id);
      log(tx, "supplier", row.id, `leverancier ${s.name} aangemaakt`, row);
    }

    // Applications, with their functions, schools and data
    const apps = new Map<AppName, AppInfo>();
    for (const seed of APPLICATIONS) {
      const a: AppSeed = seed;
      const [country, inEea, mechanism] = a.location;
      const row = tx
        .insert(applications)
        .values({
          name: a.name,
          supplierId: need(supplierIds, a.supplier, "leverancier"),
          description: a.description,
          goal: a.goal,
          lifecycle: a.lifecycle ?? "in_gebruik",
          functionalOwner: a.owner,
          usedByPupils: a.by.includes("leerlingen"),
          usedByStaff: a.by.includes("medewerkers"),
          usedByParents: a.by.includes("ouders"),
          processesPersonalData: a.personal ?? true,
          dataLocationCountry: country,
          dataInEea: inEea,
          transferMechanism: mechanism ?? null,
          costOneTimeCents: a.costs[0] * 100,
          costLicencePerYearCents: a.costs[1] * 100,
          costImplementationCents: a.costs[2] * 100,
        })
        .returning()
        .get();

      if (a.functions.length > 0) {
        tx.insert(applicationFunctions)
          .values(a.functions.map((code) => ({ applicationId: row.id, functionId: need(refs.functions, code, "FORA-functie") })))
          .run();
      }

      const until = a.until === undefined ? null : addDays(schoolYearStart(today, a.until), -1);
      const usingSchools = SCHOOLS.filter((s) => a.schools === "all" || a.schools.includes(s.key) || a.schools.includes(s.sector));
      tx.insert(applicationSchools)
        .values(
          usingSchools.map((s) => ({
            applicationId: row.id,
            schoolId: need(schoolIds, s.key, "school"),
            since: a.since === null ? null : schoolYearStart(today, a.sinceAt?.[s.key] ?? a.since),
            until,
            localContact: a.contact === "director" ? s.director : s.ict,
          })),
        )
        .run();

      const info: AppInfo = { id: row.id, categories: new Set(), subjects: new Set() };
      const dataRows = a.data.flatMap(([category, subjects, purpose]) => {
        info.categories.add(category);
        return subjects.map((subject) => {
          info.subjects.add(subject);
          return {
            applicationId: row.id,
            dataCategoryId: need(refs.categories, category, "gegevenscategorie"),
            dataSubjectId: need(refs.subjects, subject, "betrokkene"),
            purpose,
          };
        });
      });
      if (dataRows.length > 0) tx.insert(applicationData).values(dataRows).run();
      apps.set(seed.name, info);
      log(tx, "application", row.id, `applicatie ${a.name} aangemaakt`, { ...row, schools: usingSchools.map((s) => s.name), functions: a.functions });
    }
    const app = (name: AppName): AppInfo => need(apps, name, "applicatie");

    // Agreements
    const perYear = new Map<string, number>();
    for (const a of AGREEMENTS) {
      const signedOn = a.signed === undefined ? null : rel(a.signed);
      const startsOn = a.starts !== undefined ? rel(a.starts) : signedOn;
      const year = (signedOn ?? startsOn ?? today).slice(0, 4);
      const number = (perYear.get(year) ?? 0) + 1;
      perYear.set(year, number);
      const reference = `VO-${year}-${String(number).padStart(3, "0")}`;
      const row = tx
        .insert(agreements)
        .values({
          supplierId: need(supplierIds, a.supplier, "leverancier"),
          reference,
          model: a.model,
          status: a.status,
          signedOn,
          startsOn,
          endsOn: a.ends === undefined ? null : rel(a.ends),
          nextReviewOn: a.review === undefined ? null : rel(a.review),
          signatoryName: signedOn ? SIGNATORY.name : null,
          signatoryRole: signedOn ? SIGNATORY.role : null,
          signedViaPortal: a.portal ?? false,
          deviations: a.deviations ?? null,
          deviationsMotivation: a.motivation ?? null,
          annexVersion: a.annex ?? null,
          annexDate: a.annex && startsOn ? addMonths(startsOn, -1) : null,
          breachNotificationHours: a.breachHours,
          deletionTermDays: a.deletionDays,
          sivonReviewUrl: a.sivonRisk ? "https://www.sivon.nl" : null,
          sivonRiskLevel: a.sivonRisk ?? null,
          notes: a.notes ?? null,
        })
        .returning()
        .get();
      const covered = a.apps.map(app);
      const omit: readonly CategoryCode[] = a.omit ?? [];
      const categories = [...new Set(covered.flatMap((c) => [...c.categories]))].filter((c) => !omit.includes(c));
      const subjects = [...new Set(covered.flatMap((c) => [...c.subjects]))];
      tx.insert(agreementApplications).values(covered.map((c) => ({ agreementId: row.id, applicationId: c.id }))).run();
      if (categories.length > 0) {
        tx.insert(agreementDataCategories)
          .values(categories.map((c) => ({ agreementId: row.id, dataCategoryId: need(refs.categories, c, "gegevenscategorie") })))
          .run();
      }
      if (subjects.length > 0) {
        tx.insert(agreementDataSubjects)
          .values(subjects.map((s) => ({ agreementId: row.id, dataSubjectId: need(refs.subjects, s, "betrokkene") })))
          .run();
      }
      if (a.subProcessors && a.subProcessors.length > 0) {
        tx.insert(subProcessors)
          .values(a.subProcessors.map(([name, service, country, inEea], j) => ({ agreementId: row.id, name, service, country, inEea, sortOrder: j + 1 })))
          .run();
      }
      log(tx, "agreement", row.id, `verwerkersovereenkomst ${reference} (${a.apps.join(", ")}) aangemaakt`, { ...row, applications: [...a.apps] });
    }

    // Classifications (oldest first, so the newest row is the current one) and the measures of the current one
    for (const c of CLASSIFICATIONS) {
      const target = app(c.app);
      const special = [...target.categories].some((cat) => SPECIAL.includes(cat)) ? "ja" : "nee";
      const scale = target.subjects.has("pupils") ? "groot" : "klein";
      for (const assessment of c.previous ? [c.previous, c] : [c]) {
        const levels = parseLevels(assessment.levels);
        const proposed = parseLevels(assessment.proposed ?? assessment.levels);
        const assessedOn = addMonths(today, -assessment.monthsAgo);
        const row = tx
          .insert(classifications)
          .values({
            applicationId: target.id,
            availability: levels[0],
            integrity: levels[1],
            confidentiality: levels[2],
            proposedAvailability: proposed[0],
            proposedIntegrity: proposed[1],
            proposedConfidentiality: proposed[2],
            answers: {
              downtime: { hoog: "uren", midden: "dag", laag: "week" }[proposed[0]],
              errors: { hoog: "schade", midden: "hinder", laag: "acceptabel" }[proposed[1]],
              leak: { hoog: "ernstig", midden: "beperkt", laag: "geen" }[proposed[2]],
              special,
              scale,
            },
            rationale: assessment.rationale,
            reason: assessment.reason,
            assessedBy: privacyOfficerId,
            assessorName: BOARD.privacyOfficerName,
            assessedOn,
            nextReviewOn: addMonths(assessedOn, 12),
            createdAt: new Date(`${assessedOn}T10:00:00Z`),
          })
          .returning()
          .get();
        log(tx, "classification", row.id, `BIV-classificatie van ${c.app} (${levels.join("/")}) aangemaakt`, row);
      }

      const levels = parseLevels(c.levels);
      const levelOn: Record<Aspect, Level> = { beschikbaarheid: levels[0], integriteit: levels[1], vertrouwelijkheid: levels[2] };
      const checkedOn = addMonths(today, -c.monthsAgo);
      const required = refs.measures.filter((m) => levelRank(m.level) <= levelRank(levelOn[m.aspect]));
      if (required.length > 0) {
        tx.insert(applicationMeasures)
          .values(
            required.map((m) => {
              const gap = MEASURE_GAPS.find(([name, code]) => name === c.app && code === m.code);
              return { applicationId: target.id, measureId: m.id, status: gap?.[2] ?? "aanwezig", note: gap?.[3] ?? null, checkedOn, checkedBy: privacyOfficerId };
            }),
          )
          .run();
        log(tx, "application", target.id, `${required.length} beveiligingsmaatregelen van ${c.app} vastgelegd`);
      }
    }

    // DPIAs
    for (const d of DPIAS) {
      const performedOn = d.performedMonthsAgo === undefined ? null : addMonths(today, -d.performedMonthsAgo);
      const row = tx
        .insert(dpias)
        .values({
          applicationId: app(d.app).id,
          required: d.required,
          criteria: [...d.criteria],
          notRequiredReasoning: d.reasoning ?? null,
          type: d.type ?? null,
          status: d.status,
          performedOn,
          residualRisk: d.residualRisk ?? null,
          nextReviewOn: performedOn ? addMonths(performedOn, 36) : null,
        })
        .returning()
        .get();
      log(tx, "dpia", row.id, `DPIA-besluit voor ${d.app} aangemaakt`, row);
    }

    // Data breaches: one closed last year, one open since five days
    const breachSeeds = [
      {
        values: {
          title: "Berichten en foto's zichtbaar voor ouders van een andere klas",
          description: "Door een fout in een update van de leverancier konden ouders van klas 2b twee dagen lang berichten en foto's van klas 2c zien. Fictief voorbeeld voor de demo.",
          applicationId: app("Social Schools").id,
          supplierId: need(supplierIds, "socialschools", "leverancier"),
          discoveredAt: ago(400),
          discoveredBy: "Mentor klas 2c, na een vraag van een ouder",
          supplierReportedAt: ago(400, 5),
          affectsConfidentiality: true,
          peopleCount: 58,
          recordsCount: 140,
          risk: "risico",
          regulatorNotified: "ja",
          regulatorNotifiedAt: ago(398),
          regulatorReasoning: "Beeldmateriaal van minderjarigen gedeeld met onbevoegden; risico voor betrokkenen niet uit te sluiten.",
          subjectsNotified: "ja",
          subjectsNotifiedAt: ago(397),
          subjectsReasoning: "Ouders van beide klassen zijn per brief geïnformeerd.",
          measures: "Leverancier heeft de update teruggedraaid en een test op groepsrechten toegevoegd; ouders gevraagd gedownloade foto's te verwijderen.",
          closedAt: ago(365),
        },
        categories: ["contact", "parents", "images"],
      },
      {
        values: {
          title: "Onbevoegde toegang tot opslag bij een subverwerker van ClassPulse",
          description: "De leverancier meldt dat een opslagomgeving met exportbestanden enkele dagen openbaar toegankelijk was. Omvang nog onbekend. Fictief voorbeeld voor de demo.",
          applicationId: app("ClassPulse").id,
          supplierId: need(supplierIds, "classpulse", "leverancier"),
          discoveredAt: ago(5),
          discoveredBy: "Melding van de leverancier aan de ICT-coördinator van De Waalkant",
          supplierReportedAt: ago(5),
          affectsConfidentiality: true,
          peopleCount: 180,
          recordsCount: null,
          risk: "risico",
          regulatorNotified: "onbekend",
          subjectsNotified: "onbekend",
          measures: "Pilotaccounts geblokkeerd; aanvullende informatie opgevraagd bij de leverancier.",
          closedAt: null,
        },
        categories: ["contact", "progress", "health"],
      },
    ] as const satisfies readonly { values: typeof breaches.$inferInsert; categories: readonly CategoryCode[] }[];
    for (const b of breachSeeds) {
      const row = tx.insert(breaches).values(b.values).returning().get();
      tx.insert(breachDataCategories)
        .values(b.categories.map((c) => ({ breachId: row.id, dataCategoryId: need(refs.categories, c, "gegevenscategorie") })))
        .run();
      log(tx, "breach", row.id, `datalek "${b.values.title}" aangemaakt`, row);
    }

    // Intake requests: one submitted by the first school, one rejected
    const intakeSeeds = [
      {
        values: {
          schoolId: need(schoolIds, "regenboog", "school"),
          requestedBy: need(userIds, "school", "gebruiker"),
          applicationName: "Kahoot!",
          supplierName: "Kahoot! ASA",
          supplierCovenantStatus: "geen",
          goal: "Quizzen in de klas om de lesstof op een speelse manier te herhalen.",
          foraFunctionId: need(refs.functions, "ow.leermiddelen", "FORA-functie"),
          existingAlternatives: "Gynzy en Prowise Presenter hebben een quizfunctie, maar de leerkrachten vinden die beperkt.",
          landscapeFit: "Werkt in de browser op de Chromebooks; leerlingen doen mee met een spelcode, zonder account.",
          costOneTimeCents: 0,
          costLicencePerYearCents: 36000,
          costImplementationCents: 0,
          status: "ingediend",
          createdAt: ago(3),
          updatedAt: ago(3),
        },
        data: [
          ["contact", "pupils", "Naam of bijnaam in de quiz"],
          ["progress", "pupils", "Quizscores"],
          ["account", "staff", "Account van de leerkracht"],
        ],
      },
      {
        values: {
          schoolId: need(schoolIds, "kompas", "school"),
          requestedBy: null,
          applicationName: "ClassDojo",
          supplierName: "ClassDojo, Inc.",
          supplierCovenantStatus: "geen",
          goal: "Gedrag belonen met punten en ouders op de hoogte houden van het gedrag in de klas.",
          foraFunctionId: need(refs.functions, "sl.communicatie", "FORA-functie"),
          existingAlternatives: "Parro (communicatie met ouders) en KanVas (sociaal-emotionele ontwikkeling).",
          landscapeFit: "Losse app naast Parro; geen koppeling met ParnasSys.",
          costOneTimeCents: 0,
          costLicencePerYearCents: 0,
          costImplementationCents: 0,
          status: "afgewezen",
          decisionReason:
            "Afgewezen. De communicatie met ouders loopt via Parro; een tweede kanaal versnippert de informatie. Gedragsgegevens van leerlingen zouden buiten de EER worden verwerkt zonder verwerkersovereenkomst volgens het model van het convenant. Voor gedrag en welbevinden gebruikt de school KanVas.",
          decidedBy: privacyOfficerId,
          decidedAt: ago(40),
          createdAt: ago(55),
          updatedAt: ago(40),
        },
        data: [
          ["contact", "pupils", "Naam en klas van de leerling"],
          ["health", "pupils", "Gedragsregistratie"],
          ["parents", "parents", "Ouders koppelen aan hun kind"],
        ],
      },
    ] as const satisfies readonly {
      values: typeof intakeRequests.$inferInsert;
      data: readonly (readonly [CategoryCode, SubjectCode, string])[];
    }[];
    for (const r of intakeSeeds) {
      const row = tx.insert(intakeRequests).values(r.values).returning().get();
      tx.insert(intakeRequestData)
        .values(
          r.data.map(([category, subject, purpose]) => ({
            requestId: row.id,
            dataCategoryId: need(refs.categories, category, "gegevenscategorie"),
            dataSubjectId: need(refs.subjects, subject, "betrokkene"),
            purpose,
          })),
        )
        .run();
      log(tx, "intake_request", row.id, `aanvraag voor ${r.values.applicationName} aangemaakt`, row);
    }
  });
}

/** The demo only fills an empty register: it would otherwise mix invented data with a board's own. */
function assertEmpty(tx: Tx): void {
  const filled = [schools, suppliers, applications].some((table) => countRows(tx, table) > 0);
  const taken = tx.select({ email: users.email }).from(users).where(inArray(users.email, DEMO_USERS.map((u) => u.email))).all();
  if (filled || taken.length > 0) {
    throw new Error("Het register is niet leeg: de demogegevens kunnen alleen in een leeg register worden geladen.");
  }
}

function loadRefs(tx: Tx): Refs {
  return {
    categories: new Map(tx.select({ code: dataCategories.code, id: dataCategories.id }).from(dataCategories).all().map((r) => [r.code, r.id])),
    subjects: new Map(tx.select({ code: dataSubjects.code, id: dataSubjects.id }).from(dataSubjects).all().map((r) => [r.code, r.id])),
    functions: new Map(tx.select({ code: foraFunctions.code, id: foraFunctions.id }).from(foraFunctions).all().map((r) => [r.code, r.id])),
    measures: tx
      .select({ id: securityMeasures.id, code: securityMeasures.code, aspect: securityMeasures.aspect, level: securityMeasures.level })
      .from(securityMeasures)
      .all(),
  };
}

function need<K, V>(map: Map<K, V>, key: K, what: string): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`Demogegevens: ${what} "${String(key)}" ontbreekt (zijn de referentiegegevens geladen?)`);
  return value;
}

function parseLevels(levels: Levels): [Level, Level, Level] {
  const [b, i, v] = levels.split("") as [LevelLetter, LevelLetter, LevelLetter];
  return [LEVEL_OF[b], LEVEL_OF[i], LEVEL_OF[v]];
}

/** 1 August of the school year that started `yearsAgo` years before the one running today. */
function schoolYearStart(today: string, yearsAgo: number): string {
  const year = Number(today.slice(0, 4));
  const current = today >= `${year}-08-01` ? year : year - 1;
  return `${current - yearsAgo}-08-01`;
}
