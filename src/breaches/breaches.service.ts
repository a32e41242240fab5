// The data breach register (AVG art. 33(5): every breach is documented, notified or not). Each save is one
// transaction with its audit entry ("breach"), including the categories of data it touched. The two
// clocks a privacy officer watches are computed here on the server: the regulator's term while the decision
// to notify is open, and the supplier's term from its processor agreement.
import { and, eq } from "drizzle-orm";
import { recordChange, type Actor } from "../audit/audit.service";
import { isCurrent } from "../compliance/rules";
import type { Db, DbOrTx } from "../db/client";
import { breaches } from "../db/schema";
import { ConflictError, ValidationError } from "../http/errors";
import { t } from "../i18n";
import { todayIso } from "../lib/dates";
import { findOrThrow } from "../lib/versioned";
import {
  agreementsCovering,
  applicationById,
  categoryIdsOfBreach,
  existingCategoryIds,
  replaceBreachCategories,
  supplierById,
  type Breach,
} from "./breaches.repository";
import type { BreachInput, BreachUpdateInput } from "./breaches.schemas";

const ENTITY = "breach";
const HOUR_MS = 60 * 60 * 1000;

const toRow = (input: BreachInput, supplierId: number | null) => ({
  title: input.title,
  description: input.description ?? null,
  applicationId: input.applicationId ?? null,
  supplierId,
  discoveredAt: new Date(input.discoveredAt),
  discoveredBy: input.discoveredBy ?? null,
  supplierReportedAt: input.supplierReportedAt === undefined ? null : new Date(input.supplierReportedAt),
  affectsConfidentiality: input.affectsConfidentiality,
  affectsIntegrity: input.affectsIntegrity,
  affectsAvailability: input.affectsAvailability,
  peopleCount: input.peopleCount ?? null,
  recordsCount: input.recordsCount ?? null,
  risk: input.risk ?? null,
  regulatorNotified: input.regulatorNotified,
  regulatorNotifiedAt: input.regulatorNotifiedAt === undefined ? null : new Date(input.regulatorNotifiedAt),
  regulatorReasoning: input.regulatorReasoning ?? null,
  subjectsNotified: input.subjectsNotified,
  subjectsNotifiedAt: input.subjectsNotifiedAt === undefined ? null : new Date(input.subjectsNotifiedAt),
  subjectsReasoning: input.subjectsReasoning ?? null,
  measures: input.measures ?? null,
  closedAt: input.closedAt === undefined ? null : new Date(input.closedAt),
});

/**
 * The application and supplier must exist. Without a supplier chosen, the application's supplier is taken:
 * the form may name another (a breach at a sub-processor's own service, say), but need not.
 */
function resolveReferences(tx: DbOrTx, input: BreachInput): { supplierId: number | null } {
  const errors: Record<string, string[]> = {};
  const app = input.applicationId === undefined ? undefined : applicationById(tx, input.applicationId);
  if (input.applicationId !== undefined && !app) errors.applicationId = [t("breaches.unknownChoice")];
  if (input.supplierId !== undefined && !supplierById(tx, input.supplierId)) errors.supplierId = [t("breaches.unknownChoice")];
  if (existingCategoryIds(tx, input.dataCategoryIds).length !== input.dataCategoryIds.length) errors.dataCategoryIds = [t("breaches.unknownChoice")];
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { supplierId: input.supplierId ?? app?.supplierId ?? null };
}

const snapshot = (row: Breach, dataCategoryIds: number[]) => ({ ...row, dataCategoryIds });

export function createBreach(db: Db, actor: Actor, input: BreachInput): Breach {
  return db.transaction((tx) => {
    const { supplierId } = resolveReferences(tx, input);
    const row = tx.insert(breaches).values(toRow(input, supplierId)).returning().get();
    replaceBreachCategories(tx, row.id, input.dataCategoryIds);
    recordChange(tx, { actor, action: "create", entityType: ENTITY, entityId: row.id, summary: `Datalek "${row.title}" vastgelegd`, after: snapshot(row, input.dataCategoryIds) });
    return row;
  });
}

export function updateBreach(db: Db, actor: Actor, id: number, input: BreachUpdateInput): Breach {
  return db.transaction((tx) => {
    const before = findOrThrow(tx, breaches, id);
    if (before.version !== input.version) throw new ConflictError(before);
    const { supplierId } = resolveReferences(tx, input);
    const categoriesBefore = categoryIdsOfBreach(tx, id);
    const after = tx
      .update(breaches)
      .set({ ...toRow(input, supplierId), version: before.version + 1, updatedAt: new Date() })
      .where(and(eq(breaches.id, id), eq(breaches.version, input.version)))
      .returning()
      .get();
    if (!after) throw new ConflictError(findOrThrow(tx, breaches, id));
    replaceBreachCategories(tx, id, input.dataCategoryIds);
    const closing = before.closedAt === null && after.closedAt !== null;
    recordChange(tx, {
      actor,
      action: "update",
      entityType: ENTITY,
      entityId: id,
      summary: closing ? `Datalek "${after.title}" gesloten` : `Datalek "${after.title}" gewijzigd`,
      before: snapshot(before, categoriesBefore),
      after: snapshot(after, input.dataCategoryIds),
    });
    return after;
  });
}

