import type { Request, Response } from "express";
import { actorOf, describeHistory } from "../audit/audit.service";
import { measuresOf } from "../classifications/classifications.repository";
import { confidentialityTooLow, maxLevel } from "../classifications/classifications.questions";
import type { Db } from "../db/client";
import { LIFECYCLES, TRANSFER_MECHANISMS, type Role } from "../db/enums";
import { currentUser } from "../http/auth";
import { NotFoundError } from "../http/errors";
import { flash } from "../http/flash";
import { type FormState, submitArchive, submitForm, versionOnly } from "../http/forms";
import { keptPage, pageScope, renderKept } from "../http/kept-pages";
import { listHref, pagination, sortHeaders } from "../http/listing";
import { can, PERMISSIONS, type CurrentUser } from "../http/policy";
import { parseId } from "../http/validation";
import { labels, t } from "../i18n";
import { todayIso } from "../lib/dates";
import { getSettings } from "../settings/settings.service";
import {
  agreementsOf,
  breachesOf,
  categoryList,
  classificationsOf,
  countApplications,
  dataOf,
  domainOptions,
  dpiaOf,
  findApplicationById,
  foraOptions,
  functionIdsOf,
  functionsOf,
  historyOfApplication,
  isUsedBySchools,
  listApplications,
  referencesToApplication,
  schoolOptions,
  schoolUsesOf,
  subjectList,
  supplierName,
  supplierOptions,
  type Application,
} from "./applications.repository";
import {
  applicationDataInput,
  applicationInput,
  applicationListQuery,
  applicationSchoolsInput,
  applicationUpdate,
  type ApplicationListQuery,
  } from "./applications.schemas";
import {
  createApplication,
  deleteApplication,
  setApplicationArchived,
  updateApplication,
  updateApplicationData,
  updateApplicationSchools,
} from "./applications.service";
import { describeFindings, evaluateApplications, STATUSES, statusLabel } from "../compliance/compliance.service";
import { isCurrent, uncoveredCategoryIds } from "../compliance/rules";
import { retentionOfApplication } from "../retention/retention.service";

const FORM_FIELDS = [
  "name", "supplierId", "description", "goal", "lifecycle", "functionalOwner", "usedByPupils", "usedByStaff", "usedByParents",
  "processesPersonalData", "dataLocationCountry", "dataInEea", "transferMechanism", "costOneTimeCents", "costLicencePerYearCents", "costImplementationCents",
];

/** Cents as the form shows them: 123450 → "1234,50". */
const euroInput = (cents: number | null | undefined) => (cents === null || cents === undefined ? "" : (cents / 100).toFixed(2).replace(".", ","));
const eeaChoice = (v: boolean | null) => (v === null ? "onbekend" : v ? "ja" : "nee");

/** The stored application as form values. */
function toForm(app: Application, functionIds: number[]) {
  return {
    ...app,
    dataInEea: eeaChoice(app.dataInEea),
    transferMechanism: app.transferMechanism ?? "",
    costOneTimeCents: euroInput(app.costOneTimeCents),
    costLicencePerYearCents: euroInput(app.costLicencePerYearCents),
    costImplementationCents: euroInput(app.costImplementationCents),
    functionIds,
  };
}

/**
 * The list of applications, kept per register state (src/http/kept-pages.ts). A school user's list holds only the
 * applications of their schools, and does not say how many schools use each.
 */
