import type { Request, Response } from "express";
import { z } from "zod";
import { categoryList, foraOptions, schoolOptions, subjectList, supplierOptions } from "../applications/applications.repository";
import { actorOf, historyWithChanges } from "../audit/audit.service";
import type { Db } from "../db/client";
import { INTAKE_STATUSES } from "../db/enums";
import { currentUser } from "../http/auth";
import { ForbiddenError, NotFoundError } from "../http/errors";
import { flash } from "../http/flash";
import { type FormState, submitForm } from "../http/forms";
import { pagination, sortHeaders } from "../http/listing";
import { can, type CurrentUser } from "../http/policy";
import { parseId } from "../http/validation";
import { labelOf, labels, t } from "../i18n";
import {
  applicationsOnFunction,
  countIntakeRequests,
  dataOfRequest,
  findIntakeById,
  functionName,
  intakeDetail,
  listIntakeRequests,
  messagesOf,
  OPEN_STATUSES,
  type IntakeRequest,
} from "./intake.repository";
import { answerInput, approveInput, askInput, COVENANT_ANSWERS, intakeInput, intakeListQuery, rejectInput, reviewInput } from "./intake.schemas";
import { answerQuestion, approveRequest, askForInformation, rejectRequest, startReview, submitIntakeRequest } from "./intake.service";

type FormName = "review" | "ask" | "answer" | "approve" | "reject";
type RowValues = { subjects?: unknown; purpose?: unknown };

const statusLabel = (status: string) => labelOf("intake.statuses", status);
const isOpen = (status: string) => (OPEN_STATUSES as readonly string[]).includes(status);

/** Who may submit a request: a school user (for its own schools), or the privacy officer and admin on a school's behalf. */
export function mayRequest(user: CurrentUser | undefined): boolean {
  return user !== undefined && (user.role === "school" ? user.schoolIds.length > 0 : can(user, "register.write"));
}

