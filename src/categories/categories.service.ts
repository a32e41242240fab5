import type { Actor } from "../audit/audit.service";
import type { Db } from "../db/client";
import { dataCategories } from "../db/schema";
import { ValidationError } from "../http/errors";
import { t } from "../i18n";
import { deleteAudited, findOrThrow, insertAudited, updateVersioned } from "../lib/versioned";
import {
  findCategoryByCode,
  nextCategorySortOrder,
  referencesToCategory,
  type DataCategory,
} from "./categories.repository";
import { codeFrom, uniqueCode, type CategoryInput, type CategoryUpdate } from "./categories.schemas";

const ENTITY = "data_category";

const toRow = (input: CategoryUpdate | CategoryInput) => ({
  label: input.label,
  description: input.description ?? null,
  flag: input.flag ?? null,
  minConfidentiality: input.minConfidentiality,
});

/**
 * Adds a board's own category. A code typed in must be free; without one the code is made from the label
 * (and numbered when taken), so a privacy officer need not invent identifiers.
 */
export function createCategory(db: Db, actor: Actor, input: CategoryInput): DataCategory {
  return db.transaction((tx) => {
    let code = input.code;
    if (code) {
      const other = findCategoryByCode(tx, code);
      if (other) throw new ValidationError({ code: [t("categories.codeTaken", { label: other.label })] });
    } else {
      code = uniqueCode(codeFrom(input.label) || "categorie", (c) => findCategoryByCode(tx, c) !== undefined);
    }
    return insertAudited(
      tx,
      dataCategories,
      { actor, entityType: ENTITY, summary: (c) => t("categories.audit.created", { label: c.label }) },
      { ...toRow(input), code, isCustom: true, sortOrder: input.sortOrder ?? nextCategorySortOrder(tx) },
    );
  });
}

export function updateCategory(db: Db, actor: Actor, id: number, input: CategoryUpdate): DataCategory {
  return db.transaction((tx) => {
    findOrThrow(tx, dataCategories, id);
    return updateVersioned(
      tx,
      dataCategories,
      { actor, entityType: ENTITY, summary: t("categories.audit.updated", { label: input.label }) },
      id,
      input.version,
      { ...toRow(input), sortOrder: input.sortOrder ?? nextCategorySortOrder(tx, id) },
    ).after;
  });
}

export function setCategoryArchived(db: Db, actor: Actor, id: number, version: number, archived: boolean): DataCategory {
  return db.transaction((tx) => {
    const current = findOrThrow(tx, dataCategories, id);
    return updateVersioned(
      tx,
      dataCategories,
      {
        actor,
        entityType: ENTITY,
        action: archived ? "archive" : "restore",
        summary: t(archived ? "categories.audit.archived" : "categories.audit.restored", { label: current.label }),
      },
      id,
      version,
      { archivedAt: archived ? new Date() : null },
    ).after;
  });
}

/** A real delete, refused while applications, agreements, breaches, intake requests or retention rules name it. */
export function deleteCategory(db: Db, actor: Actor, id: number, version: number): DataCategory {
  return db.transaction((tx) => {
    const current = findOrThrow(tx, dataCategories, id);
    const message = stillReferencedMessage(referencesToCategory(tx, id));
    if (message) throw new ValidationError({ _form: [message] });
    return deleteAudited(tx, dataCategories, { actor, entityType: ENTITY, summary: t("categories.audit.deleted", { label: current.label }) }, id, version);
  });
}

/** The Dutch refusal naming what still refers to the category, or undefined when nothing does. */
export function stillReferencedMessage(references: Record<string, number>): string | undefined {
  const inUse = Object.entries(references).filter(([, n]) => n > 0);
  if (!inUse.length) return undefined;
  return t("categories.stillReferenced", { list: inUse.map(([kind, n]) => `${n} ${t(`categories.refs.${kind}`)}`).join(", ") });
}
