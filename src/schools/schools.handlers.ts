import type { Request, Response } from "express";
import { actorOf, historyWithChanges } from "../audit/audit.service";
import type { Db } from "../db/client";
import { SECTORS } from "../db/enums";
import { currentUser } from "../http/auth";
import { NotFoundError } from "../http/errors";
import { flash } from "../http/flash";
import { type FormState, submitArchive, submitDelete, submitForm } from "../http/forms";
import { pagination, sortHeaders } from "../http/listing";
import { can, canSeeSchool } from "../http/policy";
import { parseId } from "../http/validation";
import { labels, t } from "../i18n";
import { schoolOverview } from "./schools.overview";
import {
  countSchools,
  findSchoolById,
  referencesToSchool,
  searchSchools,
  type School,
} from "./schools.repository";
import { schoolInput, schoolListQuery, schoolUpdate } from "./schools.schemas";
import { createSchool, deleteSchool, setSchoolArchived, updateSchool } from "./schools.service";

const FORM_FIELDS = ["name", "brin", "location", "sector", "city", "contactName", "contactEmail"];
const sectorOptions = () => SECTORS.map((value) => ({ value, label: labels("sectors")[value] }));

export function schoolHandlers(db: Db) {
  /** The school of the URL; for a school user any school but its own is "not found", as an id that does not exist. */
  const load = (req: Request, res: Response): School => {
    const school = findSchoolById(db, parseId(req.params.id));
    if (!school || !canSeeSchool(currentUser(res), school.id)) throw new NotFoundError();
    return school;
  };
  const renderForm = (res: Response, status: number, state: FormState, school?: School) =>
    res.status(status).render("schools/form", {
      title: school ? t("schools.edit") : t("schools.new"),
      school,
      action: school ? `/schools/${school.id}` : "/schools",
      sectorOptions: sectorOptions(),
      ...state,
    });
  const renderDelete = (res: Response, status: number, school: School, state: Partial<FormState> = {}) => {
    const references = referencesToSchool(db, school.id);
    const inUse = Object.entries(references).filter(([, n]) => n > 0);
    res.status(status).render("schools/delete", {
      title: t("schools.deleteTitle", { name: school.name }),
      school,
      blocked: inUse.length
        ? t("schools.stillReferenced", { list: inUse.map(([kind, n]) => `${n} ${t(`schools.refs.${kind}`)}`).join(", ") })
        : undefined,
      ...state,
    });
  };

  return {
    index(req: Request, res: Response) {
      const user = currentUser(res);
      const onlyIds = user.role === "school" ? user.schoolIds : undefined;
      const query = schoolListQuery.parse(req.query);
      const page = pagination("/schools", query, countSchools(db, query, onlyIds));
      res.render("schools/index", {
        title: t("schools.title"),
        query,
        rows: searchSchools(db, query, page, onlyIds),
        page,
        sectorOptions: sectorOptions(),
        headers: sortHeaders("/schools", query, [
          { key: "name", label: t("schools.name") },
          { key: "brin", label: t("schools.brin") },
          { key: "sector", label: t("schools.sector") },
          { key: "city", label: t("schools.city") },
          { key: "applications", label: t("schools.applications") },
        ]),
        canWrite: can(user, "register.write"),
      });
    },

    show(req: Request, res: Response) {
      const school = load(req, res);
      const user = currentUser(res);
      // The history names the officers who made each change: shown to those who may read the change log.
      const showHistory = can(user, "audit.read");
      res.render("schools/show", {
        title: school.name,
        school,
        ...schoolOverview(db, school.id),
        isSchoolUser: user.role === "school",
        viewOnly: !can(user, "register.write"),
        showHistory,
        history: showHistory ? historyWithChanges(db, "school", school.id, "schools") : [],
        canWrite: can(user, "register.write"),
      });
    },

    newForm(_req: Request, res: Response) {
      renderForm(res, 200, { values: {} });
    },

    create(req: Request, res: Response) {
      return submitForm(req, res, {
        schema: schoolInput,
        render: (status, state) => renderForm(res, status, state),
        save: (data) => createSchool(db, actorOf(currentUser(res)), data),
        onSuccess: (school) => {
          flash(req, "success", t("schools.created", { name: school.name }));
          res.redirect(303, `/schools/${school.id}`);
        },
      });
    },

    editForm(req: Request, res: Response) {
      const school = load(req, res);
      renderForm(res, 200, { values: { ...school } }, school);
    },

    update(req: Request, res: Response) {
      const school = load(req, res);
      return submitForm(req, res, {
        schema: schoolUpdate,
        render: (status, state) => renderForm(res, status, state, school),
        save: (data) => updateSchool(db, actorOf(currentUser(res)), school.id, data),
        conflict: { fields: FORM_FIELDS.map((key) => ({ key, label: t(`schools.${key}`) })) },
        onSuccess: (saved) => {
          flash(req, "success", t("schools.saved", { name: saved.name }));
          res.redirect(303, `/schools/${saved.id}`);
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
      renderDelete(res, 200, load(req, res));
    },

    destroy(req: Request, res: Response) {
      const school = load(req, res);
      return submitDelete(req, res, {
        render: (status, state) => renderDelete(res, status, school, state),
        save: (version) => deleteSchool(db, actorOf(currentUser(res)), school.id, version),
        conflictField: { key: "name", label: t("schools.name") },
        success: t("schools.deleted", { name: school.name }),
        back: "/schools",
      });
    },
  };

  function setArchived(req: Request, res: Response, archived: boolean) {
    const school = load(req, res);
    return submitArchive(req, res, {
      back: `/schools/${school.id}`,
      save: (version) => setSchoolArchived(db, actorOf(currentUser(res)), school.id, version, archived),
      success: (saved) => t(archived ? "schools.archivedFlash" : "schools.restored", { name: saved.name }),
    });
  }
}
