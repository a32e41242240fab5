import type { Request, Response } from "express";
import { actorOf, historyWithChanges } from "../audit/audit.service";
import type { Db } from "../db/client";
import { RETENTION_ACTIONS } from "../db/enums";
import { currentUser } from "../http/auth";
import { NotFoundError } from "../http/errors";
import { flash } from "../http/flash";
import { type FormState, submitArchive, submitDelete, submitForm } from "../http/forms";
import { pagination, sortHeaders } from "../http/listing";
import { can } from "../http/policy";
import { parseId } from "../http/validation";
import { labelOf, t } from "../i18n";
import {
  categoryChoices,
  categoryOfRule,
  countRetentionRules,
  findRetentionRuleById,
  listRetentionRules,
  type RetentionRule,
} from "./retention.repository";
import { retentionInput, retentionListQuery, retentionUpdate } from "./retention.schemas";
import { createRetentionRule, deleteRetentionRule, setRetentionRuleArchived, updateRetentionRule } from "./retention.service";

const FORM_FIELDS = ["dataCategoryId", "recordType", "termText", "termMonths", "trigger", "action", "source"];

const actionOptions = () => RETENTION_ACTIONS.map((value) => ({ value, label: labelOf("retention.actions", value) }));
const asId = (v: unknown) => {
  const n = Number(typeof v === "string" || typeof v === "number" ? v : NaN);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

/** A saved rule as the form shows it. */
const valuesOfRule = (rule: RetentionRule) => ({
  ...rule,
  dataCategoryId: rule.dataCategoryId === null ? "" : String(rule.dataCategoryId),
  termMonths: rule.termMonths === null ? "" : String(rule.termMonths),
});

export function retentionHandlers(db: Db) {
  const load = (req: Request): RetentionRule => {
    const rule = findRetentionRuleById(db, parseId(req.params.id));
    if (!rule) throw new NotFoundError();
    return rule;
  };
  const categoryOptions = (include?: number) =>
    categoryChoices(db, include).map((c) => ({ value: String(c.id), label: c.archivedAt ? `${c.label} (${t("common.archived").toLowerCase()})` : c.label }));

  const renderForm = (res: Response, status: number, state: FormState, rule?: RetentionRule) =>
    res.status(status).render("retention/form", {
      title: rule ? t("retention.edit", { name: rule.recordType }) : t("retention.new"),
      rule,
      action: rule ? `/retention/${rule.id}` : "/retention",
      categoryOptions: categoryOptions(asId(state.values.dataCategoryId)),
      actionOptions: actionOptions(),
      ...state,
    });

  const renderDelete = (res: Response, status: number, rule: RetentionRule, state: Partial<FormState> = {}) =>
    res.status(status).render("retention/delete", { title: t("retention.deleteTitle", { name: rule.recordType }), rule, ...state });

  return {
    index(req: Request, res: Response) {
      const query = retentionListQuery.parse(req.query);
      const page = pagination("/retention", query, countRetentionRules(db, query));
      res.render("retention/index", {
        title: t("retention.title"),
        query,
        rows: listRetentionRules(db, query, page),
        page,
        filtered: Boolean(query.q || query.category || query.action || query.archived),
        categoryOptions: categoryOptions(query.category),
        actionOptions: actionOptions(),
        headers: sortHeaders("/retention", query, [
          { key: "category", label: t("retention.fields.dataCategoryId") },
          { key: "recordType", label: t("retention.fields.recordType") },
          { key: "term", label: t("retention.fields.termText") },
          { key: "action", label: t("retention.fields.action") },
        ]),
        canWrite: can(res.locals.user, "register.write"),
      });
    },

    show(req: Request, res: Response) {
      const rule = load(req);
      res.render("retention/show", {
        title: rule.recordType,
        rule,
        category: categoryOfRule(db, rule.dataCategoryId),
        history: historyWithChanges(db, "retention_rule", rule.id, "retention"),
        canWrite: can(res.locals.user, "register.write"),
      });
    },

    newForm(_req: Request, res: Response) {
      renderForm(res, 200, { values: { action: "vernietigen" } });
    },

    create(req: Request, res: Response) {
      return submitForm(req, res, {
        schema: retentionInput,
        render: (status, state) => renderForm(res, status, state),
        save: (data) => createRetentionRule(db, actorOf(currentUser(res)), data),
        onSuccess: (rule) => {
          flash(req, "success", t("retention.created", { name: rule.recordType }));
          res.redirect(303, `/retention/${rule.id}`);
        },
      });
    },

    editForm(req: Request, res: Response) {
      const rule = load(req);
      renderForm(res, 200, { values: valuesOfRule(rule) }, rule);
    },

    update(req: Request, res: Response) {
      const rule = load(req);
      return submitForm(req, res, {
        schema: retentionUpdate,
        render: (status, state) => renderForm(res, status, state, rule),
        save: (data) => updateRetentionRule(db, actorOf(currentUser(res)), rule.id, data),
        conflict: { fields: FORM_FIELDS.map((key) => ({ key, label: t(`retention.fields.${key}`) })), toForm: valuesOfRule },
        onSuccess: (saved) => {
          flash(req, "success", t("retention.saved", { name: saved.recordType }));
          res.redirect(303, `/retention/${saved.id}`);
        },
      });
    },

    archive: (req: Request, res: Response) => setArchived(req, res, true),
    restore: (req: Request, res: Response) => setArchived(req, res, false),

    confirmDelete(req: Request, res: Response) {
      renderDelete(res, 200, load(req));
    },

    destroy(req: Request, res: Response) {
      const rule = load(req);
      return submitDelete(req, res, {
        render: (status, state) => renderDelete(res, status, rule, state),
        save: (version) => deleteRetentionRule(db, actorOf(currentUser(res)), rule.id, version),
        conflictField: { key: "recordType", label: t("retention.fields.recordType") },
        success: t("retention.deleted", { name: rule.recordType }),
        back: "/retention",
      });
    },
  };

  function setArchived(req: Request, res: Response, archived: boolean) {
    const rule = load(req);
    return submitArchive(req, res, {
      back: `/retention/${rule.id}`,
      save: (version) => setRetentionRuleArchived(db, actorOf(currentUser(res)), rule.id, version, archived),
      success: (saved) => t(archived ? "retention.archived" : "retention.restored", { name: saved.recordType }),
    });
  }
}
