// A large, realistic school board for the benchmarks (bench/run.ts): 60 schools, 400 suppliers, 2,000
// applications with their schools, data, functions, agreements, classifications, measures, DPIAs, breaches
// and 20,000 audit entries over two years. Everything comes from one seeded PRNG and dates are relative to
// `now`, so two runs with the same seed and day produce the same register. Names of schools, suppliers,
// people and products are invented (only the style is Dutch school practice; see src/demo/demo-board.ts).
//
//   npx tsx bench/generate.ts data/bench.sqlite [--seed=1] [--scale=1]   (re)creates that file
import { getTableColumns } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { rmSync } from "node:fs";
import { ensureBoard } from "../src/board/board.repository";
import { countRows, migrateDatabase, openDatabase, type Db, type Tx } from "../src/db/client";
import { levelRank, type Aspect, type Level } from "../src/db/enums";
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
  auditLog,
  board,
  breachDataCategories,
  breaches,
  classifications,
  dataCategories,
  dataSubjects,
  dpias,
  foraFunctions,
  schools,
  securityMeasures,
  subProcessors,
  suppliers,
  users,
  userSchools,
} from "../src/db/schema";
import { seedReferenceData } from "../src/db/seed/reference";
import { addDays, addMonths, todayIso } from "../src/lib/dates";

export type GenerateOptions = {
  /** PRNG seed (default 1): the same seed and day give the same register. */
  seed?: number;
  /** The moment the register is generated "on" (default: now). */
  now?: Date;
  /** Multiplies every count (default 1; 0.1 gives a small board for comparisons). */
  scale?: number;
};

export type GenerateSummary = { seed: number; today: string; scale: number; ms: number; counts: Record<string, number> };

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** mulberry32: a tiny, fast 32-bit PRNG; good enough for test data and fully reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick uit een lege lijst");
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T>(options: readonly (readonly [T, number])[]): T {
    const total = options.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, w] of options) {
      r -= w;
      if (r < 0) return value;
    }
    return options[options.length - 1]![0];
  }
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
  sample<T>(items: readonly T[], k: number): T[] {
    return this.shuffle(items).slice(0, Math.max(0, Math.min(k, items.length)));
  }
}

// ---------------------------------------------------------------------------------------------
// Word lists

const FIRST = ["Sanne", "Mark", "Ilse", "Tom", "Fatima", "Gerrit", "Marieke", "Jeroen", "Karin", "Dennis", "Ahmed", "Esther", "Niels", "Johan", "Lotte", "Femke", "Ruben", "Anouk", "Marloes", "Kees", "Annelies", "Joost", "Petra", "Erik", "Linda", "Bas", "Yvonne", "Hans", "Sophie", "Daan", "Noor", "Bram", "Emma", "Thijs", "Sara", "Lucas", "Yusuf", "Mila", "Jesse", "Eva"];
const LAST = ["de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kok", "Jacobs", "Vermeulen", "van den Berg", "Willems", "Post", "Kuipers", "Yilmaz", "Ouali", "Verbeek", "Hoekstra", "Kramer", "Prins", "Huisman", "Schouten", "Bosman", "Koster", "Aksoy"];
const CITIES = ["Tiel", "Culemborg", "Geldermalsen", "Zaltbommel", "Beneden-Leeuwen", "Druten", "Wijchen", "Buren", "Lienden", "Kesteren", "Opheusden", "Maurik", "Leerdam", "Gorinchem", "Elst", "Zetten", "Kerk-Avezaath", "Brakel", "Dodewaard", "Echteld"];
const PO_NAMES = ["De Regenboog", "Het Kompas", "De Wielewaal", "De Zandloper", "De Zonnewijzer", "Het Klaverblad", "De Vlinder", "De Springplank", "Het Palet", "De Ark", "De Wegwijzer", "De Bongerd", "De Linde", "Het Baken", "De Fontein", "De Kameleon", "De Toermalijn", "Het Mozaïek", "De Parel", "De Sterrenboog", "De Boomgaard", "De Notenkraker", "Het Anker", "De Horizon", "De Vuurvogel", "De Piramide", "De Schakel", "Het Startpunt", "De Eendracht", "De Meander", "De Hoeksteen", "Het Lichtpunt", "De Waterlelie", "De Kleine Prins", "De Tamboerijn", "De Uilenburcht", "De Bolster", "Het Kristal"];
const VO_NAMES = ["Rivierencollege", "Lingecollege", "Betuws Lyceum", "De Waalkant", "Maaslandcollege", "Stedelijk Gymnasium", "Het Westeraam", "Pantarijn", "Dorenweerd College", "Walburg College", "Heerbeeck", "Het Hooghe Land", "Citadel College", "Kandinsky College", "Montessori College", "Gomarus College", "Merewade College", "Helicon VMBO", "Technasium Tiel", "Vakcollege Rivierenland"];
const SO_NAMES = ["De Brug", "De Piramide", "Het Speelhuis", "De Ruimte", "De Sterrenwacht", "De Wingerd", "De Lindenhof", "Het Wespennest", "De Windroos", "De Hobbit"];
const SUPPLIER_PREFIX = ["Edu", "Leer", "Klas", "School", "Digi", "Kennis", "Toets", "Taal", "Reken", "Lees", "Ouder", "Zorg", "Data", "Campus", "Didac", "Mentor", "Rooster", "Cijfer", "Junior", "Lyceo"];
const SUPPLIER_STEM = ["wijs", "net", "plein", "lab", "point", "base", "flow", "kracht", "sprong", "lijn", "spoor", "bron", "link", "hub", "vonk"];
const SUPPLIER_FORM = [" B.V.", " Software B.V.", " Nederland B.V.", " Uitgevers", " Solutions", " Group", " Educatief", " Online"];
const FIXED_SUPPLIERS = ["Iddink Group", "Topicus Onderwijs", "Stichting Cito", "Microsoft Ireland Operations Ltd.", "Google Ireland Ltd.", "Stichting Basispoort", "Gynzy", "Snappet", "Squla", "Social Schools", "Schoudercom", "Zermelo Software", "itslearning", "Stichting Kennisnet", "Noordhoff Uitgevers", "Malmberg", "ThiemeMeulenhoff", "Muiswerk Educatief", "Lexima", "AFAS Software", "Visma | Raet", "Exact", "WIS Collect", "Intergrip", "Van Dale Uitgevers", "Oefenweb", "Zivver", "Jamf", "Prowise", "TOPdesk Nederland", "Heutink ICT", "Bazalt", "Zwijsen", "Blink Educatie", "Kahoot! ASA", "Canva Pty Ltd"];
const SUB_PROCESSORS: readonly (readonly [string, string, string, boolean])[] = [
  ["Amazon Web Services EMEA SARL", "Hosting", "Ierland", true],
  ["Microsoft Ireland Operations Ltd.", "Hosting (Azure)", "Ierland", true],
  ["Google Cloud EMEA Ltd.", "Hosting", "Nederland", true],
  ["Previder B.V.", "Hosting en back-up", "Nederland", true],
  ["Leaseweb Netherlands B.V.", "Hosting", "Nederland", true],
  ["Hetzner Online GmbH", "Hosting", "Duitsland", true],
  ["OVHcloud", "Back-up", "Frankrijk", true],
  ["Mollie B.V.", "Betalingen", "Nederland", true],
  ["Bird B.V.", "Sms-berichten", "Nederland", true],
  ["Cloudflare, Inc.", "CDN en DDoS-bescherming", "Verenigde Staten", false],
  ["Twilio SendGrid", "E-mailverzending", "Verenigde Staten", false],
  ["Zendesk, Inc.", "Klantenservice", "Verenigde Staten", false],
  ["Functional Software (Sentry)", "Foutrapportage", "Verenigde Staten", false],
];

type CategoryCode =
  | "contact" | "student_number" | "nationality" | "parents" | "health" | "religion" | "progress" | "organisation"
  | "finance" | "images" | "staff" | "support" | "bsn" | "pseudonym" | "account" | "other";
type SubjectCode = "pupils" | "parents" | "staff" | "applicants" | "interns" | "external" | "visitors";
const SPECIAL: readonly CategoryCode[] = ["health", "religion", "support", "bsn"];

