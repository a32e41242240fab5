import type { Request, Response } from "express";
import { actorOf, historyWithChanges } from "../audit/audit.service";
import type { Db } from "../db/client";
import { currentUser } from "../http/auth";
import { NotFoundError } from "../http/errors";
import { flash } from "../http/flash";
import { type FormState, submitArchive, submitDelete, submitForm } from "../http/forms";
import { can } from "../http/policy";
import { parseId } from "../http/validation";
import { t } from "../i18n";
import {
  applicationsServingFunction,
  findDomainById,
  findFunctionById,
  listDomains,
  listFunctions,
  nextFunctionSortOrder,
  referencesToFunction,
  type ForaDomain,
  type ForaFunction,
} from "./fora.repository";
import { foraQuery, functionInput, functionUpdate, newFunctionQuery } from "./fora.schemas";
import { createFunction, deleteFunction, setFunctionArchived, stillReferencedMessage, updateFunction } from "./fora.service";

const FORM_FIELDS = ["domainId", "code", "name", "description", "sortOrder"];

export function foraHandlers(db: Db) {
  const load = (req: Request): ForaFunction => {
    const fn = findFunctionById(db, parseId(req.params.id));
    if (!fn) throw new NotFoundError();
    return fn;
  };
  /** Domain ids as their names, for the conflict table and the history (people do not know the numbers). */
  const domainName = (domains: ForaDomain[], id: unknown) => domains.find((d) => String(d.id) === String(id))?.name ?? String(id ?? "");
  const domainOptions = (domains: ForaDomain[]) => domains.map((d) => ({ value: d.id, label: d.name }));

  const renderForm = (res: Response, status: number, state: FormState, fn?: ForaFunction) => {
    const domains = listDomains(db);
    const conflict = state.conflict?.map((row, i) =>
      FORM_FIELDS[i] === "domainId" ? { ...row, yours: domainName(domains, row.yours), theirs: domainName(domains, row.theirs) } : row,
    );
    res.status(status).render("fora/form", {
      title: fn ? t("fora.edit") : t("fora.newFunction"),
      fn,
      action: fn ? `/fora/functions/${fn.id}` : "/fora/functions",
      domainOptions: domainOptions(domains),
      ...state,
      conflict,
    });
  };
  const renderDelete = (res: Response, status: number, fn: ForaFunction, state: Partial<FormState> = {}) =>
    res.status(status).render("fora/delete", {
      title: t("fora.deleteTitle", { name: fn.name }),
      fn,
      blocked: stillReferencedMessage(referencesToFunction(db, fn.id)),
      ...state,
    });

  return {
    index(req: Request, res: Response) {
      const query = foraQuery.parse(req.query);
      const functions = listFunctions(db, { archived: query.archived === "1" });
      res.render("fora/index", {
        title: t("fora.title"),
        query,
        domains: listDomains(db).map((domain) => ({
          ...domain,
          functions: functions
            .filter((fn) => fn.domainId === domain.id)
            .map((fn) => ({ ...fn, none: fn.applicationCount === 0, multiple: fn.applicationCount > 1 })),
        })),
        canWrite: can(res.locals.user, "register.write"),
      });
    },

    show(req: Request, res: Response) {
      const fn = load(req);
      const domains = listDomains(db);
      const history = historyWithChanges(db, "fora_function", fn.id, "fora").map((entry) => ({
        ...entry,
        changes: entry.changes.map((change) =>
          change.field === "domainId"
            ? { ...change, fieldName: t("fora.domain"), before: domainName(domains, change.before), after: domainName(domains, change.after) }
            : change,
        ),
      }));
      res.render("fora/show", {
        title: fn.name,
        fn,
        domain: domains.find((d) => d.id === fn.domainId),
        applications: applicationsServingFunction(db, fn.id),
        history,
        canWrite: can(res.locals.user, "register.write"),
      });
    },

    newForm(req: Request, res: Response) {
      const { domain: domainId } = newFunctionQuery.parse(req.query);
      const domain = domainId ? findDomainById(db, domainId) : undefined;
      renderForm(res, 200, { values: domain ? { domainId: domain.id, sortOrder: nextFunctionSortOrder(db, domain.id) } : {} });
    },

    create(req: Request, res: Response) {
      return submitForm(req, res, {
        schema: functionInput,
        render: (status, state) => renderForm(res, status, state),
        save: (data) => createFunction(db, actorOf(currentUser(res)), data),
        onSuccess: (fn) => {
          flash(req, "success", t("fora.created", { name: fn.name }));
          res.redirect(303, `/fora/functions/${fn.id}`);
        },
      });
    },

    editForm(req: Request, res: Response) {
      const fn = load(req);
      renderForm(res, 200, { values: { ...fn } }, fn);
    },

    update(req: Request, res: Response) {
      const fn = load(req);
      return submitForm(req, res, {
        schema: functionUpdate,
        render: (status, state) => renderForm(res, status, state, fn),
        save: (data) => updateFunction(db, actorOf(currentUser(res)), fn.id, data),
        conflict: { fields: FORM_FIELDS.map((key) => ({ key, label: t(key === "domainId" ? "fora.domain" : `fora.${key}`) })) },
        onSuccess: (saved) => {
          flash(req, "success", t("fora.saved", { name: saved.name }));
          res.redirect(303, `/fora/functions/${saved.id}`);
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
      const fn = load(req);
      return submitDelete(req, res, {
        render: (status, state) => renderDelete(res, status, fn, state),
        save: (version) => deleteFunction(db, actorOf(currentUser(res)), fn.id, version),
        conflictField: { key: "name", label: t("fora.name") },
        success: t("fora.deleted", { name: fn.name }),
        back: "/fora",
      });
    },
  };

  function setArchived(req: Request, res: Response, archived: boolean) {
    const fn = load(req);
    return submitArchive(req, res, {
      back: `/fora/functions/${fn.id}`,
      save: (version) => setFunctionArchived(db, actorOf(currentUser(res)), fn.id, version, archived),
      success: (saved) => t(archived ? "fora.archivedFlash" : "fora.restored", { name: saved.name }),
    });
  }
}
