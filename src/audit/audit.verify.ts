// The result of the chain check in Dutch, for the page /audit/verify and the command `npm run audit:verify`.
import { t } from "../i18n";
import type { ChainResult } from "./audit.chain";

export function describeChain(result: ChainResult): { ok: boolean; headline: string; details: string[]; head?: string } {
  const tx = (key: string, params?: Record<string, string | number>) => t(`reports.chain.${key}`, params);
  const head = result.lastId !== null && result.lastHash ? tx("head", { id: result.lastId, hash: result.lastHash }) : undefined;
  if (result.ok) return { ok: true, headline: result.total === 0 ? tx("empty") : tx("ok", { count: result.total }), details: [], head };
  const problem = result.problem!;
  const params = { id: problem.id, previous: problem.previousId ?? "" };
  const what =
    problem.kind === "removed" && problem.previousId === null ? tx("removedFirst", params) : tx(problem.kind, params);
  return { ok: false, headline: tx("notOk"), details: [what, tx("checked", { checked: result.checked, total: result.total })], head };
}
