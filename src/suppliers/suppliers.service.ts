import type { Actor } from "../audit/audit.service";
import type { Db, DbOrTx } from "../db/client";
import { suppliers } from "../db/schema";
import { ValidationError } from "../http/errors";
import { t } from "../i18n";
import { deleteAudited, findOrThrow, insertAudited, updateVersioned } from "../lib/versioned";
import { findDuplicateSupplier, referencesToSupplier, type Supplier } from "./suppliers.repository";
import type { SupplierInput } from "./suppliers.schemas";

const ENTITY = "supplier";

function assertUnique(tx: DbOrTx, input: SupplierInput, exceptId?: number): void {
  const { byName, byKvk } = findDuplicateSupplier(tx, input, exceptId);
  const errors: Record<string, string[]> = {};
  if (byName) errors.name = [t("suppliers.duplicateName", { name: byName.name })];
  if (byKvk) errors.kvk = [t("suppliers.duplicateKvk", { name: byKvk.name })];
  if (Object.keys(errors).length) throw new ValidationError(errors);
}

const toRow = (input: SupplierInput) => ({
  name: input.name,
  kvk: input.kvk ?? null,
  website: input.website ?? null,
  privacyContactName: input.privacyContactName ?? null,
  privacyContactEmail: input.privacyContactEmail ?? null,
  covenantStatus: input.covenantStatus,
  certIso27001: input.certIso27001,
  certNen7510: input.certNen7510,
  certRosa: input.certRosa,
  notes: input.notes ?? null,
});

export function createSupplier(db: Db, actor: Actor, input: SupplierInput): Supplier {
  return db.transaction((tx) => {
    assertUnique(tx, input);
    return insertAudited(tx, suppliers, { actor, entityType: ENTITY, summary: (s) => `Leverancier ${s.name} aangemaakt` }, toRow(input));
  });
}

export function updateSupplier(db: Db, actor: Actor, id: number, input: SupplierInput & { version: number }): Supplier {
  return db.transaction((tx) => {
    findOrThrow(tx, suppliers, id);
    assertUnique(tx, input, id);
    return updateVersioned(tx, suppliers, { actor, entityType: ENTITY, summary: `Leverancier ${input.name} gewijzigd` }, id, input.version, toRow(input)).after;
  });
}

export function setSupplierArchived(db: Db, actor: Actor, id: number, version: number, archived: boolean): Supplier {
  return db.transaction((tx) => {
    const current = findOrThrow(tx, suppliers, id);
    return updateVersioned(
      tx,
      suppliers,
      { actor, entityType: ENTITY, action: archived ? "archive" : "restore", summary: `Leverancier ${current.name} ${archived ? "gearchiveerd" : "teruggezet"}` },
      id,
      version,
      { archivedAt: archived ? new Date() : null },
    ).after;
  });
}

/** A real delete, refused with a clear message while applications, agreements, breaches or requests refer to it. */
export function deleteSupplier(db: Db, actor: Actor, id: number, version: number): Supplier {
  return db.transaction((tx) => {
    const current = findOrThrow(tx, suppliers, id);
    const refs = referencesToSupplier(tx, id);
    const inUse = Object.entries(refs).filter(([, n]) => n > 0);
    if (inUse.length) {
      const list = inUse.map(([kind, n]) => `${n} ${t(`suppliers.refs.${kind}`)}`).join(", ");
      throw new ValidationError({ _form: [t("suppliers.stillReferenced", { list })] });
    }
    return deleteAudited(tx, suppliers, { actor, entityType: ENTITY, summary: `Leverancier ${current.name} verwijderd` }, id, version);
  });
}
