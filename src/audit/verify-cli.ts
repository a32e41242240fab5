// `npm run audit:verify`: checks the hash chain of the change history in the configured database
// (DATABASE_PATH) and exits 0 when it is intact, 1 with the first entry that does not fit, 2 when it cannot check
// (no register there, or one the server has not yet brought up to date: a tool never migrates).
import { loadConfig } from "../config";
import { openRegisterForTool } from "../db/client";
import { verifyAuditChain } from "./audit.chain";
import { describeChain } from "./audit.verify";

export function runVerify(databasePath: string, out: (line: string) => void = console.log): number {
  const connection = openRegisterForTool(databasePath);
  try {
    const result = describeChain(verifyAuditChain(connection.db));
    out(`${result.headline}`);
    for (const line of result.details) out(line);
    if (result.head) out(result.head);
    return result.ok ? 0 : 1;
  } finally {
    connection.close();
  }
}

if (require.main === module) {
  try {
    const config = loadConfig();
    process.exitCode = runVerify(config.databasePath);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 2;
  }
}
