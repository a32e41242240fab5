import type { Request, Response } from "express";
import { actorOf, historyWithChanges } from "../audit/audit.service";
import type { Db } from "../db/client";
import { CATEGORY_FLAGS, LEVELS } from "../db/enums";
import { currentUser } from "../http/auth";
import { NotFoundError } from "../http/errors";
import { flash } from "../http/flash";
import { type FormState, submitArchive, submitDelete, submitForm } from "../http/forms";
import { pagination, sortHeaders } from "../http/listing";
import { can } from "../http/policy";
import { parseId } from "../http/validation";
import { labels, t } from "../i18n";
import {
  agreementsCoveringCategory,
  applicationsProcessingCategory,
  countCategories,
  findCategoryById,
  listCategories,
  nextCategorySortOrder,
  referencesToCategory,
  type DataCategory,
} from "./categories.repository";
import { categoryInput, categoryListQuery, categoryUpdate } from "./categories.schemas";
import { createCategory, deleteCategory, setCategoryArchived, stillReferencedMessage, updateCategory } from "./categories.service";

const FORM_FIELDS = ["label", "description", "flag", "minConfidentiality", "sortOrder"];
const flagOptions = () => CATEGORY_FLAGS.map((value) => ({ value, label: labels("categoryFlags")[value] }));
const levelOptions = () => LEVELS.map((value) => ({ value, label: labels("levels")[value] }));

export function categoryHandlers(db: Db) {
  const load = (req: Request): DataCategory => {
    const category = findCategoryById(db, parseId(req.params.id));
    if (!category) throw new NotFoundError();
    return category;
  };
  const renderForm = (res: Response, status: number, state: FormState, category?: DataCategory) =>
    res.status(status).render("categories/form", {
      title: category ? t("categories.edit") : t("categories.new"),
      category,
      action: category ? `/categories/${category.id}` : "/categories",
      flagOptions: flagOptions(),
      levelOptions: levelOptions(),
      ...state,
    });
  const renderDelete = (res: Response, status: number, category: DataCategory, state: Partial<FormState> = {}) =>
    res.status(status).render("categories/delete", {
      title: t("categories.deleteTitle", { label: category.label }),
      category,
      blocked: stillReferencedMessage(referencesToCategory(db, category.id)),
      ...state,
    });

  return {
    index(req: Request, res: Response) {
      const query = categoryListQuery.parse(req.query);
      const page = pagination("/categories", query, countCategories(db, query));
      res.render("categories/index", {
        title: t("categories.title"),
        query,
        rows: listCategories(db, query, page),
        page,
        flagOptions: flagOptions(),
        levelOptions: levelOptions(),
        headers: sortHeaders("/categories", query, [
          { key: "sortOrder", label: t("categories.sortOrder") },
          { key: "label", label: t("categories.label") },
          { key: "code", label: t("categories.code") },
          { key: "minConfidentiality", label: t("categories.minConfidentiality") },
          { key: "applications", label: t("categories.applications") },
        ]),
        canWrite: can(res.locals.user, "register.write"),
      });
    },

    show(req: Request, res: Response) {
      const category = load(req);
      const applications = applicationsProcessingCategory(db, category.id);
      // Model codes contain a dot ("4.0"), which {{labelOf}} would read as a nested text key.
      const agreements = agreementsCoveringCategory(db, category.id).map((a) => ({ ...a, modelLabel: labels("agreementModels")[a.model] }));
      res.render("categories/show", {
        title: category.label,
        category,
        applications,
        agreements,
        history: historyWithChanges(db, "data_category", category.id, "categories"),
        canWrite: can(res.locals.user, "register.write"),
      });
    },

    newForm(_req: Request, res: Response) {
      renderForm(res, 200, { values: { minConfidentiality: "midden", sortOrder: nextCategorySortOrder(db) } });
    },

    create(req: Request, res: Response) {
      return submitForm(req, res, {
        schema: categoryInput,
        render: (status, state) => renderForm(res, status, state),
        save: (data) => createCategory(db, actorOf(currentUser(res)), data),
        onSuccess: (category) => {
          flash(req, "success", t("categories.created", { label: category.label }));
          res.redirect(303, `/categories/${category.id}`);
        },
      });
    },

    editForm(req: Request, res: Response) {
      const category = load(req);
      renderForm(res, 200, { values: { ...category } }, category);
    },

    update(req: Request, res: Response) {
      const category = load(req);
      return submitForm(req, res, {
        schema: categoryUpdate,
        render: (status, state) => renderForm(res, status, state, category),
        save: (data) => updateCategory(db, actorOf(currentUser(res)), category.id, data),
        conflict: { fields: FORM_FIELDS.map((key) => ({ key, label: t(`categories.${key}`) })) },
        onSuccess: (saved) => {
          flash(req, "success", t("categories.saved", { label: saved.label }));
          res.redirect(303, `/categories/${saved.id}`);
        },
      });
    },

    archive(req: Request, res: Response) {
      return setArchived(req, res, true);
    },

    restore(req: Request, res: Response) {
      return setArchived(req, res, false);
    },

    confirmDelete(req: Request, res: Response) {
      renderDelete(res, 200, load(req));
    },

    destroy(req: Request, res: Response) {
      const category = load(req);
      return submitDelete(req, res, {
        render: (status, state) => renderDelete(res, status, category, state),
        save: (version) => deleteCategory(db, actorOf(currentUser(res)), category.id, version),
        conflictField: { key: "label", label: t("categories.label") },
        success: t("categories.deleted", { label: category.label }),
        back: "/categories",
      });
    },
  };

  function setArchived(req: Request, res: Response, archived: boolean) {
    const category = load(req);
    return submitArchive(req, res, {
      back: `/categories/${category.id}`,
      save: (version) => setCategoryArchived(db, actorOf(currentUser(res)), category.id, version, archived),
      success: (saved) => t(archived ? "categories.archivedFlash" : "categories.restored", { label: saved.label }),
    });
  }
}