/** Kinds of application: what they do, which data they use, which FORA functions they serve. */
type Kind = {
  key: string;
  modules: readonly string[];
  functions: readonly string[];
  pool: readonly (readonly [CategoryCode, SubjectCode])[];
  by: readonly ("pupils" | "staff" | "parents")[];
  owner: string;
  personal: number;
  /** Availability and integrity leaning: index into L/M/H weights. */
  b: Level;
  i: Level;
};
const KINDS: readonly Kind[] = [
  {
    key: "administratie", modules: ["Leerlingadministratie", "LAS", "Leerlingvolgsysteem", "Ouderportaal", "Cijferregistratie", "Examendossier", "BRON-koppeling", "Inschrijvingen"],
    functions: ["oo.administratie", "ow.leerlingvolg", "oo.aanwezigheid"],
    pool: [["contact", "pupils"], ["contact", "parents"], ["student_number", "pupils"], ["bsn", "pupils"], ["nationality", "pupils"], ["parents", "parents"], ["progress", "pupils"], ["organisation", "pupils"], ["organisation", "staff"], ["health", "pupils"], ["support", "pupils"], ["account", "staff"], ["staff", "staff"]],
    by: ["pupils", "staff", "parents"], owner: "applicatiebeheer leerlingadministratie", personal: 1, b: "hoog", i: "hoog",
  },
  {
    key: "leermiddel", modules: ["Rekenen", "Taal", "Spelling", "Begrijpend lezen", "Aardrijkskunde", "Geschiedenis", "Natuur en techniek", "Engels", "Frans", "Duits", "Wiskunde", "Biologie", "Economie", "Scheikunde", "Natuurkunde", "Muziek", "Burgerschap", "Verkeer", "Programmeren", "Woordenschat", "Schrijven", "Technisch lezen", "Topografie", "Nederlands onderbouw", "Nederlands bovenbouw"],
    functions: ["ow.leermiddelen", "ow.leeromgeving"],
    pool: [["contact", "pupils"], ["pseudonym", "pupils"], ["student_number", "pupils"], ["progress", "pupils"], ["organisation", "pupils"], ["account", "pupils"], ["account", "staff"], ["contact", "staff"], ["other", "pupils"]],
    by: ["pupils", "staff"], owner: "coördinator leermiddelen", personal: 0.95, b: "midden", i: "midden",
  },
  {
    key: "toets", modules: ["Toetsen", "Leerlingvolgsysteem toetsen", "Eindtoets", "Diagnostische toetsen", "Dyslexiescreening", "Adaptieve toets", "Oefentoetsen", "Examentraining"],
    functions: ["ow.toetsing", "ow.leerlingvolg"],
    pool: [["contact", "pupils"], ["student_number", "pupils"], ["progress", "pupils"], ["health", "pupils"], ["account", "pupils"], ["account", "staff"], ["organisation", "pupils"], ["pseudonym", "pupils"]],
    by: ["pupils", "staff"], owner: "toetscoördinator", personal: 1, b: "midden", i: "hoog",
  },
  {
    key: "communicatie", modules: ["Ouderapp", "Nieuwsbrief", "Schoolapp", "Oudergesprekken", "Berichten", "Fotoalbum", "Schoolwebsite", "Intranet"],
    functions: ["sl.communicatie"],
    pool: [["contact", "pupils"], ["contact", "parents"], ["parents", "parents"], ["images", "pupils"], ["organisation", "pupils"], ["account", "parents"], ["account", "staff"], ["contact", "staff"]],
    by: ["parents", "staff"], owner: "communicatieadviseur", personal: 1, b: "midden", i: "laag",
  },
  {
    key: "zorg", modules: ["Zorgdossier", "OPP", "Groeidocument", "Sociaal-emotionele ontwikkeling", "Verzuimmelding", "Dyslexiehulp", "Leesondersteuning", "Gedragsvolgsysteem"],
    functions: ["lz.zorgcoordinatie", "lz.zorgdossier", "lz.passend"],
    pool: [["contact", "pupils"], ["health", "pupils"], ["support", "pupils"], ["progress", "pupils"], ["bsn", "pupils"], ["parents", "parents"], ["contact", "external"], ["account", "staff"], ["religion", "pupils"]],
    by: ["staff"], owner: "bovenschools intern begeleider", personal: 1, b: "midden", i: "hoog",
  },
  {
    key: "rooster", modules: ["Rooster", "Absentieregistratie", "Planner", "Lokalenplanning", "Vervangingsrooster", "Keuzewerktijd"],
    functions: ["oo.rooster", "oo.aanwezigheid"],
    pool: [["contact", "pupils"], ["organisation", "pupils"], ["organisation", "staff"], ["staff", "staff"], ["account", "staff"], ["account", "pupils"], ["progress", "pupils"]],
    by: ["pupils", "staff"], owner: "roostermaker", personal: 1, b: "hoog", i: "midden",
  },
  {
    key: "hrm", modules: ["HRM", "Salarisadministratie", "Verlof", "Werving en selectie", "Gesprekscyclus", "Verzuimbegeleiding", "Scholingsportaal"],
    functions: ["bv.hrm", "bv.salaris", "sl.formatie"],
    pool: [["staff", "staff"], ["contact", "staff"], ["finance", "staff"], ["bsn", "staff"], ["health", "staff"], ["contact", "applicants"], ["staff", "applicants"], ["contact", "interns"], ["account", "staff"]],
    by: ["staff"], owner: "hoofd P&O", personal: 1, b: "midden", i: "hoog",
  },
  {
    key: "financien", modules: ["Financiële administratie", "Ouderbijdragen", "Inkoop", "Facturatie", "Begroting", "Schoolreisbetalingen"],
    functions: ["bv.financien"],
    pool: [["finance", "parents"], ["contact", "parents"], ["finance", "staff"], ["contact", "staff"], ["contact", "pupils"], ["account", "staff"]],
    by: ["staff", "parents"], owner: "controller", personal: 0.9, b: "midden", i: "hoog",
  },
  {
    key: "kantoor", modules: ["Kantoorpakket", "Samenwerken", "Videobellen", "Beveiligd mailen", "Wachtwoordbeheer", "Identiteitsbeheer", "Apparaatbeheer", "Printbeheer"],
    functions: ["bv.kantoor", "bv.ict", "oo.identiteit"],
    pool: [["contact", "pupils"], ["contact", "staff"], ["account", "pupils"], ["account", "staff"], ["images", "pupils"], ["staff", "staff"], ["organisation", "pupils"], ["other", "staff"]],
    by: ["pupils", "staff"], owner: "teamleider ICT", personal: 0.95, b: "hoog", i: "midden",
  },
  {
    key: "loopbaan", modules: ["Loopbaanoriëntatie", "Overstapdossier", "Stageportaal", "Beroepenoriëntatie"],
    functions: ["lz.loopbaan"],
    pool: [["contact", "pupils"], ["progress", "pupils"], ["account", "pupils"], ["support", "pupils"], ["contact", "external"], ["student_number", "pupils"]],
    by: ["pupils", "staff"], owner: "decaan", personal: 1, b: "laag", i: "midden",
  },
  {
    key: "beheer", modules: ["Netwerkbeheer", "Servicedesk", "Archief", "Documentbeheer", "Monitoring", "Gebouwbeheer"],
    functions: ["bv.ict", "bv.archief"],
    pool: [["contact", "staff"], ["account", "staff"], ["other", "staff"], ["contact", "visitors"], ["images", "visitors"]],
    by: ["staff"], owner: "ICT-beheer", personal: 0.5, b: "midden", i: "midden",
  },
  {
    key: "bestuur", modules: ["Kwaliteitszorg", "Schoolplan", "Jaarverslag", "Tevredenheidsonderzoek", "Formatieplanning", "Dashboard"],
    functions: ["bg.kwaliteit", "bg.verantwoording", "sl.schoolplan", "sl.formatie"],
    pool: [["staff", "staff"], ["progress", "pupils"], ["contact", "parents"], ["account", "staff"], ["other", "parents"]],
    by: ["staff"], owner: "kwaliteitsmedewerker", personal: 0.6, b: "laag", i: "midden",
  },
];
/** How common each kind is among suppliers: mostly learning materials, few HR or finance packages. */
const KIND_WEIGHT: Record<string, number> = {
  leermiddel: 35, toets: 10, administratie: 4, communicatie: 8, zorg: 8, rooster: 5, hrm: 3, financien: 3, kantoor: 9, loopbaan: 5, beheer: 6, bestuur: 4,
};
const EDITIONS = ["groep 1-2", "groep 3-8", "onderbouw", "bovenbouw", "vmbo", "havo/vwo", "editie 2", "editie 3", "plus", "online"];

// ---------------------------------------------------------------------------------------------
// Helpers

const DAY_MS = 24 * 60 * 60 * 1000;
const SIZES = { schools: 60, suppliers: 400, applications: 2000, agreements: 1500, classifications: 4000, breaches: 100, audit: 20000 };
const LEVEL_LIST: readonly Level[] = ["laag", "midden", "hoog"];

/** Inserts in chunks of 500 rows: one statement per chunk keeps well under SQLite's variable limit. */
function insertRows<T extends SQLiteTable>(tx: Tx, table: T, rows: T["$inferInsert"][]): void {
  const size = chunkSize(table);
  for (let i = 0; i < rows.length; i += size) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- drizzle's insert over a generic table
    (tx as any).insert(table).values(rows.slice(i, i + size)).run();
  }
}

/** As insertRows, and gives the new ids in the order of `rows`. */
function insertReturningIds<T extends SQLiteTable & { id: SQLiteColumn }>(tx: Tx, table: T, rows: T["$inferInsert"][]): number[] {
  const size = chunkSize(table);
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += size) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- drizzle's insert over a generic table
    const out = (tx as any).insert(table).values(rows.slice(i, i + size)).returning({ id: table.id }).all() as { id: number }[];
    ids.push(...out.map((r) => r.id));
  }
  return ids;
}

function chunkSize(table: SQLiteTable): number {
  // SQLite allows 32,766 bound variables per statement; drizzle binds one per column per row.
  return Math.max(1, Math.min(500, Math.floor(32000 / Object.keys(getTableColumns(table)).length)));
}

/** 1 August of the school year that started `yearsAgo` years before the one running on `today`. */
function schoolYearStart(today: string, yearsAgo: number): string {
  const year = Number(today.slice(0, 4));
  const current = today >= `${year}-08-01` ? year : year - 1;
  return `${current - yearsAgo}-08-01`;
}

