// `npm run digest`: one round of the reminder digest from the command line (for cron, or to try the mail
// settings): queue the digests that are due and deliver the outbox. Does nothing when SMTP is not configured.
import { loadConfig } from "../config";
import { openRegisterForTool } from "../db/client";
import { runDigestRound } from "./reminders.digest";

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.smtp) {
    console.log("E-mail staat uit (geen SMTP_HOST ingesteld): er is niets verstuurd.");
    return;
  }
  // Only a register the server has brought up to date; the digest never migrates or remakes triggers.
  const connection = openRegisterForTool(config.databasePath);
  try {
    const result = await runDigestRound(connection.db, config, { logger: { info: () => {}, error: console.error } });
    console.log(`Samenvattingen: ${result.queued} klaargezet, ${result.sent} verstuurd, ${result.failed} mislukt.`);
    if (result.failed > 0) process.exitCode = 1;
  } finally {
    connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