/** A real delete, for a breach recorded by mistake (a duplicate): the audit entry keeps what it said. */
export function deleteBreach(db: Db, actor: Actor, id: number, version: number): Breach {
  return db.transaction((tx) => {
    const current = findOrThrow(tx, breaches, id);
    if (current.version !== version) throw new ConflictError(current);
    const categories = categoryIdsOfBreach(tx, id);
    // Its categories go with it (ON DELETE CASCADE); nothing else refers to a breach.
    tx.delete(breaches).where(eq(breaches.id, id)).run();
    recordChange(tx, { actor, action: "delete", entityType: ENTITY, entityId: id, summary: `Datalek "${current.title}" verwijderd`, before: snapshot(current, categories) });
    return current;
  });
}

export type RegulatorClock =
  | { state: "running"; deadline: Date; hoursLeft: number; lessThanAnHour: boolean }
  | { state: "expired"; deadline: Date }
  | { state: "notifiedInTime" | "notifiedLate"; deadline: Date; hoursAfterDiscovery: number }
  | { state: "notNotified" };

/**
 * The regulator's term (art. 33: within 72 hours of becoming aware; the hours are a setting). While the
 * decision is open it counts down, in whole hours left (rounded down: better to underestimate a deadline).
 */
export function regulatorClock(breach: Pick<Breach, "discoveredAt" | "regulatorNotified" | "regulatorNotifiedAt">, hours: number, now: Date): RegulatorClock {
  const deadline = new Date(breach.discoveredAt.getTime() + hours * HOUR_MS);
  if (breach.regulatorNotified === "nee") return { state: "notNotified" };
  if (breach.regulatorNotified === "ja" && breach.regulatorNotifiedAt) {
    const hoursAfterDiscovery = Math.ceil((breach.regulatorNotifiedAt.getTime() - breach.discoveredAt.getTime()) / HOUR_MS);
    return { state: breach.regulatorNotifiedAt <= deadline ? "notifiedInTime" : "notifiedLate", deadline, hoursAfterDiscovery };
  }
  const left = deadline.getTime() - now.getTime();
  if (left <= 0) return { state: "expired", deadline };
  return { state: "running", deadline, hoursLeft: Math.floor(left / HOUR_MS), lessThanAnHour: left < HOUR_MS };
}

export type SupplierTiming =
  | { state: "noApplication" }
  | { state: "noAgreement" }
  | { state: "noTerm"; agreement: { id: number; reference: string } }
  | { state: "inTime" | "late"; agreement: { id: number; reference: string }; hours: number; deadline: Date; hoursAfterDiscovery: number }
  | { state: "notReported" | "overdue"; agreement: { id: number; reference: string }; hours: number; deadline: Date };

/**
 * The supplier's report against the notification term of the processor agreement that covered the
 * application on the day the breach was discovered (the newest, if several did). Measured from discovery:
 * the register knows when the breach was first discovered, by the school or by the supplier itself.
 */
export function supplierTiming(db: DbOrTx, breach: Pick<Breach, "applicationId" | "discoveredAt" | "supplierReportedAt">, now: Date): SupplierTiming {
  if (breach.applicationId === null) return { state: "noApplication" };
  const day = todayIso(breach.discoveredAt);
  const agreement = agreementsCovering(db, breach.applicationId).find((a) => isCurrent(a, day));
  if (!agreement) return { state: "noAgreement" };
  const ref = { id: agreement.id, reference: agreement.reference };
  if (agreement.breachNotificationHours === null) return { state: "noTerm", agreement: ref };
  const hours = agreement.breachNotificationHours;
  const deadline = new Date(breach.discoveredAt.getTime() + hours * HOUR_MS);
  if (breach.supplierReportedAt === null) return { state: now > deadline ? "overdue" : "notReported", agreement: ref, hours, deadline };
  const hoursAfterDiscovery = Math.ceil((breach.supplierReportedAt.getTime() - breach.discoveredAt.getTime()) / HOUR_MS);
  return { state: breach.supplierReportedAt <= deadline ? "inTime" : "late", agreement: ref, hours, deadline, hoursAfterDiscovery };
}