/** A row as the audit log keeps it (see recordChange): dates as ISO text, no timestamps or secrets. */
function snapshot(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === "passwordHash" || key === "createdAt" || key === "updatedAt") continue;
    out[key] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}

const iso = (ms: number): string => todayIso(new Date(ms));
const minIso = (a: string, b: string): string => (a < b ? a : b);
const maxIso = (a: string, b: string): string => (a > b ? a : b);

type AuditRow = typeof auditLog.$inferInsert;
type Actor = { id: number | null; label: string };

// ---------------------------------------------------------------------------------------------
// The generator

/**
 * Fills an empty, migrated register (reference data seeded, board row present) with a large board.
 * Runs in one transaction; throws when the register already holds schools, suppliers or applications.
 */
export function generateLargeBoard(db: Db, options: GenerateOptions = {}): GenerateSummary {
  const started = process.hrtime.bigint();
  const seed = options.seed ?? 1;
  const scale = options.scale ?? 1;
  const today = todayIso(options.now ?? new Date());
  // Without an explicit `now`, moments are anchored at midnight (UTC) of today: the same seed on the same
  // day then gives the same register, timestamps included.
  const nowMs = options.now?.getTime() ?? Math.min(Date.now(), Date.parse(`${today}T00:00:00Z`));
  const rnd = new Random(seed);
  const n = (count: number, min = 1) => Math.max(min, Math.round(count * scale));
  const size = {
    schools: n(SIZES.schools, 6),
    suppliers: n(SIZES.suppliers, 10),
    applications: n(SIZES.applications, 20),
    agreements: n(SIZES.agreements, 15),
    classifications: n(SIZES.classifications, 40),
    breaches: n(SIZES.breaches, 3),
    audit: n(SIZES.audit, 200),
  };
  const registerStart = nowMs - 730 * DAY_MS;
  const day = (offset: number) => addDays(today, offset);
  const person = () => `${rnd.pick(FIRST)} ${rnd.pick(LAST)}`;
  const counts: Record<string, number> = {};

  db.transaction((tx) => {
    if ([schools, suppliers, applications].some((table) => countRows(tx, table) > 0)) {
      throw new Error("Het register is niet leeg: de benchmarkgegevens kunnen alleen in een leeg register worden geladen.");
    }
    const refs = {
      categories: new Map(tx.select({ code: dataCategories.code, id: dataCategories.id }).from(dataCategories).all().map((r) => [r.code, r.id])),
      subjects: new Map(tx.select({ code: dataSubjects.code, id: dataSubjects.id }).from(dataSubjects).all().map((r) => [r.code, r.id])),
      functions: new Map(tx.select({ code: foraFunctions.code, id: foraFunctions.id }).from(foraFunctions).all().map((r) => [r.code, r.id])),
      measures: tx.select({ id: securityMeasures.id, aspect: securityMeasures.aspect, level: securityMeasures.level }).from(securityMeasures).all(),
    };
    if (refs.categories.size === 0 || refs.functions.size === 0) throw new Error("Referentiegegevens ontbreken: roep eerst seedReferenceData aan.");
    const categoryId = (code: CategoryCode) => refs.categories.get(code)!;
    const subjectId = (code: SubjectCode) => refs.subjects.get(code)!;
    const audit: AuditRow[] = [];
    const log = (actor: Actor, at: number, entry: Omit<AuditRow, "at" | "userId" | "actor">) =>
      audit.push({ ...entry, at: new Date(Math.min(at, nowMs)), userId: actor.id, actor: actor.label });

    // Board --------------------------------------------------------------------------------
    const boardValues = {
      name: "Stichting Openbaar en Bijzonder Onderwijs Groot Rivierenland",
      kvk: "41234567",
      address: "Postbus 2020, 4000 CA Tiel",
      email: "bestuursbureau@sobogr.example",
      dpoName: "Femke de Wit",
      dpoEmail: "fg@sobogr.example",
      dpoPhone: "0344 765 432",
      privacyOfficerName: "Ruben Jansen",
    };
    tx.update(board).set(boardValues).run();

    // Staff users (no password: these accounts cannot log in; bench/run.ts makes its own) ---
    const NO_LOGIN = "!benchmark-account-zonder-wachtwoord";
    const staffSeeds = [
      { name: "Anouk Bakker", role: "admin" as const },
      { name: "Ruben Jansen", role: "privacy_officer" as const },
      { name: "Femke de Wit", role: "privacy_officer" as const },
      { name: "Yusuf Aksoy", role: "privacy_officer" as const },
      { name: "Marloes Visser", role: "auditor" as const },
    ];
    const staffRows = staffSeeds.map((s) => ({
      email: `${s.name.toLowerCase().replace(/[^a-z]+/g, ".")}@sobogr.example`,
      name: s.name,
      passwordHash: NO_LOGIN,
      role: s.role,
      createdAt: new Date(registerStart),
      updatedAt: new Date(registerStart),
    }));
    const staffIds = insertReturningIds(tx, users, staffRows);
    const actors: Actor[] = staffRows.map((u, i) => ({ id: staffIds[i]!, label: `${u.name} <${u.email}>` }));
    const officers = actors.filter((_, i) => staffSeeds[i]!.role === "privacy_officer");
    const admin = actors[0]!;
    const SYSTEM: Actor = { id: null, label: "Systeem" };
    const editor = () => rnd.weighted<Actor>([[rnd.pick(officers), 80], [admin, 15], [SYSTEM, 5]]);
    staffRows.forEach((u, i) => log(SYSTEM, registerStart, { action: "create", entityType: "user", entityId: staffIds[i]!, summary: `Gebruiker ${u.name} (${u.email}) aangemaakt`, after: snapshot({ id: staffIds[i], ...u }) }));

    // Schools --------------------------------------------------------------------------------
    const poCount = Math.round(size.schools * 0.6);
    const voCount = Math.round(size.schools * 0.28);
    const sectors: ("po" | "vo" | "so")[] = [
      ...Array<"po">(poCount).fill("po"),
      ...Array<"vo">(voCount).fill("vo"),
      ...Array<"so">(Math.max(1, size.schools - poCount - voCount)).fill("so"),
    ].slice(0, size.schools);
    const brins = new Set<string>();
    const schoolNames = new Set<string>();
    const schoolSpecs = sectors.map((sector, i) => {
      let brin: string;
      do brin = `${rnd.int(10, 99)}${String.fromCharCode(65 + rnd.int(0, 25))}${String.fromCharCode(65 + rnd.int(0, 25))}`;
      while (brins.has(brin));
      brins.add(brin);
      const city = rnd.pick(CITIES);
      const base = sector === "po" ? `Basisschool ${rnd.pick(PO_NAMES)}` : sector === "vo" ? rnd.pick(VO_NAMES) : `SO ${rnd.pick(SO_NAMES)}`;
      let name = schoolNames.has(base) ? `${base} ${city}` : base;
      if (schoolNames.has(name)) name = `${base} ${city} ${i + 1}`;
      schoolNames.add(name);
      const director = person();
      const createdAt = registerStart + rnd.int(0, 20) * DAY_MS + rnd.int(8, 17) * 3600_000;
      return {
        name,
        brin,
        location: "",
        sector,
        city,
        contactName: director,
        contactEmail: `${name.toLowerCase().replace(/[^a-z0-9]+/g, "")}@sobogr.example`,
        version: 1,
        createdAt: new Date(createdAt),
        updatedAt: new Date(createdAt),
        ict: person(),
      };
    });
    const schoolIds = insertReturningIds(tx, schools, schoolSpecs.map(({ ict: _ict, ...row }) => row));
    schoolSpecs.forEach((s, i) => {
      const { ict: _ict, ...row } = s;
      log(rnd.pick(officers), s.createdAt.getTime(), { action: "create", entityType: "school", entityId: schoolIds[i]!, summary: `School ${s.name} aangemaakt`, after: snapshot({ id: schoolIds[i], ...row }) });
    });
    const schoolsBySector = { po: [] as number[], vo: [] as number[], so: [] as number[] };
    sectors.forEach((sector, i) => schoolsBySector[sector].push(i));

    // A school contact per school (cannot log in either)
    const contactRows = schoolSpecs.map((s, i) => ({
      email: `contact${i + 1}.${s.brin.toLowerCase()}@sobogr.example`,
      name: s.contactName,
      passwordHash: NO_LOGIN,
      role: "school" as const,
      createdAt: new Date(s.createdAt.getTime() + DAY_MS),
      updatedAt: new Date(s.createdAt.getTime() + DAY_MS),
    }));
    const contactIds = insertReturningIds(tx, users, contactRows);
    insertRows(tx, userSchools, contactIds.map((userId, i) => ({ userId, schoolId: schoolIds[i]! })));
    contactRows.forEach((u, i) =>
      log(admin, u.createdAt.getTime(), { action: "create", entityType: "user", entityId: contactIds[i]!, summary: `Gebruiker ${u.name} (${u.email}) aangemaakt`, after: { ...snapshot({ id: contactIds[i], ...u }), schoolIds: [schoolIds[i]] } }),
    );

    // Suppliers ------------------------------------------------------------------------------
    const supplierNames = new Set<string>();
    const kvks = new Set<string>();
    const supplierSpecs = Array.from({ length: size.suppliers }, (_, i) => {
      let name = i < FIXED_SUPPLIERS.length ? FIXED_SUPPLIERS[i]! : "";
      while (!name || supplierNames.has(name.toLowerCase())) {
        name = `${rnd.pick(SUPPLIER_PREFIX)}${rnd.pick(SUPPLIER_STEM)}${rnd.pick(SUPPLIER_FORM)}`;
      }
      supplierNames.add(name.toLowerCase());
      let kvk: string;
      do kvk = String(rnd.int(1_000_000, 99_999_999)).padStart(8, "0");
      while (kvks.has(kvk));
      kvks.add(kvk);
      const covenant = rnd.weighted([["deelnemer", 60], ["medestander", 15], ["geen", 25]] as const);
      const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "").slice(0, 24) || `leverancier${i}`;
      const createdAt = registerStart + rnd.int(0, 40) * DAY_MS + rnd.int(8, 17) * 3600_000;
      return {
        name,
        kvk,
        website: `https://www.${slug}.example`,
        privacyContactName: rnd.pick(["Privacy Officer", "Functionaris gegevensbescherming", "Privacyteam", "Security Officer", person()]),
        privacyContactEmail: `privacy@${slug}.example`,
        covenantStatus: covenant,
        certIso27001: rnd.chance(covenant === "geen" ? 0.35 : 0.55),
        certNen7510: rnd.chance(0.05),
        certRosa: covenant === "deelnemer" && rnd.chance(0.2),
        notes: rnd.chance(0.1) ? "Contract loopt via de inkoopcombinatie van de sector." : null,
        archivedAt: null as Date | null,
        version: 1,
        createdAt: new Date(createdAt),
        updatedAt: new Date(createdAt),
        kind: rnd.weighted(KINDS.map((k) => [k, KIND_WEIGHT[k.key] ?? 1] as const)),
      };
    });

    // Applications: spread over suppliers with a long tail (a few suppliers with many products) ------
    const weights = supplierSpecs.map((_, i) => 1 / Math.pow(i + 1, 0.75));
    const perSupplier = supplierSpecs.map(() => 1);
    const weightSum = weights.reduce((a, b) => a + b, 0);
    for (let left = size.applications - size.suppliers; left > 0; ) {
      let r = rnd.float() * weightSum;
      let i = 0;
      while (r >= weights[i]! && i < weights.length - 1) r -= weights[i++]!;
      if (perSupplier[i]! >= 60) continue;
      perSupplier[i]! += 1;
      left -= 1;
    }
    // Fewer applications than suppliers (small scale): drop the surplus from the tail.
    for (let i = perSupplier.length - 1, surplus = size.suppliers - size.applications; surplus > 0 && i >= 0; i -= 1, surplus -= 1) perSupplier[i] = 0;

    type AppSpec = {
      row: typeof applications.$inferInsert & { createdAt: Date; updatedAt: Date; version: number; name: string };
      supplier: number;
      kind: Kind;
      categories: Set<CategoryCode>;
      subjects: Set<SubjectCode>;
      data: { category: CategoryCode; subject: SubjectCode; purpose: string }[];
      functions: string[];
      schools: number[];
      since: (string | null)[];
      until: string | null;
    };
    const appSpecs: AppSpec[] = [];
    supplierSpecs.forEach((supplier, s) => {
      const names = new Set<string>();
      const brand = supplier.name.replace(/ (B\.V\.|Software B\.V\.|Nederland B\.V\.|Uitgevers|Solutions|Group|Educatief|Online|Ltd\.|Operations Ltd\.|Pty Ltd|ASA)$/, "");
      for (let k = 0; k < perSupplier[s]!; k += 1) {
        const kind = rnd.chance(0.75) ? supplier.kind : rnd.pick(KINDS);
        let name = `${brand} ${rnd.pick(kind.modules)}`;
        for (let tries = 0; names.has(name.toLowerCase()); tries += 1) {
          name = tries < 20 ? `${brand} ${rnd.pick(kind.modules)} ${rnd.pick(EDITIONS)}` : `${brand} ${rnd.pick(kind.modules)} ${k + 1}`;
        }
        names.add(name.toLowerCase());
        appSpecs.push(makeApplication(name, s, kind));
      }
    });

    function makeApplication(name: string, supplier: number, kind: Kind): AppSpec {
      const lifecycle = rnd.weighted([["in_gebruik", 70], ["aangevraagd", 8], ["uitfaseren", 10], ["uitgefaseerd", 12]] as const);
      const personal = rnd.chance(kind.personal);
      const where = rnd.weighted([["eea", 70], ["outside", 22], ["unknown", 8]] as const);
      let country: string | null = null;
      let inEea: boolean | null = null;
      let mechanism: "adequaatheidsbesluit" | "scc" | "dpf" | "geen" | null = null;
      if (where === "eea") {
        country = rnd.weighted([["Nederland", 60], ["Ierland", 20], ["Duitsland", 10], ["België", 5], ["Frankrijk", 5]] as const);
        inEea = true;
      } else if (where === "outside") {
        country = rnd.weighted([["Verenigde Staten", 80], ["Verenigd Koninkrijk", 8], ["Canada", 5], ["Australië", 7]] as const);
        inEea = false;
        mechanism =
          country === "Verenigde Staten"
            ? rnd.weighted([["dpf", 50], ["scc", 35], ["geen", 15]] as const)
            : country === "Australië"
              ? "scc"
              : "adequaatheidsbesluit";
      }
      const createdAt = rnd.chance(0.7) ? registerStart + rnd.int(5, 120) * DAY_MS : registerStart + rnd.int(120, 725) * DAY_MS;
      const euros = (p0: number, min: number, max: number) => (rnd.chance(p0) ? 0 : Math.round(rnd.int(min, max) / 50) * 50 * 100);
      // Which schools: board-wide, a whole sector, a group, or a few.
      const reach = rnd.weighted([["board", 8], ["sector", 20], ["group", 10], ["few", 62]] as const);
      // Staff and finance systems serve the board as a whole, or a few schools' own administration.
      const boardSystem = (kind.key === "hrm" || kind.key === "financien" || kind.key === "bestuur") && rnd.chance(0.5);
      const sector = boardSystem ? "board" : rnd.weighted([["po", 55], ["vo", 35], ["so", 10]] as const);
      const allSchools = schoolIds.map((_, i) => i);
      const sectorSchools = sector === "board" ? allSchools : schoolsBySector[sector].length ? schoolsBySector[sector] : allSchools;
      const at =
        reach === "board" || sector === "board"
          ? allSchools
          : reach === "sector"
            ? sectorSchools
            : reach === "group"
              ? rnd.sample(allSchools, rnd.int(Math.min(10, allSchools.length), Math.min(30, allSchools.length)))
              : rnd.sample(sectorSchools, rnd.int(1, 5));
      const sinceYears = rnd.int(0, 8);
      const until =
        lifecycle === "uitgefaseerd"
          ? addDays(schoolYearStart(today, rnd.int(0, Math.max(0, sinceYears - 1))), -1)
          : lifecycle === "uitfaseren"
            ? addDays(schoolYearStart(today, -1), -1)
            : null;
      const since = at.map(() => (lifecycle === "aangevraagd" ? null : schoolYearStart(today, rnd.chance(0.8) ? sinceYears : rnd.int(0, sinceYears))));
      // since <= until (a school that started later than the end is clamped to the end's school year)
      const sinceOk = since.map((d) => (d && until && d > until ? minIso(d, addDays(until, -364)) : d));

      const data: AppSpec["data"] = [];
      const categories = new Set<CategoryCode>();
      const subjects = new Set<SubjectCode>();
      if (personal) {
        const extra: [CategoryCode, SubjectCode][] = [["contact", "staff"], ["account", "staff"], ["other", "pupils"], ["organisation", "staff"], ["contact", "parents"]];
        const pool = [...kind.pool, ...extra.filter(([c, s]) => !kind.pool.some(([pc, ps]) => pc === c && ps === s))];
        for (const [category, subject] of rnd.sample(pool, rnd.int(3, 10))) {
          data.push({ category, subject, purpose: `${kind.modules[0]}: ${category === "contact" ? "identificatie en contact" : category === "progress" ? "volgen van de ontwikkeling" : category === "account" ? "inloggen en beveiliging" : "uitvoering van de dienst"}` });
          categories.add(category);
          subjects.add(subject);
        }
      }
      const functions = rnd.chance(0.1) ? [] : rnd.sample(kind.functions, rnd.chance(0.7) ? 1 : 2);
      return {
        row: {
          name,
          supplierId: 0,
          description: `${kind.modules[0]} van ${supplierSpecs[supplier]!.name}.`,
          goal: `Ondersteunt ${kind.owner} bij ${kind.modules[0]!.toLowerCase()}.`,
          lifecycle,
          functionalOwner: `${person()} (${kind.owner})`,
          usedByPupils: kind.by.includes("pupils"),
          usedByStaff: kind.by.includes("staff"),
          usedByParents: kind.by.includes("parents"),
          processesPersonalData: personal,
          dataLocationCountry: country,
          dataInEea: inEea,
          transferMechanism: mechanism,
          costOneTimeCents: euros(0.5, 250, 15000),
          costLicencePerYearCents: euros(0.1, 100, rnd.chance(0.1) ? 60000 : 8000),
          costImplementationCents: euros(0.6, 500, 20000),
          archivedAt: lifecycle === "uitgefaseerd" && rnd.chance(0.25) ? new Date(nowMs - rnd.int(1, 300) * DAY_MS) : null,
          version: 1,
          createdAt: new Date(createdAt),
          updatedAt: new Date(createdAt),
        },
        supplier,
        kind,
        categories,
        subjects,
        data,
        functions,
        schools: at,
        since: sinceOk,
        until,
      };
    }

    // Classifications are planned now: an application is created before its first assessment.
    type ClassSpec = { app: number; assessedOn: string; levels: [Level, Level, Level]; proposed: [Level, Level, Level]; reason: string; current: boolean };
    const classified = appSpecs.map((a, i) => ({ a, i })).filter(({ a }) => a.row.processesPersonalData || rnd.chance(0.3));
    const perApp = new Map<number, number>();
    const classifiable = rnd.shuffle(classified.map(({ i }) => i)).filter(() => rnd.chance(0.9));
    for (const i of classifiable) perApp.set(i, 1);
    for (let left = size.classifications - classifiable.length; left > 0 && classifiable.length > 0; ) {
      const i = rnd.pick(classifiable);
      if (perApp.get(i)! >= 3 && rnd.chance(0.9)) continue;
      if (perApp.get(i)! >= 5) continue;
      perApp.set(i, perApp.get(i)! + 1);
      left -= 1;
    }
    const classSpecs: ClassSpec[] = [];
    const earliest = iso(registerStart + 2 * DAY_MS);
    for (const [i, count] of perApp) {
      const app = appSpecs[i]!;
      const overdue = rnd.chance(0.2);
      let date = day(overdue ? -rnd.int(380, 600) : -rnd.int(5, 350));
      const dates = [date];
      for (let k = 1; k < count; k += 1) {
        const earlier = addDays(date, -rnd.int(150, 330));
        date = earlier < earliest ? addDays(earliest, Math.floor(((Date.parse(date) - Date.parse(earliest)) / DAY_MS) * rnd.float())) : earlier;
        dates.unshift(date);
      }
      const implied: Level = [...app.categories].some((c) => SPECIAL.includes(c)) ? "hoog" : [...app.categories].some((c) => c !== "organisation" && c !== "pseudonym" && c !== "other") ? "midden" : "laag";
      const lean = (l: Level): Level => rnd.weighted([[l, 70], [LEVEL_LIST[Math.max(0, levelRank(l) - 1)]!, 20], [LEVEL_LIST[Math.min(2, levelRank(l) + 1)]!, 10]]);
      dates.forEach((assessedOn, k) => {
        const current = k === dates.length - 1;
        // Some current classifications are deliberately below what the data imply.
        const v = current && implied !== "laag" && rnd.chance(0.06) ? LEVEL_LIST[levelRank(implied) - 1]! : current ? implied : lean(implied);
        const levels: [Level, Level, Level] = [lean(app.kind.b), lean(app.kind.i), v];
        const proposed: [Level, Level, Level] = rnd.chance(0.85) ? levels : [levels[0], levels[1], implied];
        classSpecs.push({ app: i, assessedOn, levels, proposed, reason: k === 0 ? "eerste" : rnd.weighted([["jaarlijks", 60], ["functionaliteit", 12], ["gegevens", 10], ["subverwerker", 8], ["incident", 4], ["contract", 6]]), current });
      });
      const first = Date.parse(`${dates[0]}T09:00:00Z`) - rnd.int(1, 20) * DAY_MS;
      if (first < app.row.createdAt.getTime()) app.row.createdAt = new Date(Math.max(registerStart, first));
    }

    // Insert suppliers and applications (after planning the audit updates: they set version and updatedAt)
    const updateTimes = (createdAt: number, k: number) =>
      Array.from({ length: k }, () => createdAt + Math.floor(rnd.float() * (nowMs - createdAt))).sort((a, b) => a - b);
    const supplierUpdates = supplierSpecs.map((s) => updateTimes(s.createdAt.getTime(), rnd.weighted([[0, 60], [1, 25], [2, 10], [3, 5]])));
    supplierSpecs.forEach((s, i) => {
      const times = supplierUpdates[i]!;
      s.version = 1 + times.length;
      if (times.length) s.updatedAt = new Date(times[times.length - 1]!);
      if (rnd.chance(0.02)) s.archivedAt = new Date(Math.max(s.updatedAt.getTime(), nowMs - rnd.int(1, 200) * DAY_MS));
    });
    const supplierIds = insertReturningIds(tx, suppliers, supplierSpecs.map(({ kind: _kind, ...row }) => row));
    appSpecs.forEach((a) => (a.row.supplierId = supplierIds[a.supplier]!));

    // Audit budget: creates are fixed by the data; what is left becomes updates, mostly of applications.
    const dpiaTarget = Math.min(appSpecs.length, n(350, 3));
    const plannedCreates = audit.length + size.suppliers + appSpecs.length + size.agreements + classSpecs.length + dpiaTarget + size.breaches;
    const updateBudget = Math.max(0, size.audit - plannedCreates);
    const appUpdateCount = Math.round(updateBudget * 0.62);
    const appUpdates = appSpecs.map(() => [] as number[]);
    for (let k = 0; k < appUpdateCount; k += 1) appUpdates[rnd.int(0, appSpecs.length - 1)]!.push(0);
    appSpecs.forEach((a, i) => {
      const times = updateTimes(a.row.createdAt.getTime(), appUpdates[i]!.length);
      appUpdates[i] = times;
      a.row.version = 1 + times.length;
      a.row.updatedAt = new Date(times.length ? times[times.length - 1]! : a.row.createdAt.getTime());
      if (a.row.archivedAt && a.row.archivedAt < a.row.updatedAt) a.row.archivedAt = a.row.updatedAt;
    });
    const appIds = insertReturningIds(tx, applications, appSpecs.map((a) => a.row));

    insertRows(
      tx,
      applicationFunctions,
      appSpecs.flatMap((a, i) => a.functions.filter((code) => refs.functions.has(code)).map((code) => ({ applicationId: appIds[i]!, functionId: refs.functions.get(code)! }))),
    );
    insertRows(
      tx,
      applicationSchools,
      appSpecs.flatMap((a, i) =>
        a.schools.map((s, k) => ({
          applicationId: appIds[i]!,
          schoolId: schoolIds[s]!,
          since: a.since[k] ?? null,
          until: a.until,
          localContact: rnd.chance(0.7) ? schoolSpecs[s]!.ict : schoolSpecs[s]!.contactName,
        })),
      ),
    );
    insertRows(
      tx,
      applicationData,
      appSpecs.flatMap((a, i) =>
        a.data.map((d) => ({ applicationId: appIds[i]!, dataCategoryId: categoryId(d.category), dataSubjectId: subjectId(d.subject), purpose: d.purpose, detail: d.category === "other" ? "Notities van de leerkracht" : null })),
      ),
    );

    // Agreements -----------------------------------------------------------------------------
    type AgreementSpec = {
      supplier: number;
      apps: number[];
      row: typeof agreements.$inferInsert & { createdAt: Date; updatedAt: Date; version: number; reference: string };
      older?: AgreementSpec;
      omit: boolean;
      subProcessors: (readonly [string, string, string, boolean])[];
    };
    const groups: { supplier: number; apps: number[] }[] = [];
    const bySupplier = new Map<number, number[]>();
    appSpecs.forEach((a, i) => bySupplier.set(a.supplier, [...(bySupplier.get(a.supplier) ?? []), i]));
    for (const [supplier, list] of bySupplier) {
      const covered = rnd.shuffle(list).filter((i) => (appSpecs[i]!.row.processesPersonalData ? rnd.chance(0.9) : rnd.chance(0.4)));
      for (let k = 0; k < covered.length; ) {
        const take = rnd.weighted([[1, 60], [2, 28], [3, 12]]);
        groups.push({ supplier, apps: covered.slice(k, k + take) });
        k += take;
      }
    }
    // Current agreements: at most 78% of the total; the rest are older versions they replaced.
    const currentGroups = rnd.shuffle(groups).slice(0, Math.min(groups.length, Math.round(size.agreements * 0.78)));
    const modelOf = (covenant: "deelnemer" | "medestander" | "geen") =>
      covenant === "deelnemer"
        ? rnd.weighted([["4.0", 60], ["3.0", 30], ["2.0", 10]] as const)
        : covenant === "medestander"
          ? rnd.weighted([["algemeen", 80], ["eigen", 20]] as const)
          : rnd.weighted([["eigen", 75], ["algemeen", 10], ["3.0", 15]] as const);
    const perYear = new Map<string, number>();
    const referenceFor = (date: string) => {
      const year = date.slice(0, 4);
      const number = (perYear.get(year) ?? 0) + 1;
      perYear.set(year, number);
      return `VO-${year}-${String(number).padStart(4, "0")}`;
    };
    const agreementSpecs: AgreementSpec[] = currentGroups.map((g) => {
      const supplier = supplierSpecs[g.supplier]!;
      const lifecycles = g.apps.map((i) => appSpecs[i]!.row.lifecycle);
      const requested = lifecycles.includes("aangevraagd");
      const retired = lifecycles.every((l) => l === "uitgefaseerd");
      const status = requested
        ? rnd.weighted([["concept", 35], ["aangeboden", 35], ["in_beoordeling", 30]] as const)
        : retired
          ? rnd.weighted([["beeindigd", 60], ["verlopen", 25], ["ondertekend", 15]] as const)
          : rnd.weighted([["ondertekend", 78], ["in_beoordeling", 6], ["aangeboden", 4], ["concept", 2], ["verlopen", 7], ["beeindigd", 3]] as const);
      const signed = status === "ondertekend" || status === "verlopen" || status === "beeindigd";
      const signedOn = signed ? day(-rnd.int(30, 1800)) : null;
      const startsOn = signedOn ?? (rnd.chance(0.5) ? day(rnd.int(0, 90)) : null);
      let endsOn: string | null = null;
      if (status === "verlopen" || status === "beeindigd") endsOn = maxIso(startsOn!, day(-rnd.int(1, 400)));
      else if (signed && rnd.chance(0.55)) endsOn = maxIso(startsOn!, rnd.chance(0.12) ? day(rnd.int(1, 90)) : day(rnd.int(91, 1460)));
      let nextReviewOn: string | null = null;
      if (signedOn) {
        nextReviewOn = addMonths(signedOn, 12);
        while (nextReviewOn < today) nextReviewOn = addMonths(nextReviewOn, 12);
        if (rnd.chance(0.15)) nextReviewOn = maxIso(addDays(signedOn, 1), day(-rnd.int(1, 200)));
      }
      const model = modelOf(supplier.covenantStatus);
      const createdAt = Math.max(...g.apps.map((i) => appSpecs[i]!.row.createdAt.getTime())) + rnd.int(1, 30) * DAY_MS;
      return {
        supplier: g.supplier,
        apps: g.apps,
        omit: rnd.chance(0.12),
        subProcessors: rnd.chance(0.35) ? rnd.sample(SUB_PROCESSORS, rnd.int(1, 4)) : [],
        row: {
          supplierId: supplierIds[g.supplier]!,
          reference: "",
          model,
          status,
          signedOn,
          startsOn,
          endsOn,
          nextReviewOn,
          signatoryName: signedOn ? "Hans van Dijk" : null,
          signatoryRole: signedOn ? "Voorzitter college van bestuur" : null,
          signedViaPortal: signed && (model === "3.0" || model === "4.0") && rnd.chance(0.55),
          deviations: rnd.chance(0.1) ? "Meldtermijn datalekken verlengd naar 72 uur; subverwerkers buiten de EER toegestaan met SCC." : null,
          deviationsMotivation: null,
          annexVersion: rnd.chance(0.7) ? `${rnd.int(1, 3)}.${rnd.int(0, 4)}` : null,
          annexDate: null,
          breachNotificationHours: rnd.weighted([[24, 45], [48, 25], [72, 25], [36, 5]]),
          deletionTermDays: rnd.weighted([[30, 30], [60, 20], [90, 40], [180, 10]]),
          sivonReviewUrl: null,
          sivonRiskLevel: null,
          notes: rnd.chance(0.08) ? "Afspraken gemaakt via SIVON." : null,
          version: 1,
          createdAt: new Date(Math.min(createdAt, nowMs - DAY_MS)),
          updatedAt: new Date(Math.min(createdAt, nowMs - DAY_MS)),
        },
      };
    });
    for (const a of agreementSpecs) {
      if (a.row.deviations) a.row.deviationsMotivation = "Schriftelijk gemotiveerd door de leverancier en akkoord bevonden door de FG.";
      if (a.row.annexVersion && a.row.startsOn) a.row.annexDate = addMonths(a.row.startsOn, -1);
      if (a.row.status === "ondertekend" && rnd.chance(0.1)) {
        a.row.sivonReviewUrl = "https://www.sivon.nl/verwerkersovereenkomsten";
        a.row.sivonRiskLevel = rnd.weighted([["laag", 60], ["midden", 30], ["hoog", 10]] as const);
      }
    }
    // Older versions, replaced by the current one (superseded: beëindigd, or simply verlopen).
    const signedCurrent = rnd.shuffle(agreementSpecs.filter((a) => a.row.startsOn && a.row.signedOn && a.row.startsOn > day(-1700)));
    const olderSpecs: AgreementSpec[] = [];
    for (const current of signedCurrent) {
      if (agreementSpecs.length + olderSpecs.length >= size.agreements) break;
      const endsOn = addDays(current.row.startsOn!, -1);
      const startsOn = addMonths(endsOn, -rnd.int(24, 48));
      const older: AgreementSpec = {
        supplier: current.supplier,
        apps: current.apps,
        omit: rnd.chance(0.2),
        subProcessors: rnd.chance(0.2) ? rnd.sample(SUB_PROCESSORS, rnd.int(1, 2)) : [],
        row: {
          ...current.row,
          reference: "",
          model: rnd.weighted([["1.0", 10], ["2.0", 45], ["3.0", 45]] as const),
          status: rnd.weighted([["beeindigd", 70], ["verlopen", 30]] as const),
          signedOn: startsOn,
          startsOn,
          endsOn,
          nextReviewOn: null,
          signedViaPortal: false,
          deviations: null,
          deviationsMotivation: null,
          annexVersion: null,
          annexDate: null,
          sivonReviewUrl: null,
          sivonRiskLevel: null,
          notes: "Vervangen door een nieuwere versie.",
          createdAt: new Date(Math.max(registerStart, current.row.createdAt.getTime() - rnd.int(1, 10) * DAY_MS)),
          updatedAt: current.row.createdAt,
          version: 2,
        },
      };
      current.older = older;
      olderSpecs.push(older);
    }
    for (const a of [...olderSpecs, ...agreementSpecs]) a.row.reference = referenceFor(a.row.signedOn ?? a.row.startsOn ?? iso(a.row.createdAt.getTime()));
    const agreementUpdateCount = Math.round(updateBudget * 0.25);
    const agreementUpdates = agreementSpecs.map(() => 0);
    for (let k = 0; k < agreementUpdateCount && agreementSpecs.length; k += 1) agreementUpdates[rnd.int(0, agreementSpecs.length - 1)]! += 1;
    const agreementUpdateTimes = agreementSpecs.map((a, i) => {
      const times = updateTimes(a.row.createdAt.getTime(), agreementUpdates[i]!);
      a.row.version = 1 + times.length;
      if (times.length) a.row.updatedAt = new Date(times[times.length - 1]!);
      return times;
    });
    const olderIds = insertReturningIds(tx, agreements, olderSpecs.map((a) => a.row));
    const olderId = new Map(olderSpecs.map((a, i) => [a, olderIds[i]!]));
    const agreementIds = insertReturningIds(
      tx,
      agreements,
      agreementSpecs.map((a) => ({ ...a.row, supersedesId: a.older ? olderId.get(a.older)! : null })),
    );
    const allAgreements = [...olderSpecs.map((a, i) => ({ spec: a, id: olderIds[i]! })), ...agreementSpecs.map((a, i) => ({ spec: a, id: agreementIds[i]! }))];
    insertRows(tx, agreementApplications, allAgreements.flatMap(({ spec, id }) => spec.apps.map((i) => ({ agreementId: id, applicationId: appIds[i]! }))));
    const agreementCategoryRows: (typeof agreementDataCategories.$inferInsert)[] = [];
    const agreementSubjectRows: (typeof agreementDataSubjects.$inferInsert)[] = [];
    for (const { spec, id } of allAgreements) {
      let cats = [...new Set(spec.apps.flatMap((i) => [...appSpecs[i]!.categories]))];
      // Deliberately missing a category: the compliance check must find it.
      if (spec.omit && cats.length > 1) cats = cats.filter((c) => c !== rnd.pick(cats));
      for (const c of cats) agreementCategoryRows.push({ agreementId: id, dataCategoryId: categoryId(c) });
      for (const s of new Set(spec.apps.flatMap((i) => [...appSpecs[i]!.subjects]))) agreementSubjectRows.push({ agreementId: id, dataSubjectId: subjectId(s) });
    }
    insertRows(tx, agreementDataCategories, agreementCategoryRows);
    insertRows(tx, agreementDataSubjects, agreementSubjectRows);
    insertRows(
      tx,
      subProcessors,
      allAgreements.flatMap(({ spec, id }) => spec.subProcessors.map(([name, service, country, inEea], k) => ({ agreementId: id, name, service, country, inEea, sortOrder: k + 1 }))),
    );

    // Classifications (globally oldest first: the newest row of an application is its current one) and measures
    classSpecs.sort((a, b) => a.assessedOn.localeCompare(b.assessedOn) || a.app - b.app);
    const classRows = classSpecs.map((c) => {
      const officer = rnd.pick(officers);
      const app = appSpecs[c.app]!;
      return {
        applicationId: appIds[c.app]!,
        availability: c.levels[0],
        integrity: c.levels[1],
        confidentiality: c.levels[2],
        proposedAvailability: c.proposed[0],
        proposedIntegrity: c.proposed[1],
        proposedConfidentiality: c.proposed[2],
        answers: {
          downtime: { hoog: "uren", midden: "dag", laag: "week" }[c.proposed[0]],
          errors: { hoog: "schade", midden: "hinder", laag: "acceptabel" }[c.proposed[1]],
          leak: { hoog: "ernstig", midden: "beperkt", laag: "geen" }[c.proposed[2]],
          special: [...app.categories].some((cat) => SPECIAL.includes(cat)) ? "ja" : "nee",
          scale: app.subjects.has("pupils") ? "groot" : "klein",
        },
        rationale: `${app.row.name}: ${c.levels[2] === "hoog" ? "bijzondere of gevoelige gegevens van leerlingen" : "gewone persoonsgegevens"}; ${c.levels[0] === "hoog" ? "onmisbaar in het dagelijks onderwijs" : "een dag uitval is op te vangen"}.`,
        reason: c.reason,
        assessedBy: officer.id,
        assessorName: officer.label.replace(/ <.*>$/, ""),
        assessedOn: c.assessedOn,
        nextReviewOn: addMonths(c.assessedOn, 12),
        createdAt: new Date(`${c.assessedOn}T10:00:00Z`),
        officer,
      };
    });
    const classIds = insertReturningIds(tx, classifications, classRows.map(({ officer: _o, ...row }) => row));
    const measureRows: (typeof applicationMeasures.$inferInsert)[] = [];
    classSpecs.forEach((c, k) => {
      if (!c.current) return;
      const levelOn: Record<Aspect, Level> = { beschikbaarheid: c.levels[0], integriteit: c.levels[1], vertrouwelijkheid: c.levels[2] };
      const diligent = rnd.chance(0.75);
      for (const m of refs.measures) {
        if (levelRank(m.level) > levelRank(levelOn[m.aspect])) continue;
        const status = diligent ? rnd.weighted([["aanwezig", 95], ["nvt", 5]] as const) : rnd.weighted([["aanwezig", 55], ["gedeeltelijk", 20], ["afwezig", 20], ["nvt", 5]] as const);
        measureRows.push({
          applicationId: appIds[c.app]!,
          measureId: m.id,
          status,
          note: status === "gedeeltelijk" ? "Nog niet voor alle gebruikers ingericht." : status === "afwezig" ? "Leverancier gevraagd om een plan." : null,
          checkedOn: c.assessedOn,
          checkedBy: classRows[k]!.officer.id,
        });
      }
    });
    insertRows(tx, applicationMeasures, measureRows);

    // DPIAs: most applications with special data or BSN, and some others -----------------------------
    const special = appSpecs.map((a, i) => ({ a, i })).filter(({ a }) => [...a.categories].some((c) => SPECIAL.includes(c)));
    const others = appSpecs.map((a, i) => ({ a, i })).filter(({ a }) => a.row.processesPersonalData && ![...a.categories].some((c) => SPECIAL.includes(c)));
    const dpiaApps = [...rnd.shuffle(special).slice(0, Math.round(dpiaTarget * 0.75)), ...rnd.shuffle(others)].slice(0, dpiaTarget);
    const dpiaRows = dpiaApps.map(({ a, i }) => {
      const isSpecial = [...a.categories].some((c) => SPECIAL.includes(c));
      const required = isSpecial ? rnd.weighted([["ja", 85], ["onbekend", 15]] as const) : rnd.weighted([["ja", 30], ["nee", 50], ["onbekend", 20]] as const);
      const status = required === "ja" ? rnd.weighted([["afgerond", 60], ["in_uitvoering", 25], ["niet_gestart", 15]] as const) : "niet_gestart";
      const performedOn = status === "afgerond" ? day(-rnd.int(30, 1200)) : null;
      const createdAt = Math.max(a.row.createdAt.getTime() + DAY_MS, registerStart + rnd.int(30, 700) * DAY_MS);
      return {
        applicationId: appIds[i]!,
        required,
        criteria: required === "nee" ? [] : rnd.sample(["kwetsbaar", "grote_schaal", "gevoelig", "monitoring", "koppeling", "profilering", "nieuwe_technologie"], rnd.int(1, 4)),
        notRequiredReasoning: required === "nee" ? "Geen bijzondere gegevens, geen monitoring en geen profilering; laag risico voor betrokkenen." : null,
        type: required === "ja" ? rnd.weighted([["sivon", 40], ["sector", 30], ["eigen", 30]] as const) : null,
        status,
        performedOn,
        residualRisk: performedOn ? rnd.weighted([["laag", 65], ["midden", 30], ["hoog", 5]] as const) : null,
        nextReviewOn: performedOn ? addMonths(performedOn, 36) : null,
        version: 1,
        createdAt: new Date(Math.min(createdAt, nowMs - DAY_MS)),
        updatedAt: new Date(Math.min(createdAt, nowMs - DAY_MS)),
      };
    });
    const dpiaIds = insertReturningIds(tx, dpias, dpiaRows);

    // Data breaches: ~100 over two years, the newest ones still open -----------------------------------
    const breachable = appSpecs.map((a, i) => ({ a, i })).filter(({ a }) => a.row.processesPersonalData && a.row.lifecycle !== "aangevraagd");
    const breachRows = Array.from({ length: size.breaches }, (_, k) => {
      const { a, i } = rnd.pick(breachable);
      const open = k >= size.breaches - Math.max(1, Math.round(size.breaches * 0.12));
      const discovered = open ? nowMs - rnd.int(1, 60) * DAY_MS - rnd.int(0, 23) * 3600_000 : registerStart + rnd.int(0, 690) * DAY_MS + rnd.int(8, 17) * 3600_000;
      const risk = rnd.weighted([["geen", 45], ["risico", 40], ["hoog_risico", 15]] as const);
      const notified = risk !== "geen" && rnd.chance(0.8);
      const closed = open ? null : Math.min(nowMs, discovered + rnd.int(3, 60) * DAY_MS);
      const kind = rnd.weighted([["Verkeerde ontvanger van een e-mail met leerlinggegevens", 25], ["Account van een medewerker gephisht", 20], ["Gegevens zichtbaar voor ouders van een andere klas", 20], ["Storing: gegevens enkele uren niet beschikbaar", 15], ["Onbevoegde toegang bij een subverwerker", 10], ["Laptop met lokale export gestolen", 10]] as const);
      return {
        row: {
          title: `${kind} (${a.row.name})`,
          description: "Melding uit de school; onderzocht door de privacy officer samen met de leverancier.",
          applicationId: appIds[i]!,
          supplierId: supplierIds[a.supplier]!,
          discoveredAt: new Date(discovered),
          discoveredBy: rnd.pick(["Mentor", "ICT-coördinator", "Leverancier", "Ouder", "Directeur"]),
          supplierReportedAt: rnd.chance(0.6) ? new Date(discovered + rnd.int(0, 96) * 3600_000) : null,
          affectsConfidentiality: !kind.startsWith("Storing"),
          affectsIntegrity: rnd.chance(0.1),
          affectsAvailability: kind.startsWith("Storing"),
          peopleCount: rnd.int(1, 1500),
          recordsCount: rnd.chance(0.7) ? rnd.int(1, 20000) : null,
          risk,
          regulatorNotified: risk === "geen" ? ("nee" as const) : notified ? ("ja" as const) : open ? ("onbekend" as const) : ("nee" as const),
          regulatorNotifiedAt: notified ? new Date(discovered + rnd.int(2, 70) * 3600_000) : null,
          regulatorReasoning: risk === "geen" ? "Geen risico voor de rechten en vrijheden van betrokkenen." : notified ? "Risico voor betrokkenen niet uit te sluiten." : null,
          subjectsNotified: risk === "hoog_risico" ? ("ja" as const) : ("nee" as const),
          subjectsNotifiedAt: risk === "hoog_risico" ? new Date(discovered + rnd.int(24, 120) * 3600_000) : null,
          subjectsReasoning: risk === "hoog_risico" ? "Ouders per brief geïnformeerd." : "Geen hoog risico: betrokkenen niet geïnformeerd.",
          measures: "Toegang ingetrokken, wachtwoorden gereset en de leverancier om een verbeterplan gevraagd.",
          closedAt: closed === null ? null : new Date(closed),
          version: 1,
          createdAt: new Date(discovered),
          updatedAt: new Date(closed ?? discovered),
        },
        categories: rnd.sample([...a.categories], rnd.int(1, 3)),
      };
    });
    const breachIds = insertReturningIds(tx, breaches, breachRows.map((b) => b.row));
    insertRows(tx, breachDataCategories, breachRows.flatMap((b, k) => b.categories.map((c) => ({ breachId: breachIds[k]!, dataCategoryId: categoryId(c) }))));

    // Audit log: a create for every record, updates for the rest, over two years ---------------------
    supplierSpecs.forEach((s, i) => {
      const { kind: _kind, ...row } = s;
      const id = supplierIds[i]!;
      const created = { id, ...row, version: 1, archivedAt: null };
      log(rnd.pick(officers), s.createdAt.getTime(), { action: "create", entityType: "supplier", entityId: id, summary: `Leverancier ${s.name} aangemaakt`, after: snapshot(created) });
      supplierUpdates[i]!.forEach((at, k) => {
        const before = snapshot({ ...created, version: k + 1, privacyContactEmail: `fg@${s.website.replace("https://www.", "")}` });
        const after = snapshot({ ...created, version: k + 2 });
        log(editor(), at, { action: "update", entityType: "supplier", entityId: id, summary: `Leverancier ${s.name} gewijzigd`, before, after });
      });
      if (s.archivedAt) log(editor(), s.archivedAt.getTime(), { action: "archive", entityType: "supplier", entityId: id, summary: `Leverancier ${s.name} gearchiveerd`, before: snapshot(created), after: snapshot({ ...created, archivedAt: s.archivedAt }) });
    });
    appSpecs.forEach((a, i) => {
      const id = appIds[i]!;
      const row = { id, ...a.row };
      log(rnd.pick(officers), a.row.createdAt.getTime(), { action: "create", entityType: "application", entityId: id, summary: `Applicatie ${a.row.name} aangemaakt`, after: snapshot({ ...row, version: 1, lifecycle: a.row.lifecycle === "aangevraagd" ? "aangevraagd" : "in_gebruik", archivedAt: null }) });
      appUpdates[i]!.forEach((at, k) => {
        const what = rnd.weighted([["fields", 45], ["schools", 25], ["data", 20], ["functions", 10]] as const);
        const actor = editor();
        if (what === "fields") {
          const field = rnd.pick(["functionalOwner", "costLicencePerYearCents", "description", "lifecycle", "dataLocationCountry"] as const);
          const old = field === "functionalOwner" ? `${person()} (${a.kind.owner})` : field === "costLicencePerYearCents" ? Math.round((a.row.costLicencePerYearCents ?? 0) * 0.9) : field === "description" ? `${a.kind.modules[0]}.` : field === "lifecycle" ? "aangevraagd" : "Nederland";
          log(actor, at, { action: "update", entityType: "application", entityId: id, summary: `Applicatie ${a.row.name} gewijzigd`, before: snapshot({ ...row, version: k + 1, [field]: old, archivedAt: null }), after: snapshot({ ...row, version: k + 2, archivedAt: null }) });
        } else if (what === "schools") {
          const names = a.schools.slice(0, 12).map((s) => schoolSpecs[s]!.name);
          log(actor, at, { action: "update", entityType: "application", entityId: id, summary: `Scholen van ${a.row.name} gewijzigd`, before: { schools: names.slice(0, Math.max(1, names.length - 1)) }, after: { schools: names } });
        } else if (what === "data") {
          const lines = a.data.map((d) => `${d.category} / ${d.subject}`);
          log(actor, at, { action: "update", entityType: "application", entityId: id, summary: `Verwerkte persoonsgegevens van ${a.row.name}: ${lines.length} regel(s)`, before: { data: lines.slice(1) }, after: { data: lines } });
        } else {
          log(actor, at, { action: "update", entityType: "application", entityId: id, summary: `FORA-functies van ${a.row.name} gewijzigd`, before: { functions: [] }, after: { functions: a.functions } });
        }
      });
      if (a.row.archivedAt) log(editor(), a.row.archivedAt.getTime(), { action: "archive", entityType: "application", entityId: id, summary: `Applicatie ${a.row.name} gearchiveerd`, before: snapshot({ ...row, archivedAt: null }), after: snapshot(row) });
    });
    allAgreements.forEach(({ spec, id }) => {
      const row = { id, ...spec.row };
      const names = spec.apps.map((i) => appSpecs[i]!.row.name);
      log(rnd.pick(officers), spec.row.createdAt.getTime(), { action: "create", entityType: "agreement", entityId: id, summary: `Verwerkersovereenkomst ${spec.row.reference} (${names.join(", ")}) aangemaakt`, after: { ...snapshot({ ...row, version: 1, status: "concept" }), applications: names } });
    });
    agreementSpecs.forEach((spec, i) => {
      const id = agreementIds[i]!;
      const row = { id, ...spec.row };
      agreementUpdateTimes[i]!.forEach((at, k) => {
        const beforeStatus = k === 0 ? "concept" : spec.row.status;
        log(editor(), at, { action: "update", entityType: "agreement", entityId: id, summary: `Verwerkersovereenkomst ${spec.row.reference} gewijzigd`, before: snapshot({ ...row, version: k + 1, status: beforeStatus, nextReviewOn: k === 0 ? null : row.nextReviewOn }), after: snapshot({ ...row, version: k + 2 }) });
      });
    });
    classRows.forEach((c, k) => {
      log(c.officer, c.createdAt.getTime(), { action: "create", entityType: "classification", entityId: classIds[k]!, summary: `BIV-classificatie van ${appSpecs[classSpecs[k]!.app]!.row.name} (${c.availability}/${c.integrity}/${c.confidentiality}) vastgesteld`, after: snapshot({ id: classIds[k], ...c, officer: undefined }) });
    });
    dpiaRows.forEach((d, k) => {
      log(rnd.pick(officers), d.createdAt.getTime(), { action: "create", entityType: "dpia", entityId: dpiaIds[k]!, summary: `DPIA-besluit voor ${appSpecs[dpiaApps[k]!.i]!.row.name} vastgelegd`, after: snapshot({ id: dpiaIds[k], ...d }) });
    });
    breachRows.forEach((b, k) => {
      log(rnd.pick(officers), b.row.discoveredAt.getTime() + 3600_000, { action: "create", entityType: "breach", entityId: breachIds[k]!, summary: `Datalek "${b.row.title}" geregistreerd`, after: snapshot({ id: breachIds[k], ...b.row }) });
      if (b.row.closedAt) log(rnd.pick(officers), b.row.closedAt.getTime(), { action: "update", entityType: "breach", entityId: breachIds[k]!, summary: `Datalek "${b.row.title}" afgesloten`, before: { closedAt: null }, after: { closedAt: b.row.closedAt.toISOString() } });
    });
    // Fill up to the exact size with small changes elsewhere: schools, DPIAs and password changes.
    while (audit.length < size.audit) {
      const what = rnd.weighted([["school", 30], ["dpia", 40], ["password", 30]] as const);
      const at = registerStart + Math.floor(rnd.float() * (nowMs - registerStart));
      if (what === "school") {
        const s = rnd.int(0, schoolSpecs.length - 1);
        const spec = schoolSpecs[s]!;
        log(editor(), at, { action: "update", entityType: "school", entityId: schoolIds[s]!, summary: `School ${spec.name} gewijzigd`, before: { contactName: person() }, after: { contactName: spec.contactName } });
      } else if (what === "dpia" && dpiaIds.length) {
        const k = rnd.int(0, dpiaIds.length - 1);
        log(editor(), at, { action: "update", entityType: "dpia", entityId: dpiaIds[k]!, summary: `DPIA-besluit voor ${appSpecs[dpiaApps[k]!.i]!.row.name} gewijzigd`, before: { status: "niet_gestart" }, after: { status: dpiaRows[k]!.status } });
      } else {
        const actor = rnd.pick(actors);
        log(actor, at, { action: "password", entityType: "user", entityId: actor.id, summary: `Wachtwoord van ${actor.label.replace(/ <.*>$/, "")} gewijzigd` });
      }
    }
    audit.sort((a, b) => (a.at as Date).getTime() - (b.at as Date).getTime());
    insertRows(tx, auditLog, audit.slice(0, size.audit));

    Object.assign(counts, {
      schools: schoolIds.length,
      users: staffIds.length + contactIds.length,
      suppliers: supplierIds.length,
      applications: appIds.length,
      applicationSchools: appSpecs.reduce((sum, a) => sum + a.schools.length, 0),
      applicationData: appSpecs.reduce((sum, a) => sum + a.data.length, 0),
      applicationFunctions: appSpecs.reduce((sum, a) => sum + a.functions.length, 0),
      agreements: allAgreements.length,
      subProcessors: allAgreements.reduce((sum, a) => sum + a.spec.subProcessors.length, 0),
      classifications: classIds.length,
      applicationMeasures: measureRows.length,
      dpias: dpiaIds.length,
      breaches: breachIds.length,
      auditLog: Math.min(audit.length, size.audit),
    });
  });

  return { seed, today, scale, ms: Number(process.hrtime.bigint() - started) / 1e6, counts };
}

