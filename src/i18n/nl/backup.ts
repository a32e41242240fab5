// Texts of the backup page and the backup/restore commands.
export const backup = {
  nav: "Back-up",
  title: "Back-up",
  intro:
    "Een back-up is één bestand met de hele database en alle opgeslagen documenten (ondertekende overeenkomsten, DPIA-rapporten), gemaakt terwijl het register gewoon doordraait. Het bestand bevat persoonsgegevens en wachtwoordhashes: bewaar het even zorgvuldig als het register zelf.",
  documents: "Opgeslagen documenten",
  download: "Back-up maken en downloaden",
  downloadHint: "Het downloaden wordt vastgelegd in de wijzigingshistorie.",
  scheduleTitle: "Vaste back-ups en herstellen",
  schedule:
    "Maak daarnaast elke nacht automatisch een back-up op de server met npm run backup (bijvoorbeeld via cron of een systemd-timer), bewaar die minstens 30 dagen, ook op een andere plek, en test maandelijks of een back-up terug te zetten is.",
  restoreText:
    "Terugzetten gebeurt op de server, met het register gestopt: npm run restore <bestand>. Het bestand wordt eerst gecontroleerd; de vorige database blijft bewaard. Zie de README voor de stappen.",
  recentTitle: "Laatst gedownloade back-ups",
  recentNone: "Er is nog geen back-up gedownload.",
  auditSummary: "Back-up {file} gedownload (SHA-256 {sha256})",
  refused: {
    counts: "Deze back-up is niet compleet: de tabel {table} bevat {actual} rijen, de back-up zegt {expected}. Er is niets teruggezet.",
    missing: "Het bestand {file} bestaat niet.",
    damaged: "Het back-upbestand is beschadigd (de controle van SQLite of van de inhoud faalt). Gebruik een andere back-up.",
    foreign: "Dit bestand is geen back-up van het IBP-register.",
    schema: "Deze back-up heeft databaseversie {version}, die deze versie van het IBP-register niet kent. Zet hem terug met de versie van het register waarmee hij is gemaakt (of een nieuwere).",
    documents: "De documenten in de back-up komen niet overeen met de inhoudsopgave: de back-up is beschadigd.",
    documentDamaged: "Document {sha256} in de back-up is beschadigd (de SHA-256 klopt niet).",
    inUse: "De database {path} is in gebruik. Stop eerst het IBP-register (en andere programma's die de database open hebben) en probeer het opnieuw.",
    targetUnreadable: "De huidige database {path} kan niet worden geopend om te controleren of hij in gebruik is.",
  },
  cli: {
    noDatabase: "Er is geen database op {path}: controleer DATABASE_PATH.",
    done: "Back-up gemaakt: {path} ({size}, {documents} documenten).",
    missingDocuments: "Let op: {count} document(en) ontbraken of waren beschadigd en zitten niet in de back-up: {list}",
    failed: "De back-up of het herstel is mislukt: {message}",
    restoreUsage: "Gebruik: npm run restore <back-upbestand>",
    restored: "Back-up {file} (gemaakt op {createdAt}, {documents} documenten) is teruggezet in {path}.",
    previousKept: "De vorige database is bewaard als {path}.",
    restoreMissing: "Let op: {count} document(en) ontbraken al bij het maken van deze back-up en zijn niet teruggezet: {list}",
    refused: "Niet teruggezet: {message}",
  },
};