const applicationList = keptPage<ApplicationListQuery>("applications/index", (db, { role, schools, day: today, query }) => {
  const isSchoolUser = role === "school";
  const only = schools ? [...schools] : undefined;
  // Filtering on status needs every application's status; otherwise only the page's rows are evaluated.
  const ids = query.status
    ? evaluateApplications(db, { today }).filter((e) => e.evaluation.status === query.status).map((e) => e.facts.id)
    : undefined;
  const scope = { schoolIds: only, ids };
  const page = pagination("/applications", query, countApplications(db, query, scope));
  const rows = listApplications(db, query, page, scope);
  const statuses = new Map(evaluateApplications(db, { ids: rows.map((r) => r.id), today }).map((e) => [e.facts.id, e.evaluation]));
  return {
    query,
    rows: rows.map(({ schoolCount, ...r }) => ({
      ...r,
      schoolCount: isSchoolUser ? undefined : schoolCount,
      status: statuses.get(r.id)?.status ?? "grey",
      findingCount: statuses.get(r.id)?.findings.length ?? 0,
    })),
    page,
    statusOptions: STATUSES.map((value) => ({ value, label: statusLabel(value) })),
    headers: sortHeaders("/applications", query, [
      { key: "name", label: t("applications.name") },
      { key: "supplier", label: t("applications.supplier") },
      { key: "lifecycle", label: t("applications.lifecycle") },
      ...(isSchoolUser ? [] : [{ key: "schools", label: t("applications.schoolCount") }]),
    ]),
    schoolOptions: schoolOptions(db, only).map((s) => ({ value: s.id, label: s.name })),
    // A board has hundreds of suppliers: the search finds them by name; a supplier's page links to its filter.
    supplierFilter: query.supplier
      ? { id: query.supplier, name: supplierName(db, query.supplier), removeHref: listHref("/applications", { ...query, supplier: undefined, page: 1 }) }
      : undefined,
    lifecycleOptions: LIFECYCLES.map((value) => ({ value, label: labels("lifecycles")[value] })),
    domainOptions: domainOptions(db),
    categoryOptions: categoryList(db).map((c) => ({ value: c.id, label: c.label })),
    personalDataOptions: [
      { value: "ja", label: t("common.yes") },
      { value: "nee", label: t("common.no") },
    ],
    isSchoolUser,
    canWrite: (PERMISSIONS["register.write"] as readonly Role[]).includes(role),
  };
});

