// Texts of opening the database at start and in the command-line tools (src/db/migrate-state.ts).
export const database = {
  refused: {
    noFolder:
      "De map {folder} bestaat niet (DATABASE_PATH={path}). Controleer DATABASE_PATH. Wilt u hier echt een nieuw, leeg register beginnen? Start dan één keer met CREATE_REGISTER=1.",
    notSqlite:
      "Het bestand {path} (DATABASE_PATH) is geen SQLite-database. Het register opent het niet en verandert er niets aan. Controleer DATABASE_PATH.",
    foreign:
      "Het bestand {path} (DATABASE_PATH) is een SQLite-database van een ander programma, niet van het IBP-register. Het register opent het niet en verandert er niets aan. Controleer DATABASE_PATH; voor een nieuw register kiest u een bestand dat nog niet bestaat.",
    newer:
      "De database {path} is bijgewerkt door een nieuwere versie van het IBP-register dan deze. Gebruik die nieuwere versie, of zet een back-up terug die bij deze versie hoort.",
    missing: "Er is geen register op {path}: controleer DATABASE_PATH. Alleen de server maakt een nieuw register aan.",
    notMigrated:
      "De database {path} is nog niet bijgewerkt naar deze versie van het IBP-register. Start eerst de server (npm start): die werkt de database bij. Deze opdracht verandert de opbouw van de database niet.",
  },
};
