import type { Request, Response } from "express";
import { actorOf, historyWithChanges } from "../audit/audit.service";
import type { Db } from "../db/client";
import { BREACH_RISKS, YES_NO_UNKNOWN } from "../db/enums";
import { currentUser } from "../http/auth";
import { NotFoundError } from "../http/errors";
import { flash } from "../http/flash";
import { type FormState, submitForm, versionOnly } from "../http/forms";
import { pagination, sortHeaders } from "../http/listing";
import { can } from "../http/policy";
import { parseId } from "../http/validation";
import { labelOf, t } from "../i18n";
import { formatDateTime } from "../lib/format";
import { getSettings } from "../settings/settings.service";
import { toLocalInput } from "./breaches.moments";
import {
  applicationById,
  applicationChoices,
  categoriesOfBreach,
  categoryChoices,
  categoryIdsOfBreach,
  countBreaches,
  findBreachById,
  listBreaches,
  supplierById,
  supplierChoices,
  type Breach,
} from "./breaches.repository";
import { BREACH_STATES, breachCreate, breachListQuery, breachUpdate, newBreachQuery } from "./breaches.schemas";
import { createBreach, deleteBreach, regulatorClock, supplierTiming, updateBreach } from "./breaches.service";

type Values = Record<string, unknown>;

const CONFLICT_FIELDS = [
  "title",
  "description",
  "applicationId",
  "supplierId",
  "discoveredAt",
  "discoveredBy",
  "supplierReportedAt",
  "peopleCount",
  "recordsCount",
  "risk",
  "regulatorNotified",
  "regulatorNotifiedAt",
  "regulatorReasoning",
  "subjectsNotified",
  "subjectsNotifiedAt",
  "subjectsReasoning",
  "measures",
  "closedAt",
];
const MOMENT_FIELDS = ["discoveredAt", "supplierReportedAt", "regulatorNotifiedAt", "subjectsNotifiedAt", "closedAt"] as const;

