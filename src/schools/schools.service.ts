import type { Actor } from "../audit/audit.service";
import type { Db, DbOrTx } from "../db/client";
import { schools } from "../db/schema";
import { ValidationError } from "../http/errors";
import { t } from "../i18n";
import { deleteAudited, findOrThrow, insertAudited, updateVersioned } from "../lib/versioned";
import { findDuplicateSchool, referencesToSchool, type School } from "./schools.repository";
import type { SchoolInput } from "./schools.schemas";

const ENTITY = "school";

/** BRIN plus vestiging identifies a school: a second one is refused at the BRIN field, naming the first. */
function assertUnique(tx: DbOrTx, input: SchoolInput, exceptId?: number): void {
  const other = findDuplicateSchool(tx, input, exceptId);
  if (other) throw new ValidationError({ brin: [t("schools.duplicate", { code: `${other.brin}${other.location}`, name: other.name })] });
}

const toRow = (input: SchoolInput) => ({
  name: input.name,
  brin: input.brin,
  location: input.location,
  sector: input.sector,
  city: input.city ?? null,
  contactName: input.contactName ?? null,
  contactEmail: input.contactEmail ?? null,
});

export function createSchool(db: Db, actor: Actor, input: SchoolInput): School {
  return db.transaction((tx) => {
    assertUnique(tx, input);
    return insertAudited(tx, schools, { actor, entityType: ENTITY, summary: (s) => t("schools.audit.created", { name: s.name }) }, toRow(input));
  });
}

export function updateSchool(db: Db, actor: Actor, id: number, input: SchoolInput & { version: number }): School {
  return db.transaction((tx) => {
    findOrThrow(tx, schools, id);
    assertUnique(tx, input, id);
    return updateVersioned(tx, schools, { actor, entityType: ENTITY, summary: t("schools.audit.updated", { name: input.name }) }, id, input.version, toRow(input))
      .after;
  });
}

export function setSchoolArchived(db: Db, actor: Actor, id: number, version: number, archived: boolean): School {
  return db.transaction((tx) => {
    const current = findOrThrow(tx, schools, id);
    return updateVersioned(
      tx,
      schools,
      {
        actor,
        entityType: ENTITY,
        action: archived ? "archive" : "restore",
        summary: t(archived ? "schools.audit.archived" : "schools.audit.restored", { name: current.name }),
      },
      id,
      version,
      { archivedAt: archived ? new Date() : null },
    ).after;
  });
}

/** A real delete, refused while applications, users or intake requests refer to the school. */
export function deleteSchool(db: Db, actor: Actor, id: number, version: number): School {
  return db.transaction((tx) => {
    const current = findOrThrow(tx, schools, id);
    const inUse = Object.entries(referencesToSchool(tx, id)).filter(([, n]) => n > 0);
    if (inUse.length) {
      const list = inUse.map(([kind, n]) => `${n} ${t(`schools.refs.${kind}`)}`).join(", ");
      throw new ValidationError({ _form: [t("schools.stillReferenced", { list })] });
    }
    return deleteAudited(tx, schools, { actor, entityType: ENTITY, summary: t("schools.audit.deleted", { name: current.name }) }, id, version);
  });
}
