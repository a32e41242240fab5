import type { Actor } from "../audit/audit.service";
import { codeFrom, uniqueCode } from "../categories/categories.schemas";
import type { Db, DbOrTx } from "../db/client";
import { foraFunctions } from "../db/schema";
import { ValidationError } from "../http/errors";
import { t } from "../i18n";
import { deleteAudited, findOrThrow, insertAudited, updateVersioned } from "../lib/versioned";
import {
  findDomainById,
  findFunctionByCode,
  nextFunctionSortOrder,
  referencesToFunction,
  type ForaDomain,
  type ForaFunction,
} from "./fora.repository";
import type { FunctionInput } from "./fora.schemas";

const ENTITY = "fora_function";

function domainOf(tx: DbOrTx, domainId: number): ForaDomain {
  const domain = findDomainById(tx, domainId);
  if (!domain) throw new ValidationError({ domainId: [t("fora.domainUnknown")] });
  return domain;
}

/** A typed code must be free; an empty one is made from the domain's code and the name ("lz.zorgdossier"). */
function codeFor(tx: DbOrTx, input: FunctionInput, domain: ForaDomain, exceptId?: number): string {
  if (input.code) {
    const other = findFunctionByCode(tx, input.code, exceptId);
    if (other) throw new ValidationError({ code: [t("fora.codeTaken", { name: other.name })] });
    return input.code;
  }
  const base = `${domain.code}.${codeFrom(input.name, "-") || "functie"}`;
  return uniqueCode(base, (code) => findFunctionByCode(tx, code, exceptId) !== undefined, "-");
}

function toRow(tx: DbOrTx, input: FunctionInput, exceptId?: number) {
  const domain = domainOf(tx, input.domainId);
  return {
    domainId: domain.id,
    code: codeFor(tx, input, domain, exceptId),
    name: input.name,
    description: input.description ?? null,
    sortOrder: input.sortOrder ?? nextFunctionSortOrder(tx, domain.id, exceptId),
  };
}

export function createFunction(db: Db, actor: Actor, input: FunctionInput): ForaFunction {
  return db.transaction((tx) =>
    insertAudited(tx, foraFunctions, { actor, entityType: ENTITY, summary: (f) => t("fora.audit.created", { name: f.name }) }, toRow(tx, input)),
  );
}

export function updateFunction(db: Db, actor: Actor, id: number, input: FunctionInput & { version: number }): ForaFunction {
  return db.transaction((tx) => {
    findOrThrow(tx, foraFunctions, id);
    return updateVersioned(
      tx,
      foraFunctions,
      { actor, entityType: ENTITY, summary: t("fora.audit.updated", { name: input.name }) },
      id,
      input.version,
      toRow(tx, input, id),
    ).after;
  });
}

export function setFunctionArchived(db: Db, actor: Actor, id: number, version: number, archived: boolean): ForaFunction {
  return db.transaction((tx) => {
    const current = findOrThrow(tx, foraFunctions, id);
    return updateVersioned(
      tx,
      foraFunctions,
      {
        actor,
        entityType: ENTITY,
        action: archived ? "archive" : "restore",
        summary: t(archived ? "fora.audit.archived" : "fora.audit.restored", { name: current.name }),
      },
      id,
      version,
      { archivedAt: archived ? new Date() : null },
    ).after;
  });
}

/** A real delete, refused while applications or intake requests are tagged with the function. */
export function deleteFunction(db: Db, actor: Actor, id: number, version: number): ForaFunction {
  return db.transaction((tx) => {
    const current = findOrThrow(tx, foraFunctions, id);
    const message = stillReferencedMessage(referencesToFunction(tx, id));
    if (message) throw new ValidationError({ _form: [message] });
    return deleteAudited(tx, foraFunctions, { actor, entityType: ENTITY, summary: t("fora.audit.deleted", { name: current.name }) }, id, version);
  });
}

export function stillReferencedMessage(references: Record<string, number>): string | undefined {
  const inUse = Object.entries(references).filter(([, n]) => n > 0);
  if (!inUse.length) return undefined;
  return t("fora.stillReferenced", { list: inUse.map(([kind, n]) => `${n} ${t(`fora.refs.${kind}`)}`).join(", ") });
}