const asText = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");
const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined || v === null || v === "" ? [] : [v]).map(asText).filter(Boolean);
const options = (group: string, values: readonly string[]) => values.map((value) => ({ value, label: labelOf(group, value) }));
const isTicked = (v: unknown) => v === true || v === "on" || v === "1" || v === "true";
const idOf = (v: unknown) => {
  const n = Number(asText(v));
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

/** A saved breach as the form shows it: moments in Dutch time, ids and counts as text. */
function valuesOfBreach(breach: Breach, categoryIds: number[]): Values {
  const values: Values = { ...breach, dataCategoryIds: categoryIds.map(String) };
  for (const key of MOMENT_FIELDS) values[key] = toLocalInput(breach[key]);
  for (const key of ["applicationId", "supplierId", "peopleCount", "recordsCount"] as const) values[key] = breach[key] === null ? "" : String(breach[key]);
  values.risk = breach.risk ?? "";
  return values;
}

/** The regulator's clock as the pages say it. */
function describeClock(clock: ReturnType<typeof regulatorClock>) {
  switch (clock.state) {
    case "running":
      return { ...clock, text: clock.lessThanAnHour ? t("breaches.clock.lessThanAnHour") : t("breaches.clock.hoursLeft", { hours: clock.hoursLeft }), urgent: clock.hoursLeft < 24 };
    case "expired":
      return { ...clock, text: t("breaches.clock.expired", { deadline: formatDateTime(clock.deadline) }), urgent: true };
    case "notifiedInTime":
      return { ...clock, text: t("breaches.clock.notifiedInTime", { hours: clock.hoursAfterDiscovery }), urgent: false };
    case "notifiedLate":
      return { ...clock, text: t("breaches.clock.notifiedLate", { hours: clock.hoursAfterDiscovery }), urgent: false };
    case "notNotified":
      return { ...clock, text: t("breaches.clock.notNotified"), urgent: false };
  }
}

function describeSupplierTiming(timing: ReturnType<typeof supplierTiming>) {
  switch (timing.state) {
    case "noApplication":
    case "noAgreement":
      return { ...timing, text: t(`breaches.supplierTiming.${timing.state}`), late: false };
    case "noTerm":
      return { ...timing, text: t("breaches.supplierTiming.noTerm", { reference: timing.agreement.reference }), late: false };
    case "inTime":
    case "late":
      return {
        ...timing,
        text: t(`breaches.supplierTiming.${timing.state}`, { hours: timing.hoursAfterDiscovery, term: timing.hours, reference: timing.agreement.reference }),
        late: timing.state === "late",
      };
    case "notReported":
    case "overdue":
      return {
        ...timing,
        text: t(`breaches.supplierTiming.${timing.state}`, { term: timing.hours, reference: timing.agreement.reference, deadline: formatDateTime(timing.deadline) }),
        late: timing.state === "overdue",
      };
  }
}

export function breachHandlers(db: Db) {
  const load = (req: Request): Breach => {
    const breach = findBreachById(db, parseId(req.params.id));
    if (!breach) throw new NotFoundError();
    return breach;
  };

  const renderForm = (res: Response, status: number, state: FormState, breach?: Breach) => {
    const values = state.values;
    const ticked = new Set(asStrings(values.dataCategoryIds));
    const tickedIds = [...ticked].map(Number).filter(Number.isSafeInteger);
    res.status(status).render("breaches/form", {
      title: breach ? t("breaches.edit", { title: breach.title }) : t("breaches.new"),
      breach,
      action: breach ? `/breaches/${breach.id}` : "/breaches",
      values,
      errors: state.errors,
      conflict: state.conflict,
      applicationOptions: applicationChoices(db, idOf(values.applicationId)).map((a) => ({
        value: String(a.id),
        label: `${a.name} (${a.supplierName})${a.archivedAt ? ` (${t("common.archived").toLowerCase()})` : ""}`,
      })),
      supplierOptions: supplierChoices(db, idOf(values.supplierId)).map((s) => ({
        value: String(s.id),
        label: s.archivedAt ? `${s.name} (${t("common.archived").toLowerCase()})` : s.name,
      })),
      affects: {
        confidentiality: isTicked(values.affectsConfidentiality),
        integrity: isTicked(values.affectsIntegrity),
        availability: isTicked(values.affectsAvailability),
      },
      categories: categoryChoices(db, tickedIds).map((c) => ({ ...c, checked: ticked.has(String(c.id)) })),
      riskOptions: options("breaches.risks", BREACH_RISKS),
      notifiedOptions: options("yesNoUnknown", YES_NO_UNKNOWN),
      hours: getSettings(db).breachRegulatorHours,
    });
  };

  return {
    index(req: Request, res: Response) {
      const query = breachListQuery.parse(req.query);
      const page = pagination("/breaches", query, countBreaches(db, query));
      const now = new Date();
      const hours = getSettings(db).breachRegulatorHours;
      const rows = listBreaches(db, query, page).map((row) => ({
        ...row,
        clock: row.regulatorNotified === "onbekend" ? describeClock(regulatorClock(row, hours, now)) : undefined,
      }));
      const application = query.application ? applicationById(db, query.application) : undefined;
      res.render("breaches/index", {
        title: t("breaches.title"),
        query,
        rows,
        page,
        application,
        filtered: Boolean(query.q || query.state || query.risk || query.from || query.to || query.application),
        stateOptions: options("breaches.states", BREACH_STATES),
        riskOptions: options("breaches.risks", BREACH_RISKS),
        headers: sortHeaders("/breaches", query, [
          { key: "title", label: t("breaches.fields.title") },
          { key: "application", label: t("breaches.fields.applicationId") },
          { key: "discovered", label: t("breaches.fields.discoveredAt") },
          { key: "risk", label: t("breaches.fields.risk") },
          { key: "closed", label: t("breaches.fields.closedAt") },
        ]),
        hours,
        canWrite: can(res.locals.user, "register.write"),
      });
    },

    show(req: Request, res: Response) {
      const breach = load(req);
      const now = new Date();
      const hours = getSettings(db).breachRegulatorHours;
      res.render("breaches/show", {
        title: breach.title,
        breach,
        application: breach.applicationId === null ? undefined : applicationById(db, breach.applicationId),
        supplier: breach.supplierId === null ? undefined : supplierById(db, breach.supplierId),
        categories: categoriesOfBreach(db, breach.id),
        hours,
        clock: describeClock(regulatorClock(breach, hours, now)),
        deadline: new Date(breach.discoveredAt.getTime() + hours * 60 * 60 * 1000),
        supplierTiming: describeSupplierTiming(supplierTiming(db, breach, now)),
        history: historyWithChanges(db, "breach", breach.id, "breaches"),
        canWrite: can(res.locals.user, "register.write"),
      });
    },

    newForm(req: Request, res: Response) {
      const query = newBreachQuery.parse(req.query);
      const application = query.applicationId ? applicationById(db, query.applicationId) : undefined;
      renderForm(res, 200, {
        values: {
          applicationId: application ? String(application.id) : "",
          supplierId: application ? String(application.supplierId) : "",
          regulatorNotified: "onbekend",
          subjectsNotified: "onbekend",
          dataCategoryIds: [],
        },
      });
    },

    create(req: Request, res: Response) {
      return submitForm(req, res, {
        schema: breachCreate,
        render: (status, state) => renderForm(res, status, state),
        save: (data) => createBreach(db, actorOf(currentUser(res)), data),
        onSuccess: (breach) => {
          flash(req, "success", t("breaches.created", { title: breach.title }));
          res.redirect(303, `/breaches/${breach.id}`);
        },
      });
    },

    editForm(req: Request, res: Response) {
      const breach = load(req);
      renderForm(res, 200, { values: valuesOfBreach(breach, categoryIdsOfBreach(db, breach.id)) }, breach);
    },

    update(req: Request, res: Response) {
      const breach = load(req);
      return submitForm(req, res, {
        schema: breachUpdate,
        render: (status, state) => renderForm(res, status, state, breach),
        save: (data) => updateBreach(db, actorOf(currentUser(res)), breach.id, data),
        conflict: {
          fields: CONFLICT_FIELDS.map((key) => ({ key, label: t(`breaches.fields.${key}`) })),
          toForm: (current: Breach) => valuesOfBreach(current, categoryIdsOfBreach(db, current.id)),
        },
        onSuccess: (saved) => {
          flash(req, "success", t(saved.closedAt !== null && breach.closedAt === null ? "breaches.closed" : "breaches.saved", { title: saved.title }));
          res.redirect(303, `/breaches/${saved.id}`);
        },
      });
    },

    confirmDelete(req: Request, res: Response) {
      const breach = load(req);
      res.render("breaches/delete", { title: t("breaches.deleteTitle", { title: breach.title }), breach });
    },

    destroy(req: Request, res: Response) {
      const breach = load(req);
      return submitForm(req, res, {
        schema: versionOnly,
        render: (status, state) =>
          res.status(status === 422 ? 409 : status).render("breaches/delete", { title: t("breaches.deleteTitle", { title: breach.title }), breach, ...state }),
        save: (data) => deleteBreach(db, actorOf(currentUser(res)), breach.id, data.version),
        conflict: { fields: [{ key: "title", label: t("breaches.fields.title") }] },
        onSuccess: () => {
          flash(req, "success", t("breaches.deleted", { title: breach.title }));
          res.redirect(303, "/breaches");
        },
      });
    },
  };
}
