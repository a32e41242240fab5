// Retention rules: per data category or record type, how long, from what moment, and what happens then.
// Nothing refers to a rule, so besides archiving a rule can be deleted (after confirmation); every change is
// audited ("retention_rule") in the same transaction.
import type { Actor } from "../audit/audit.service";
import type { Db, DbOrTx } from "../db/client";
import { retentionRules } from "../db/schema";
import { isCurrent } from "../compliance/rules";
import { ValidationError } from "../http/errors";
import { t } from "../i18n";
import { deleteAudited, findOrThrow, insertAudited, updateVersioned } from "../lib/versioned";
import { categoryExists, deletionTermsOf, rulesForCategories, type RetentionRule } from "./retention.repository";
import type { RetentionInput } from "./retention.schemas";

const ENTITY = "retention_rule";

const toRow = (input: RetentionInput) => ({
  dataCategoryId: input.dataCategoryId ?? null,
  recordType: input.recordType,
  termText: input.termText,
  termMonths: input.termMonths ?? null,
  trigger: input.trigger,
  action: input.action,
  source: input.source ?? null,
});

function assertCategory(tx: DbOrTx, input: RetentionInput): void {
  if (input.dataCategoryId !== undefined && !categoryExists(tx, input.dataCategoryId)) {
    throw new ValidationError({ dataCategoryId: [t("retention.unknownCategory")] });
  }
}

export function createRetentionRule(db: Db, actor: Actor, input: RetentionInput): RetentionRule {
  return db.transaction((tx) => {
    assertCategory(tx, input);
    return insertAudited(tx, retentionRules, { actor, entityType: ENTITY, summary: (r) => `Bewaartermijn ${r.recordType} aangemaakt` }, toRow(input));
  });
}

export function updateRetentionRule(db: Db, actor: Actor, id: number, input: RetentionInput & { version: number }): RetentionRule {
  return db.transaction((tx) => {
    findOrThrow(tx, retentionRules, id);
    assertCategory(tx, input);
    return updateVersioned(tx, retentionRules, { actor, entityType: ENTITY, summary: `Bewaartermijn ${input.recordType} gewijzigd` }, id, input.version, toRow(input)).after;
  });
}

export function setRetentionRuleArchived(db: Db, actor: Actor, id: number, version: number, archived: boolean): RetentionRule {
  return db.transaction((tx) => {
    const current = findOrThrow(tx, retentionRules, id);
    return updateVersioned(
      tx,
      retentionRules,
      { actor, entityType: ENTITY, action: archived ? "archive" : "restore", summary: `Bewaartermijn ${current.recordType} ${archived ? "gearchiveerd" : "teruggezet"}` },
      id,
      version,
      { archivedAt: archived ? new Date() : null },
    ).after;
  });
}

export function deleteRetentionRule(db: Db, actor: Actor, id: number, version: number): RetentionRule {
  return db.transaction((tx) => {
    const current = findOrThrow(tx, retentionRules, id);
    return deleteAudited(tx, retentionRules, { actor, entityType: ENTITY, summary: `Bewaartermijn ${current.recordType} verwijderd` }, id, version);
  });
}

/**
 * What the application page shows under "Bewaartermijnen": the rules for the categories it processes, and
 * the processor's deletion term after the contract ends from each agreement that covers it today.
 */
export function retentionOfApplication(db: DbOrTx, applicationId: number, categoryIds: number[], today: string) {
  return {
    rules: rulesForCategories(db, categoryIds),
    deletionTerms: deletionTermsOf(db, applicationId).filter((a) => isCurrent(a, today)),
  };
}
