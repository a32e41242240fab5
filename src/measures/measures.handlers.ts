import type { Request, Response } from "express";
import { actorOf, historyWithChanges } from "../audit/audit.service";
import type { Db } from "../db/client";
import { ASPECTS, LEVELS, MEASURE_OWNERS } from "../db/enums";
import { currentUser } from "../http/auth";
import { NotFoundError } from "../http/errors";
import { flash } from "../http/flash";
import { type FormState, submitArchive, submitDelete, submitForm } from "../http/forms";
import { pagination, sortHeaders } from "../http/listing";
import { can } from "../http/policy";
import { parseId } from "../http/validation";
import { labels, t } from "../i18n";
import {
  applicationsWithMeasure,
  countMeasures,
  findMeasureById,
  listMeasures,
  nextMeasureSortOrder,
  referencesToMeasure,
  type SecurityMeasure,
} from "./measures.repository";
import { measureInput, measureListQuery, measureUpdate } from "./measures.schemas";
import { createMeasure, deleteMeasure, setMeasureArchived, stillReferencedMessage, updateMeasure } from "./measures.service";

const conflictFields = () =>
  [
    { key: "code", label: t("measures.code") },
    { key: "aspect", label: t("measures.aspect") },
    { key: "level", label: t("measures.level") },
    { key: "title", label: t("measures.titleField") },
    { key: "description", label: t("measures.description") },
    { key: "owner", label: t("measures.owner") },
    { key: "sortOrder", label: t("measures.sortOrder") },
  ];
const aspectOptions = () => ASPECTS.map((value) => ({ value, label: labels("aspects")[value] }));
const levelOptions = () => LEVELS.map((value) => ({ value, label: labels("levels")[value] }));
const ownerOptions = () => MEASURE_OWNERS.map((value) => ({ value, label: labels("measureOwners")[value] }));

export function measureHandlers(db: Db) {
  const load = (req: Request): SecurityMeasure => {
    const measure = findMeasureById(db, parseId(req.params.id));
    if (!measure) throw new NotFoundError();
    return measure;
  };
  const renderForm = (res: Response, status: number, state: FormState, measure?: SecurityMeasure) =>
    res.status(status).render("measures/form", {
      title: measure ? t("measures.edit") : t("measures.new"),
      measure,
      action: measure ? `/measures/${measure.id}` : "/measures",
      aspectOptions: aspectOptions(),
      levelOptions: levelOptions(),
      ownerOptions: ownerOptions(),
      ...state,
    });
  const renderDelete = (res: Response, status: number, measure: SecurityMeasure, state: Partial<FormState> = {}) =>
    res.status(status).render("measures/delete", {
      title: t("measures.deleteTitle", { title: measure.title }),
      measure,
      blocked: stillReferencedMessage(referencesToMeasure(db, measure.id)),
      ...state,
    });

  return {
    index(req: Request, res: Response) {
      const query = measureListQuery.parse(req.query);
      const page = pagination("/measures", query, countMeasures(db, query));
      res.render("measures/index", {
        title: t("measures.title"),
        query,
        rows: listMeasures(db, query, page),
        page,
        aspectOptions: aspectOptions(),
        levelOptions: levelOptions(),
        ownerOptions: ownerOptions(),
        headers: sortHeaders("/measures", query, [
          { key: "aspect", label: t("measures.aspect") },
          { key: "level", label: t("measures.level") },
          { key: "title", label: t("measures.titleField") },
          { key: "code", label: t("measures.code") },
          { key: "owner", label: t("measures.owner") },
          { key: "applications", label: t("measures.applications") },
        ]),
        canWrite: can(res.locals.user, "register.write"),
      });
    },

    show(req: Request, res: Response) {
      const measure = load(req);
      res.render("measures/show", {
        title: measure.title,
        measure,
        applications: applicationsWithMeasure(db, measure.id),
        history: historyWithChanges(db, "security_measure", measure.id, "measures"),
        canWrite: can(res.locals.user, "register.write"),
      });
    },

    newForm(req: Request, res: Response) {
      const query = measureListQuery.parse(req.query);
      renderForm(res, 200, { values: { aspect: query.aspect, level: query.level, owner: "beide", sortOrder: nextMeasureSortOrder(db) } });
    },

    create(req: Request, res: Response) {
      return submitForm(req, res, {
        schema: measureInput,
        render: (status, state) => renderForm(res, status, state),
        save: (data) => createMeasure(db, actorOf(currentUser(res)), data),
        onSuccess: (measure) => {
          flash(req, "success", t("measures.created", { title: measure.title }));
          res.redirect(303, `/measures/${measure.id}`);
        },
      });
    },

    editForm(req: Request, res: Response) {
      const measure = load(req);
      renderForm(res, 200, { values: { ...measure } }, measure);
    },

    update(req: Request, res: Response) {
      const measure = load(req);
      return submitForm(req, res, {
        schema: measureUpdate,
        render: (status, state) => renderForm(res, status, state, measure),
        save: (data) => updateMeasure(db, actorOf(currentUser(res)), measure.id, data),
        conflict: { fields: conflictFields() },
        onSuccess: (saved) => {
          flash(req, "success", t("measures.saved", { title: saved.title }));
          res.redirect(303, `/measures/${saved.id}`);
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
      const measure = load(req);
      return submitDelete(req, res, {
        render: (status, state) => renderDelete(res, status, measure, state),
        save: (version) => deleteMeasure(db, actorOf(currentUser(res)), measure.id, version),
        conflictField: { key: "title", label: t("measures.titleField") },
        success: t("measures.deleted", { title: measure.title }),
        back: "/measures",
      });
    },
  };

  function setArchived(req: Request, res: Response, archived: boolean) {
    const measure = load(req);
    return submitArchive(req, res, {
      back: `/measures/${measure.id}`,
      save: (version) => setMeasureArchived(db, actorOf(currentUser(res)), measure.id, version, archived),
      success: (saved) => t(archived ? "measures.archivedFlash" : "measures.restored", { title: saved.title }),
    });
  }
}