export function intakeHandlers(db: Db) {
  /** The request, if the user may see it: for a school user another school's request is "not found", as a missing id. */
  const load = (req: Request, user: CurrentUser): IntakeRequest => {
    const request = findIntakeById(db, parseId(req.params.id));
    if (!request || (user.role === "school" && !user.schoolIds.includes(request.schoolId))) throw new NotFoundError();
    return request;
  };

  const ownSchools = (user: CurrentUser) => (user.role === "school" ? user.schoolIds : undefined);

  /** The rows of the data question: every category with its subjects ticked as the user left them. */
  function dataRows(values: Record<string, unknown>, errors: Record<string, string> = {}) {
    const rows = (values.rows ?? {}) as Record<string, RowValues>;
    const subjects = subjectList(db);
    return categoryList(db).map((c) => {
      const row = rows[`k${c.id}`] ?? {};
      const ticked = ([] as unknown[]).concat(row.subjects ?? []).map(String);
      return {
        id: c.id,
        label: c.label,
        description: c.description,
        flag: c.flag,
        purpose: typeof row.purpose === "string" ? row.purpose : "",
        purposeError: errors[`rows.k${c.id}.purpose`],
        subjectsError: errors[`rows.k${c.id}.subjects`],
        subjects: subjects.map((s) => ({ id: s.id, label: s.label, checked: ticked.includes(String(s.id)) })),
      };
    });
  }

  /** The board's applications on the chosen function, when one is chosen: "is there already one for this?". */
  function existingFor(functionId: unknown, user: CurrentUser) {
    const id = z.coerce.number().int().positive().safeParse(functionId);
    const name = id.success ? functionName(db, id.data) : undefined;
    if (!id.success || !name) return undefined;
    return { functionName: name, applications: applicationsOnFunction(db, id.data, user.role === "school" ? user.schoolIds : []) };
  }

  function renderForm(res: Response, status: number, state: FormState, user: CurrentUser) {
    res.status(status).render("intake/form", {
      title: t("intake.new"),
      schoolOptions: schoolOptions(db, ownSchools(user)).map((s) => ({ value: s.id, label: `${s.name} (${s.brin}${s.location})` })),
      fora: foraOptions(db),
      supplierOptions: supplierOptions(db),
      covenantOptions: COVENANT_ANSWERS.map((value) => ({ value, label: labels("intake").covenantAnswers[value] })),
      rows: dataRows(state.values, state.errors),
      existing: existingFor(state.values.foraFunctionId, user),
      ...state,
    });
  }

  function renderShow(res: Response, status: number, id: number, user: CurrentUser, forms: Partial<Record<FormName, FormState>> = {}) {
    const request = findIntakeById(db, id);
    if (!request) throw new NotFoundError();
    const open = isOpen(request.status);
    const canDecide = can(user, "register.write") && open;
    const form = (name: FormName) => {
      const state = forms[name];
      return { values: { ...state?.values, version: state?.values.version ?? request.version }, errors: state?.errors };
    };
    const data = dataOfRequest(db, id);
    const byCategory = new Map<number, { label: string; subjects: string[]; purposes: string[] }>();
    for (const d of data) {
      const line = byCategory.get(d.categoryId) ?? { label: d.categoryLabel, subjects: [], purposes: [] };
      line.subjects.push(d.subjectLabel);
      if (d.purpose && !line.purposes.includes(d.purpose)) line.purposes.push(d.purpose);
      byCategory.set(d.categoryId, line);
    }
    const conflict = Object.values(forms).find((s) => s?.conflict)?.conflict;
    res.status(status).render("intake/show", {
      title: t("intake.requestTitle", { name: request.applicationName }),
      request,
      detail: intakeDetail(db, id),
      statusText: statusLabel(request.status),
      covenantText: labels("intake").covenantAnswers[request.supplierCovenantStatus ?? "onbekend"],
      dataLines: [...byCategory.values()].map((l) => ({ label: l.label, subjects: l.subjects.join(", "), purposes: l.purposes.join("; ") })),
      messages: messagesOf(db, id),
      existing: request.foraFunctionId ? existingFor(request.foraFunctionId, user) : undefined,
      history: historyWithChanges(db, "intake_request", id, "intake"),
      open,
      canReview: canDecide && request.status === "ingediend",
      canAsk: canDecide && request.status !== "aanvulling_gevraagd",
      canDecide,
      canAnswer: user.role === "school" && request.status === "aanvulling_gevraagd",
      isSchoolUser: user.role === "school",
      forms: { review: form("review"), ask: form("ask"), answer: form("answer"), approve: form("approve"), reject: form("reject") },
      conflict,
      // A step refused as a whole (the status no longer allows it): shown above everything, whichever form it came from.
      formErrors: Object.values(forms).flatMap((s) => (s?.errors?._form ? [s.errors._form] : [])),
    });
  }

  /**
   * One step on a request's page. A stale page gives 409 with the typed text kept; the conflict table compares
   * the step's status (and text) with what was saved meanwhile.
   */
  function step<S extends z.ZodType>(
    req: Request,
    res: Response,
    options: {
      form: FormName;
      schema: S;
      target: (typeof INTAKE_STATUSES)[number];
      compare?: { key: string; label: string; from: (current: IntakeRequest) => string };
      save: (request: IntakeRequest, data: z.infer<S>, user: CurrentUser) => IntakeRequest;
      success: (saved: IntakeRequest) => string;
    },
  ) {
    const user = currentUser(res);
    const request = load(req, user);
    // The step's target status, so the conflict table can show it beside the status saved meanwhile.
    req.body = { ...(req.body as Record<string, unknown>), status: statusLabel(options.target) };
    const compare = options.compare;
    return submitForm(req, res, {
      schema: options.schema,
      render: (status, state) => renderShow(res, status, request.id, user, { [options.form]: state }),
      save: (data) => options.save(request, data, user),
      conflict: {
        fields: [{ key: "status", label: t("intake.fields.status") }, ...(compare ? [{ key: compare.key, label: compare.label }] : [])],
        toForm: (current: IntakeRequest) => ({ status: statusLabel(current.status), ...(compare ? { [compare.key]: compare.from(current) } : {}) }),
      },
      onSuccess: (saved) => {
        flash(req, "success", options.success(saved));
        res.redirect(303, `/intake/${saved.id}`);
      },
    });
  }

  return {
    index(req: Request, res: Response) {
      const user = currentUser(res);
      const query = intakeListQuery.parse(req.query);
      const only = ownSchools(user);
      const page = pagination("/intake", query, countIntakeRequests(db, query, only));
      res.render("intake/index", {
        title: t("intake.title"),
        query,
        rows: listIntakeRequests(db, query, page, only).map((r) => ({ ...r, statusText: statusLabel(r.status) })),
        page,
        headers: sortHeaders("/intake", query, [
          { key: "name", label: t("intake.fields.applicationName") },
          { key: "school", label: t("intake.school") },
          { key: "status", label: t("intake.status") },
          { key: "created", label: t("intake.requestedAt") },
          { key: "updated", label: t("intake.updatedAt") },
        ]),
        statusOptions: [{ value: "open", label: t("intake.open") }, ...INTAKE_STATUSES.map((value) => ({ value, label: statusLabel(value) }))],
        schoolOptions: schoolOptions(db, only).map((s) => ({ value: s.id, label: s.name })),
        isSchoolUser: user.role === "school",
        mayRequest: mayRequest(user),
      });
    },

    newForm(_req: Request, res: Response) {
      const user = currentUser(res);
      const schools = schoolOptions(db, ownSchools(user));
      renderForm(res, 200, { values: { schoolId: schools.length === 1 ? schools[0]?.id : undefined, supplierCovenantStatus: "" } }, user);
    },

    create(req: Request, res: Response) {
      const user = currentUser(res);
      // "Toon bestaande applicaties" submits the form to show the applications on the chosen function, without
      // JavaScript: the form comes back with everything as typed, and nothing is saved or checked yet.
      if ((req.body as { show?: unknown } | undefined)?.show === "existing") return renderForm(res, 200, { values: req.body as Record<string, unknown> }, user);
      return submitForm(req, res, {
        schema: intakeInput,
        render: (status, state) => renderForm(res, status, state, user),
        save: (data) => submitIntakeRequest(db, user, actorOf(user), data),
        onSuccess: (request) => {
          flash(req, "success", t("intake.created", { name: request.applicationName }));
          res.redirect(303, `/intake/${request.id}`);
        },
      });
    },

    show(req: Request, res: Response) {
      const user = currentUser(res);
      renderShow(res, 200, load(req, user).id, user);
    },

    review(req: Request, res: Response) {
      return step(req, res, {
        form: "review",
        schema: reviewInput,
        target: "in_beoordeling",
        save: (request, data, user) => startReview(db, actorOf(user), request.id, data.version),
        success: (saved) => t("intake.reviewStarted", { name: saved.applicationName }),
      });
    },

    ask(req: Request, res: Response) {
      return step(req, res, {
        form: "ask",
        schema: askInput,
        target: "aanvulling_gevraagd",
        save: (request, data, user) => askForInformation(db, user, request.id, data.version, data.message),
        success: (saved) => t("intake.asked", { name: saved.applicationName }),
      });
    },

    answer(req: Request, res: Response) {
      const user = currentUser(res);
      if (user.role !== "school") throw new ForbiddenError();
      return step(req, res, {
        form: "answer",
        schema: answerInput,
        target: "in_beoordeling",
        save: (request, data) => answerQuestion(db, user, request.id, data.version, data.message),
        success: () => t("intake.answered"),
      });
    },

    approve(req: Request, res: Response) {
      return step(req, res, {
        form: "approve",
        schema: approveInput,
        target: "goedgekeurd",
        compare: { key: "note", label: t("intake.fields.decisionReason"), from: (current) => current.decisionReason ?? "" },
        save: (request, data, user) => approveRequest(db, actorOf(user), request.id, data.version, data.note),
        success: (saved) => t("intake.approved", { name: saved.applicationName }),
      });
    },

    reject(req: Request, res: Response) {
      return step(req, res, {
        form: "reject",
        schema: rejectInput,
        target: "afgewezen",
        compare: { key: "reason", label: t("intake.fields.decisionReason"), from: (current) => current.decisionReason ?? "" },
        save: (request, data, user) => rejectRequest(db, actorOf(user), request.id, data.version, data.reason),
        success: (saved) => t("intake.rejected", { name: saved.applicationName }),
      });
    },
  };
}
