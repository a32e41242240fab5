// The result of the chain check in Dutch, for the page /audit/verify and the command `npm run audit:verify`, and
// what the server says about the chain when it starts.
import type { DbOrTx } from "../db/client";
import { t } from "../i18n";
import { sealAuditChain, unsealedEntries, type ChainResult, type Unsealed } from "./audit.chain";

const ids = (unsealed: Unsealed) => `${unsealed.ids.join(", #")}${unsealed.count > unsealed.ids.length ? ", …" : ""}`;

export function describeChain(result: ChainResult): { ok: boolean; headline: string; details: string[]; head?: string } {
  const tx = (key: string, params?: Record<string, string | number>) => t(`reports.chain.${key}`, params);
  const head = result.lastId !== null && result.lastHash ? tx("head", { id: result.lastId, hash: result.lastHash }) : undefined;
  if (result.ok) return { ok: true, headline: result.total === 0 ? tx("empty") : tx("ok", { count: result.total }), details: [], head };
  const problem = result.problem!;
  const params = { id: problem.id, previous: problem.previousId ?? "" };
  const unsealed = result.unsealed;
  const what =
    problem.kind === "removed" && problem.previousId === null
      ? tx("removedFirst", params)
      : problem.kind === "unsealed"
        ? t(unsealed.beforeChain ? "audit.chain.beforeChain" : "audit.chain.unsealed", params)
        : tx(problem.kind, params);
  const details = [what, tx("checked", { checked: result.checked, total: result.total })];
  // Every entry without a hash is a fault of its own, also where the walk stopped earlier for another reason.
  if (unsealed.count > 0 && !unsealed.beforeChain) details.push(t("audit.chain.unsealedCount", { count: unsealed.count, ids: ids(unsealed) }));
  return { ok: false, headline: tx("notOk"), details, head };
}

/**
 * At start: a register from before the chain gets its entries sealed (said, never silently); entries without a hash
 * in a register that has the chain are reported, not sealed.
 */
export function prepareAuditChain(db: DbOrTx): { sealed: number; warning?: string } {
  const sealed = sealAuditChain(db);
  if (sealed > 0) return { sealed, warning: t("audit.chain.legacySealed", { count: sealed }) };
  const unsealed = unsealedEntries(db);
  if (unsealed.count === 0) return { sealed };
  return { sealed, warning: t("audit.chain.unsealedAtStart", { count: unsealed.count, ids: ids(unsealed) }) };
}
