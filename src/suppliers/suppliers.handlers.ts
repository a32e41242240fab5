import type { Request, Response } from "express";
import { withStatus } from "../compliance/compliance.service";
import { actorOf, historyWithChanges } from "../audit/audit.service";
import type { Db } from "../db/client";
import { COVENANT_STATUSES } from "../db/enums";
import { currentUser } from "../http/auth";
import { NotFoundError } from "../http/errors";
import { flash } from "../http/flash";
import { type FormState, submitArchive, submitForm, versionOnly } from "../http/forms";
import { pagination, sortHeaders } from "../http/listing";
import { can } from "../http/policy";
import { parseId } from "../http/validation";
import { labels, t } from "../i18n";
import {
  agreementsOfSupplier,
  applicationsOfSupplier,
  countSuppliers,
  findSupplierById,
  listSuppliers,
  referencesToSupplier,
  type Supplier,
} from "./suppliers.repository";
import { supplierInput, supplierListQuery, supplierUpdate } from "./suppliers.schemas";
import { createSupplier, deleteSupplier, setSupplierArchived, updateSupplier } from "./suppliers.service";

const FORM_FIELDS = ["name", "kvk", "website", "privacyContactName", "privacyContactEmail", "covenantStatus", "certIso27001", "certNen7510", "certRosa", "notes"];
const covenantOptions = () => COVENANT_STATUSES.map((value) => ({ value, label: labels("covenant")[value] }));

export function supplierHandlers(db: Db) {
  const load = (req: Request): Supplier => {
    const supplier = findSupplierById(db, parseId(req.params.id));
    if (!supplier) throw new NotFoundError();
    return supplier;
  };
  const renderForm = (res: Response, status: number, state: FormState, supplier?: Supplier) =>
    res.status(status).render("suppliers/form", {
      title: supplier ? t("suppliers.edit") : t("suppliers.new"),
      supplier,
      action: supplier ? `/suppliers/${supplier.id}` : "/suppliers",
      covenantOptions: covenantOptions(),
      ...state,
    });

  return {
    index(req: Request, res: Response) {
      const query = supplierListQuery.parse(req.query);
      const page = pagination("/suppliers", query, countSuppliers(db, query));
      res.render("suppliers/index", {
        title: t("suppliers.title"),
        query,
        rows: listSuppliers(db, query, page),
        page,
        covenantOptions: covenantOptions(),
        headers: sortHeaders("/suppliers", query, [
          { key: "name", label: t("suppliers.name") },
          { key: "kvk", label: t("suppliers.kvk") },
          { key: "covenantStatus", label: t("suppliers.covenantStatus") },
          { key: "applications", label: t("suppliers.applications") },
          { key: "agreements", label: t("suppliers.agreements") },
        ]),
        canWrite: can(res.locals.user, "register.write"),
      });
    },

    show(req: Request, res: Response) {
      const supplier = load(req);
      res.render("suppliers/show", {
        title: supplier.name,
        supplier,
        applications: withStatus(db, applicationsOfSupplier(db, supplier.id)),
        agreements: agreementsOfSupplier(db, supplier.id),
        history: historyWithChanges(db, "supplier", supplier.id, "suppliers"),
        canWrite: can(res.locals.user, "register.write"),
      });
    },

    newForm(_req: Request, res: Response) {
      renderForm(res, 200, { values: { covenantStatus: "geen" } });
    },

    create(req: Request, res: Response) {
      return submitForm(req, res, {
        schema: supplierInput,
        render: (status, state) => renderForm(res, status, state),
        save: (data) => createSupplier(db, actorOf(currentUser(res)), data),
        onSuccess: (supplier) => {
          flash(req, "success", t("suppliers.created", { name: supplier.name }));
          res.redirect(303, `/suppliers/${supplier.id}`);
        },
      });
    },

    editForm(req: Request, res: Response) {
      const supplier = load(req);
      renderForm(res, 200, { values: { ...supplier } }, supplier);
    },

    update(req: Request, res: Response) {
      const supplier = load(req);
      return submitForm(req, res, {
        schema: supplierUpdate,
        render: (status, state) => renderForm(res, status, state, supplier),
        save: (data) => updateSupplier(db, actorOf(currentUser(res)), supplier.id, data),
        conflict: { fields: FORM_FIELDS.map((key) => ({ key, label: t(`suppliers.${key}`) })) },
        onSuccess: (saved) => {
          flash(req, "success", t("suppliers.saved", { name: saved.name }));
          res.redirect(303, `/suppliers/${saved.id}`);
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
      const supplier = load(req);
      res.render("suppliers/delete", { title: t("suppliers.deleteTitle", { name: supplier.name }), supplier, references: referencesToSupplier(db, supplier.id) });
    },

    destroy(req: Request, res: Response) {
      const supplier = load(req);
      return submitForm(req, res, {
        schema: versionOnly,
        render: (status, state) =>
          res.status(status === 422 ? 409 : status).render("suppliers/delete", {
            title: t("suppliers.deleteTitle", { name: supplier.name }),
            supplier,
            references: referencesToSupplier(db, supplier.id),
            ...state,
          }),
        save: (data) => deleteSupplier(db, actorOf(currentUser(res)), supplier.id, data.version),
        conflict: { fields: [{ key: "name", label: t("suppliers.name") }] },
        onSuccess: () => {
          flash(req, "success", t("suppliers.deleted", { name: supplier.name }));
          res.redirect(303, "/suppliers");
        },
      });
    },
  };

  function setArchived(req: Request, res: Response, archived: boolean) {
    const supplier = load(req);
    return submitArchive(req, res, {
      back: `/suppliers/${supplier.id}`,
      save: (version) => setSupplierArchived(db, actorOf(currentUser(res)), supplier.id, version, archived),
      success: (saved) => t(archived ? "suppliers.archived" : "suppliers.restored", { name: saved.name }),
    });
  }
}
