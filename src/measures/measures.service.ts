import type { Actor } from "../audit/audit.service";
import { codeFrom, uniqueCode } from "../categories/categories.schemas";
import type { Db, DbOrTx } from "../db/client";
import { securityMeasures } from "../db/schema";
import { ValidationError } from "../http/errors";
import { t } from "../i18n";
import { deleteAudited, findOrThrow, insertAudited, updateVersioned } from "../lib/versioned";
import { findMeasureByCode, nextMeasureSortOrder, referencesToMeasure, type SecurityMeasure } from "./measures.repository";
import type { MeasureInput } from "./measures.schemas";

const ENTITY = "security_measure";

/** A typed code must be free; an empty one is made from aspect and title ("v.tweefactorauthenticatie"). */
function codeFor(tx: DbOrTx, input: MeasureInput, exceptId?: number): string {
  if (input.code) {
    const other = findMeasureByCode(tx, input.code, exceptId);
    if (other) throw new ValidationError({ code: [t("measures.codeTaken", { title: other.title })] });
    return input.code;
  }
  const base = `${input.aspect[0]}.${codeFrom(input.title, "-") || "maatregel"}`;
  return uniqueCode(base, (code) => findMeasureByCode(tx, code, exceptId) !== undefined, "-");
}

const toRow = (input: MeasureInput) => ({
  aspect: input.aspect,
  level: input.level,
  title: input.title,
  description: input.description ?? null,
  owner: input.owner,
});

export function createMeasure(db: Db, actor: Actor, input: MeasureInput): SecurityMeasure {
  return db.transaction((tx) =>
    insertAudited(
      tx,
      securityMeasures,
      { actor, entityType: ENTITY, summary: (m) => t("measures.audit.created", { title: m.title }) },
      { ...toRow(input), code: codeFor(tx, input), sortOrder: input.sortOrder ?? nextMeasureSortOrder(tx) },
    ),
  );
}

export function updateMeasure(db: Db, actor: Actor, id: number, input: MeasureInput & { version: number }): SecurityMeasure {
  return db.transaction((tx) => {
    findOrThrow(tx, securityMeasures, id);
    return updateVersioned(
      tx,
      securityMeasures,
      { actor, entityType: ENTITY, summary: t("measures.audit.updated", { title: input.title }) },
      id,
      input.version,
      { ...toRow(input), code: codeFor(tx, input, id), sortOrder: input.sortOrder ?? nextMeasureSortOrder(tx, id) },
    ).after;
  });
}

export function setMeasureArchived(db: Db, actor: Actor, id: number, version: number, archived: boolean): SecurityMeasure {
  return db.transaction((tx) => {
    const current = findOrThrow(tx, securityMeasures, id);
    return updateVersioned(
      tx,
      securityMeasures,
      {
        actor,
        entityType: ENTITY,
        action: archived ? "archive" : "restore",
        summary: t(archived ? "measures.audit.archived" : "measures.audit.restored", { title: current.title }),
      },
      id,
      version,
      { archivedAt: archived ? new Date() : null },
    ).after;
  });
}

/** A real delete, refused while an application records the measure (its status there would be lost). */
export function deleteMeasure(db: Db, actor: Actor, id: number, version: number): SecurityMeasure {
  return db.transaction((tx) => {
    const current = findOrThrow(tx, securityMeasures, id);
    const message = stillReferencedMessage(referencesToMeasure(tx, id));
    if (message) throw new ValidationError({ _form: [message] });
    return deleteAudited(tx, securityMeasures, { actor, entityType: ENTITY, summary: t("measures.audit.deleted", { title: current.title }) }, id, version);
  });
}

export function stillReferencedMessage(count: number): string | undefined {
  return count > 0 ? t("measures.stillReferenced", { count }) : undefined;
}