/** Deletes `path` (and its WAL files), migrates a new register there and fills it. */
export function createBenchDatabase(path: string, options: GenerateOptions = {}): GenerateSummary {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
  const connection = openDatabase(path);
  try {
    migrateDatabase(connection);
    seedReferenceData(connection.db);
    ensureBoard(connection.db);
    const summary = generateLargeBoard(connection.db, options);
    // No ANALYZE (nor PRAGMA optimize, which runs it): the register itself never does, and statistics
    // change the query plans; the bench measures the plans a real register gets.
    // One file, no WAL next to it: the file can be copied as it is.
    connection.sqlite.pragma("wal_checkpoint(TRUNCATE)");
    return summary;
  } finally {
    connection.close();
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const path = args.find((a) => !a.startsWith("--"));
  const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  if (!path) {
    console.error("Gebruik: npx tsx bench/generate.ts <pad.sqlite> [--seed=1] [--scale=1]");
    process.exit(2);
  }
  const summary = createBenchDatabase(path, { seed: Number(option("seed") ?? 1), scale: Number(option("scale") ?? 1) });
  console.log(`${path}: groot bestuur gegenereerd in ${(summary.ms / 1000).toFixed(1)} s (seed ${summary.seed}, peildatum ${summary.today})`);
  for (const [table, count] of Object.entries(summary.counts)) console.log(`  ${table.padEnd(22)} ${count.toLocaleString("nl-NL")}`);
}