export function applicationHandlers(db: Db) {
  /**
   * The application, if the user may see it: a school user only when one of its schools uses it. Any other id
   * is "not found" for them, as an id that does not exist, so that guessing ids tells them nothing.
   */
  const load = (req: Request, user: CurrentUser): Application => {
    const app = findApplicationById(db, parseId(req.params.id));
    if (!app || (user.role === "school" && !isUsedBySchools(db, app.id, user.schoolIds))) throw new NotFoundError();
    return app;
  };

  const formOptions = () => ({
    supplierOptions: supplierOptions(db),
    lifecycleOptions: LIFECYCLES.map((value) => ({ value, label: labels("lifecycles")[value] })),
    eeaOptions: (["ja", "nee", "onbekend"] as const).map((value) => ({ value, label: labels("yesNoUnknown")[value] })),
    transferOptions: TRANSFER_MECHANISMS.map((value) => ({ value, label: labels("transferMechanisms")[value] })),
    fora: foraOptions(db),
    schools: schoolOptions(db),
  });

  const renderForm = (res: Response, status: number, state: FormState, app?: Application) =>
    res.status(status).render("applications/form", {
      title: app ? t("applications.edit", { name: app.name }) : t("applications.new"),
      app,
      action: app ? `/applications/${app.id}` : "/applications",
      ...formOptions(),
      ...state,
    });

  return {
    index(req: Request, res: Response) {
      const user = currentUser(res);
      const parsedQuery = applicationListQuery.parse(req.query);
      // A school user does not learn how many schools use an application: no column, and no sorting on it.
      const query = user.role === "school" && parsedQuery.sort === "schools" ? { ...parsedQuery, sort: "name" as const } : parsedQuery;
      // Lists are read far more often than the register changes: the body is kept until it does (or the day turns).
      renderKept(res, db, applicationList, t("applications.title"), pageScope(user, query));
    },

    show(req: Request, res: Response) {
      const user = currentUser(res);
      const app = load(req, user);
      const today = todayIso();
      const settings = getSettings(db);
      const categories = categoryList(db);
      const subjects = subjectList(db);
      const data = dataOf(db, app.id);
      const processedIds = [...new Set(data.map((d) => d.categoryId))];
      const agreements = agreementsOf(db, app.id).map((a) => ({
        ...a,
        current: isCurrent(a, today),
        categories: categories.filter((c) => a.categoryIds.includes(c.id)).map((c) => c.label),
      }));
      const uncovered = new Set(uncoveredCategoryIds(processedIds, agreements, today));
      const dataRows = categories
        .filter((c) => processedIds.includes(c.id))
        .map((c) => {
          const lines = data.filter((d) => d.categoryId === c.id);
          return {
            label: c.label,
            flag: c.flag,
            subjects: subjects.filter((s) => lines.some((l) => l.subjectId === s.id)).map((s) => s.label),
            purpose: [...new Set(lines.map((l) => l.purpose).filter(Boolean))].join("; "),
            detail: [...new Set(lines.map((l) => l.detail).filter(Boolean))].join("; "),
            covered: !uncovered.has(c.id),
          };
        });
      const history = classificationsOf(db, app.id);
      const classification = history[0];
      // What the processed categories imply for V, from the rows already loaded.
      const processed = categories.filter((c) => processedIds.includes(c.id));
      const impliedLevel = maxLevel(...processed.map((c) => c.minConfidentiality));
      const implied = { level: impliedLevel, because: impliedLevel === "laag" ? [] : processed.filter((c) => c.minConfidentiality === impliedLevel).map((c) => c.label) };
      const measures = measuresOf(db, app.id, classification).filter((m) => m.required || m.status);
      const isSchoolUser = user.role === "school";
      const evaluation = evaluateApplications(db, { ids: [app.id], today, settings })[0]?.evaluation ?? { status: "grey" as const, findings: [] };
      res.render("applications/show", {
        title: app.name,
        app,
        status: evaluation.status,
        findings: describeFindings(evaluation.findings),
        dpia: dpiaOf(db, app.id),
        breaches: breachesOf(db, app.id),
        retention: retentionOfApplication(db, app.id, processedIds, today),
        supplier: { value: app.supplierId, label: supplierName(db, app.supplierId) },
        functions: functionsOf(db, app.id),
        // A school user sees its own schools only: nothing of other schools, not even that they use it too.
        schoolUses: schoolUsesOf(db, app.id, isSchoolUser ? user.schoolIds : undefined),
        dataRows,
        uncoveredLabels: dataRows.filter((r) => !r.covered).map((r) => r.label),
        agreements,
        hasCurrentAgreement: agreements.some((a) => a.current),
        // Fix links lead to edit pages; a role without write access reads the advice instead of meeting a 403.
        findingsReadOnly: !can(user, "register.write"),
        classification,
        classificationOverdue: classification ? classification.nextReviewOn < today : false,
        implied,
        confidentialityTooLow: classification ? confidentialityTooLow(classification.confidentiality, implied.level) : false,
        classifications: history,
        measures,
        missingMeasures: measures.filter((m) => m.missing).length,
        history: isSchoolUser ? [] : describeHistory(db, historyOfApplication(db, app.id)),
        showHistory: !isSchoolUser,
        isSchoolUser,
        reviewMonths: settings.reviewIntervalMonths,
        canWrite: can(user, "register.write"),
      });
    },

    newForm(_req: Request, res: Response) {
      renderForm(res, 200, { values: { lifecycle: "in_gebruik", processesPersonalData: true, dataInEea: "ja", functionIds: [], schoolIds: [] } });
    },

    create(req: Request, res: Response) {
      return submitForm(req, res, {
        schema: applicationInput,
        render: (status, state) => renderForm(res, status, state),
        save: (data) => createApplication(db, actorOf(currentUser(res)), data),
        onSuccess: (app) => {
          flash(req, "success", t("applications.created", { name: app.name }));
          res.redirect(303, `/applications/${app.id}`);
        },
      });
    },

    editForm(req: Request, res: Response) {
      const app = load(req, currentUser(res));
      renderForm(res, 200, { values: toForm(app, functionIdsOf(db, app.id)) }, app);
    },

    update(req: Request, res: Response) {
      const app = load(req, currentUser(res));
      return submitForm(req, res, {
        schema: applicationUpdate,
        render: (status, state) => renderForm(res, status, state, app),
        save: (data) => updateApplication(db, actorOf(currentUser(res)), app.id, data),
        conflict: {
          fields: FORM_FIELDS.map((key) => ({ key, label: t(`applications.fields.${key}`) })),
          toForm: (current: Application) => toForm(current, functionIdsOf(db, current.id)),
        },
        onSuccess: (saved) => {
          flash(req, "success", t("applications.saved", { name: saved.name }));
          res.redirect(303, `/applications/${saved.id}`);
        },
      });
    },

    dataForm(req: Request, res: Response) {
      const app = load(req, currentUser(res));
      const data = dataOf(db, app.id);
      const rows: Record<string, { subjects: number[]; purpose: string; detail: string }> = {};
      for (const d of data) {
        const row = (rows[`k${d.categoryId}`] ??= { subjects: [], purpose: d.purpose ?? "", detail: d.detail ?? "" });
        row.subjects.push(d.subjectId);
      }
      renderData(res, 200, app, { values: { version: app.version, rows } });
    },

    updateData(req: Request, res: Response) {
      const app = load(req, currentUser(res));
      return submitForm(req, res, {
        schema: applicationDataInput,
        render: (status, state) => renderData(res, status, app, state),
        save: (data) => updateApplicationData(db, actorOf(currentUser(res)), app.id, data),
        conflict: { fields: [{ key: "name", label: t("applications.fields.name") }] },
        onSuccess: () => {
          flash(req, "success", t("applications.dataSaved"));
          res.redirect(303, `/applications/${app.id}#gegevens`);
        },
      });
    },

    schoolsForm(req: Request, res: Response) {
      const app = load(req, currentUser(res));
      const uses = schoolUsesOf(db, app.id);
      const rows = Object.fromEntries(uses.map((u) => [`k${u.schoolId}`, { used: true, since: u.since ?? "", until: u.until ?? "", localContact: u.localContact ?? "" }]));
      renderSchools(res, 200, app, { values: { version: app.version, rows } });
    },

    updateSchools(req: Request, res: Response) {
      const app = load(req, currentUser(res));
      return submitForm(req, res, {
        schema: applicationSchoolsInput,
        render: (status, state) => renderSchools(res, status, app, state),
        save: (data) => updateApplicationSchools(db, actorOf(currentUser(res)), app.id, data),
        conflict: { fields: [{ key: "name", label: t("applications.fields.name") }] },
        onSuccess: () => {
          flash(req, "success", t("applications.schoolsSaved"));
          res.redirect(303, `/applications/${app.id}#scholen`);
        },
      });
    },

    archive: (req: Request, res: Response) => setArchived(req, res, true),
    restore: (req: Request, res: Response) => setArchived(req, res, false),

    confirmDelete(req: Request, res: Response) {
      const app = load(req, currentUser(res));
      res.render("applications/delete", { title: t("applications.deleteTitle", { name: app.name }), app, references: referencesToApplication(db, app.id) });
    },

    destroy(req: Request, res: Response) {
      const app = load(req, currentUser(res));
      return submitForm(req, res, {
        schema: versionOnly,
        render: (status, state) =>
          res.status(status === 422 ? 409 : status).render("applications/delete", { title: t("applications.deleteTitle", { name: app.name }), app, ...state }),
        save: (data) => deleteApplication(db, actorOf(currentUser(res)), app.id, data.version),
        conflict: { fields: [{ key: "name", label: t("applications.fields.name") }] },
        onSuccess: () => {
          flash(req, "success", t("applications.deleted", { name: app.name }));
          res.redirect(303, "/applications");
        },
      });
    },
  };

  function renderData(res: Response, status: number, app: Application, state: FormState) {
    const values = state.values as { rows?: Record<string, { subjects?: unknown; purpose?: string; detail?: string }> };
    const subjects = subjectList(db);
    const rows = categoryList(db).map((c) => {
      const row = values.rows?.[`k${c.id}`] ?? {};
      const ticked = ([] as unknown[]).concat(row.subjects ?? []).map(String);
      return {
        id: c.id,
        label: c.label,
        description: c.description,
        flag: c.flag,
        isOther: c.code === "other",
        purpose: row.purpose ?? "",
        detail: row.detail ?? "",
        subjects: subjects.map((s) => ({ id: s.id, label: s.label, checked: ticked.includes(String(s.id)) })),
      };
    });
    res.status(status).render("applications/data", { title: t("applications.dataTitle", { name: app.name }), app, rows, subjects, ...state });
  }

  function renderSchools(res: Response, status: number, app: Application, state: FormState) {
    const values = state.values as { rows?: Record<string, { used?: unknown; since?: string; until?: string; localContact?: string }> };
    const rows = schoolOptions(db).map((s) => {
      const row = values.rows?.[`k${s.id}`] ?? {};
      return {
        ...s,
        used: row.used === true || row.used === "on",
        since: row.since ?? "",
        until: row.until ?? "",
        localContact: row.localContact ?? "",
        error: state.errors?.[`rows.k${s.id}.until`] ?? state.errors?.[`rows.k${s.id}.since`],
      };
    });
    res.status(status).render("applications/schools", { title: t("applications.schoolsTitle", { name: app.name }), app, rows, ...state });
  }

  function setArchived(req: Request, res: Response, archived: boolean) {
    const app = load(req, currentUser(res));
    return submitArchive(req, res, {
      back: `/applications/${app.id}`,
      save: (version) => setApplicationArchived(db, actorOf(currentUser(res)), app.id, version, archived),
      success: (saved) => t(archived ? "applications.archived" : "applications.restored", { name: saved.name }),
    });
  }
}
