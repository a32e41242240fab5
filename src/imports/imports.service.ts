// Committing an import: all rows or none, in ONE transaction. Inside it the plan is made again from the
// stored rows (so it works on what the database holds now), compared with the fingerprint of the preview the
// privacy officer confirmed, and applied row by row through the features' own services (each a savepoint
// inside this transaction). The audit entries those services write are then named after the import
// ("Import #12: applicatie X aangemaakt"), and the import itself is recorded with its file's hash and counts.
import { createHash } from "node:crypto";
import { recordChange, type Actor } from "../audit/audit.service";
import type { Db } from "../db/client";
import { HttpError, ValidationError } from "../http/errors";
import { t } from "../i18n";
import type { ImportKind } from "./imports.fields";
import { guessMapping, needsMapping } from "./imports.mapping";
import { parseSheet } from "./imports.parse";
import { planImport, type ImportCounts, type ImportPlan } from "./imports.plan";
import { insertImport, lastAuditId, nameImportInAudit } from "./imports.repository";
import type { PendingImport, PendingImports } from "./imports.store";

/** The preview is out of date (the register changed) or has wrong rows: the commit is refused, nothing written. */
export class ImportRefusedError extends HttpError {
  constructor(
    status: 409 | 422,
    readonly plan: ImportPlan,
    message: string,
  ) {
    super(status, status === 409 ? "errors.conflictTitle" : "errors.badRequestTitle", message);
  }
}

/** Reads an upload and keeps it for the preview; says whether the columns need mapping first. */
export async function receiveImport(
  store: PendingImports,
  owner: { userId: number; sessionId: string },
  kind: ImportKind,
  file: { content: Buffer; fileName: string },
): Promise<{ pending: PendingImport; mappingNeeded: boolean }> {
  const sheet = await parseSheet(file.content);
  const mapping = guessMapping(kind, sheet.headers);
  const pending = store.add({
    ...owner,
    kind,
    fileName: file.fileName,
    sha256: createHash("sha256").update(file.content).digest("hex"),
    sizeBytes: file.content.length,
    sheet,
    mapping,
  });
  return { pending, mappingNeeded: needsMapping(kind, sheet.headers, mapping) };
}

export type CommitResult = { importId: number | null; counts: ImportCounts };

export function commitImport(db: Db, actor: Actor, pending: PendingImport, fingerprint: string, now = new Date()): CommitResult {
  return db.transaction(() => {
    const plan = planImport(db, pending.kind, pending.sheet, pending.mapping);
    if (plan.counts.wrong > 0) throw new ImportRefusedError(422, plan, t("imports.commit.hasErrors"));
    if (plan.fingerprint !== fingerprint) throw new ImportRefusedError(409, plan, t("imports.commit.stale"));
    if (plan.counts.new + plan.counts.changed === 0) return { importId: null, counts: plan.counts };

    const before = lastAuditId(db);
    const record = insertImport(db, {
      at: now,
      userId: actor.id,
      actor: actor.label,
      kind: pending.kind,
      fileName: pending.fileName,
      sha256: pending.sha256,
      counts: plan.counts,
    });
    for (const row of plan.rows) {
      if (!row.apply) continue;
      try {
        row.apply(db, actor);
      } catch (err) {
        // A rule the preview could not see (e.g. two rows that swap names): the whole import is refused.
        if (err instanceof ValidationError) {
          const message = Object.values(err.fieldErrors).flat()[0] ?? err.message;
          throw new ImportRefusedError(422, plan, t("imports.commit.rowRefused", { row: row.number, message }));
        }
        throw err;
      }
    }
    nameImportInAudit(db, record.id, before);
    recordChange(db, {
      actor,
      action: "import",
      entityType: "import",
      entityId: record.id,
      summary: t("imports.auditSummary", {
        id: record.id,
        kind: t(`imports.kinds.${pending.kind}`).toLowerCase(),
        file: pending.fileName,
        new: plan.counts.new,
        changed: plan.counts.changed,
        unchanged: plan.counts.unchanged,
      }),
      after: { kind: pending.kind, fileName: pending.fileName, sha256: pending.sha256, counts: plan.counts },
      at: now,
    });
    return { importId: record.id, counts: plan.counts };
  });
}
