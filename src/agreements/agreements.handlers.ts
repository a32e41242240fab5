import type { Request, Response } from "express";
import { withStatus } from "../compliance/compliance.service";
import type { z } from "zod";
import { actorOf, historyWithChanges } from "../audit/audit.service";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { AGREEMENT_MODELS, AGREEMENT_STATUSES, LEVELS } from "../db/enums";
import { findDocumentWithUploader, findPendingDocument } from "../documents/documents.repository";
import { contentDisposition, DocumentIntegrityError, formatBytes, PDF_MIME, readDocument, storeDocument } from "../documents/documents.service";
import { currentUser } from "../http/auth";
import { NotFoundError, ValidationError } from "../http/errors";
import { flash } from "../http/flash";
import { fieldErrorsOf, type FormState, submitForm, versionOnly } from "../http/forms";
import { pagination, sortHeaders } from "../http/listing";
import { can, type CurrentUser } from "../http/policy";
import { parseId } from "../http/validation";
import { labels, t } from "../i18n";
import { todayIso } from "../lib/dates";
import {
  applicationById,
  applicationChoices,
  categoriesOfAgreement,
  categoryChoices,
  chainLinkOf,
  countAgreements,
  coveredApplications,
  findAgreementById,
  isAgreementVisible,
  listAgreements,
  listsOfAgreement,
  subjectChoices,
  subjectsOfAgreement,
  subProcessorsOfAgreement,
  successorOf,
  uncoveredCategoriesByApplication,
  supplierChoices,
  supplierOfAgreement,
  suppliersForFilter,
  type Agreement,
  type AgreementLists,
  type Scope,
} from "./agreements.repository";
import { agreementCreate, agreementListQuery, agreementUpdate, newFormQuery, subProcessorRowsOf, MAX_SUB_PROCESSOR_ROWS } from "./agreements.schemas";
import { createAgreement, deleteAgreement, deleteRefusal, updateAgreement } from "./agreements.service";

type Logger = { error: (...args: unknown[]) => void };
type Values = Record<string, unknown>;
type FormContext = { agreement?: Agreement; supersedes?: { id: number; reference: string }; documentError?: string };

/** The fields compared side by side on a 409. */
const CONFLICT_FIELDS = [
  "reference",
  "model",
  "status",
  "signedOn",
  "startsOn",
  "endsOn",
  "nextReviewOn",
  "signatoryName",
  "signatoryRole",
  "deviations",
  "deviationsMotivation",
  "annexVersion",
  "annexDate",
  "breachNotificationHours",
  "deletionTermDays",
  "sivonReviewUrl",
  "sivonRiskLevel",
  "notes",
];
const LIST_FIELDS = ["applicationIds", "dataCategoryIds", "dataSubjectIds"] as const;
const EMPTY_ROWS = 2;

const options = <T extends string>(values: readonly T[], group: Record<T, string>) => values.map((value) => ({ value, label: group[value] }));
const isTicked = (v: unknown) => v === true || v === "on" || v === "1" || v === "true";
const asText = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");
const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined || v === null || v === "" ? [] : [v]).map(asText).filter(Boolean);
const emptyRow = () => ({ name: "", service: "", country: "", inEea: true, remove: false });

/** A school user sees the agreements of their schools' applications; the other roles see all. */
/** Each covered application with the categories it processes that the agreement leaves uncovered, joined for the page. */
const withUncovered = <T extends { id: number }>(rows: T[], gaps: Map<number, string[]>) =>
  rows.map((row) => ({ ...row, uncovered: gaps.get(row.id)?.join(", ") }));
const scopeOf = (user: CurrentUser): Scope => (user.role === "school" ? { schoolIds: user.schoolIds } : {});

/** The reseller reasons as the form sends them, one field per application: resellerReason-<id>. */
const RESELLER_FIELD = /^resellerReason-(\d{1,15})$/;
const resellerField = (applicationId: number) => `resellerReason-${applicationId}`;
const asRecord = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** The form's values as typed, as plain objects (multer gives null-prototype ones), lists as string arrays. */
function formValues(body: Values, pendingDocumentId?: number): Values {
  const values: Values = { ...body };
  for (const key of LIST_FIELDS) values[key] = asStrings(body[key]);
  values.subProcessors = subProcessorRowsOf(body.subProcessors);
  const reasons: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    const match = RESELLER_FIELD.exec(key);
    if (match) reasons[match[1]!] = asText(value);
  }
  values.resellerReasons = reasons;
  if (pendingDocumentId !== undefined) values.pendingDocumentId = String(pendingDocumentId);
  return values;
}

/** A saved agreement as form values. */
function valuesOfAgreement(agreement: Agreement, lists: AgreementLists): Values {
  return {
    ...agreement,
    applicationIds: lists.applicationIds.map(String),
    dataCategoryIds: lists.dataCategoryIds.map(String),
    dataSubjectIds: lists.dataSubjectIds.map(String),
    resellerReasons: lists.resellerReasons,
    subProcessors: [...lists.subProcessors.map((row) => ({ ...row, remove: false })), ...Array.from({ length: EMPTY_ROWS }, emptyRow)],
  };
}

export function agreementHandlers(db: Db, config: Pick<Config, "documentsDir" | "uploadMaxBytes">, logger: Logger) {
  const maxUpload = () => formatBytes(config.uploadMaxBytes);

  /** For writers: the agreement or 404. */
  const load = (req: Request): Agreement => {
    const agreement = findAgreementById(db, parseId(req.params.id));
    if (!agreement) throw new NotFoundError();
    return agreement;
  };

  /**
   * For readers. A school user gets 404 for every id that is not theirs, existing or not, the same answer as
   * for an id that does not exist, so that guessing ids tells them nothing.
   */
  const loadVisible = (req: Request, res: Response): Agreement => {
    const user = currentUser(res);
    const id = parseId(req.params.id);
    const agreement = findAgreementById(db, id);
    if (!agreement || (user.role === "school" && !isAgreementVisible(db, id, scopeOf(user)))) throw new NotFoundError();
    return agreement;
  };

  /**
   * The PDF of a submitted form. A valid one is stored at once, even when the rest of the form is refused:
   * its id then travels in a hidden field, so the user need not choose the file again.
   */
  const receiveDocument = (req: Request, res: Response, user: CurrentUser): { documentId?: number; error?: string } => {
    if (res.locals.uploadTooLarge) return { error: t("documents.tooLarge", { max: maxUpload() }) };
    if (!req.file) return {};
    try {
      const stored = storeDocument(db, config.documentsDir, actorOf(user), { content: req.file.buffer, originalName: req.file.originalname });
      return { documentId: stored.id };
    } catch (err) {
      if (err instanceof ValidationError) return { error: fieldErrorsOf(err).document ?? t("documents.notPdf") };
      throw err;
    }
  };

  const renderForm = (res: Response, status: number, state: FormState, context: FormContext) => {
    const user = currentUser(res);
    const { values } = state;
    const errors: Record<string, string> = { ...(state.errors ?? {}) };
    if (context.documentError) errors.document = context.documentError;
    const ticked = (key: (typeof LIST_FIELDS)[number]) => new Set(asStrings(values[key]));
    const tickedIds = (key: (typeof LIST_FIELDS)[number]) => [...ticked(key)].map(Number).filter(Number.isSafeInteger);

    const supplierId = Number(asText(values.supplierId));
    const chosenSupplier = Number.isSafeInteger(supplierId) && supplierId > 0 ? supplierId : undefined;
    const applicationsTicked = ticked("applicationIds");
    const reasons = asRecord(values.resellerReasons);
    const applicationGroups: {
      supplierId: number;
      supplierName: string;
      other: boolean;
      applications: { id: number; name: string; archived: boolean; checked: boolean; reseller?: { name: string; value: string; error?: string } }[];
    }[] = [];
    for (const app of applicationChoices(db, tickedIds("applicationIds"))) {
      let group = applicationGroups.at(-1);
      if (group?.supplierId !== app.supplierId) {
        group = { supplierId: app.supplierId, supplierName: app.supplierName, other: chosenSupplier !== undefined && app.supplierId !== chosenSupplier, applications: [] };
        applicationGroups.push(group);
      }
      // The reason field belongs to applications of another supplier than the one chosen (none while no supplier
      // is chosen). The server decides again on save: a supplier changed in the browser without a new page gets
      // its answer as a 422 with the field at the application that needs it.
      const needsReason = chosenSupplier !== undefined && app.supplierId !== chosenSupplier;
      const reason = asText(reasons[String(app.id)]);
      const error = errors[`resellerReasons.${app.id}`];
      group.applications.push({
        id: app.id,
        name: app.name,
        archived: app.archivedAt !== null,
        checked: applicationsTicked.has(String(app.id)),
        reseller: needsReason || reason || error ? { name: resellerField(app.id), value: reason, error } : undefined,
      });
    }
    const categoriesTicked = ticked("dataCategoryIds");
    const subjectsTicked = ticked("dataSubjectIds");
    const rows = subProcessorRowsOf(values.subProcessors).map((row, index) => ({
      index,
      number: index + 1,
      name: asText(row.name),
      service: asText(row.service),
      country: asText(row.country),
      inEea: isTicked(row.inEea),
      remove: isTicked(row.remove),
      nameError: errors[`subProcessors.${index}.name`],
    }));
    const pendingId = Number(asText(values.pendingDocumentId));
    const pending = Number.isSafeInteger(pendingId) && pendingId > 0 ? findPendingDocument(db, pendingId, user.id) : undefined;
    const current = context.agreement?.documentId ? findDocumentWithUploader(db, context.agreement.documentId) : undefined;

    res.status(status).render("agreements/form", {
      title: context.agreement
        ? t("agreements.edit", { reference: context.agreement.reference })
        : context.supersedes
          ? t("agreements.newVersionTitle", { reference: context.supersedes.reference })
          : t("agreements.new"),
      agreement: context.agreement,
      supersedes: context.supersedes,
      action: context.agreement ? `/agreements/${context.agreement.id}` : "/agreements",
      cancelHref: context.agreement ? `/agreements/${context.agreement.id}` : context.supersedes ? `/agreements/${context.supersedes.id}` : "/agreements",
      values,
      errors: Object.keys(errors).length ? errors : undefined,
      conflict: state.conflict,
      supplierOptions: supplierChoices(db, chosenSupplier).map((s) => ({
        value: String(s.id),
        label: s.archivedAt ? `${s.name} (${t("common.archived").toLowerCase()})` : s.name,
      })),
      modelOptions: options(AGREEMENT_MODELS, labels("agreementModels")),
      statusOptions: options(AGREEMENT_STATUSES, labels("agreementStatuses")),
      levelOptions: options(LEVELS, labels("levels")),
      applicationGroups,
      categories: categoryChoices(db, tickedIds("dataCategoryIds")).map((c) => ({ ...c, checked: categoriesTicked.has(String(c.id)) })),
      subjects: subjectChoices(db, tickedIds("dataSubjectIds")).map((s) => ({ ...s, checked: subjectsTicked.has(String(s.id)) })),
      rows,
      canAddRow: rows.length < MAX_SUB_PROCESSOR_ROWS,
      signedViaPortal: isTicked(values.signedViaPortal),
      pendingDocument: pending && { id: pending.id, originalName: pending.originalName, sizeLabel: formatBytes(pending.sizeBytes) },
      currentDocument: current && { originalName: current.originalName, sizeLabel: formatBytes(current.sizeBytes) },
      documentHint: t(current ? "documents.replaceHint" : "documents.fileHint", { max: maxUpload() }),
    });
  };

  /**
   * The shared life of the create and update forms: store the PDF, re-render with one more sub-processor
   * row for "Rij toevoegen" (nothing saved), or submit.
   */
  function submitAgreementForm<S extends typeof agreementCreate | typeof agreementUpdate>(
    req: Request,
    res: Response,
    context: FormContext,
    options: { schema: S; save: (data: z.infer<S>, user: CurrentUser) => Agreement; flashKey: string },
  ) {
    const user = currentUser(res);
    const upload = receiveDocument(req, res, user);
    const values = formValues((req.body ?? {}) as Values, upload.documentId);
    req.body = values;
    const formContext: FormContext = { ...context, documentError: upload.error };
    if (values.addRow !== undefined) {
      const rows = subProcessorRowsOf(values.subProcessors);
      if (rows.length < MAX_SUB_PROCESSOR_ROWS) rows.push(emptyRow());
      return renderForm(res, 200, { values: { ...values, subProcessors: rows } }, formContext);
    }
    return submitForm(req, res, {
      schema: options.schema,
      render: (status, state) => renderForm(res, status, state, formContext),
      save: (data) => {
        if (upload.error) throw new ValidationError({ document: [upload.error] });
        return options.save(data as z.infer<S>, user);
      },
      conflict: { fields: CONFLICT_FIELDS.map((key) => ({ key, label: t(`agreements.fields.${key}`) })) },
      onSuccess: (saved) => {
        flash(req, "success", t(options.flashKey, { reference: saved.reference }));
        // Saved, but it proves nothing: every application it covers that processes personal data stays red.
        if (categoriesOfAgreement(db, saved.id).length === 0) flash(req, "error", t("agreements.coversNoCategory"));
        res.redirect(303, `/agreements/${saved.id}`);
      },
    });
  }

  /** The versions before and after this one, oldest first; a school user sees only the ones they may open. */
  function versionChain(agreement: Agreement, scope: Scope) {
    const older: NonNullable<ReturnType<typeof chainLinkOf>>[] = [];
    const seen = new Set([agreement.id]);
    let previousId = agreement.supersedesId;
    while (previousId !== null && !seen.has(previousId) && older.length < 100) {
      const link = chainLinkOf(db, previousId);
      if (!link) break;
      seen.add(link.id);
      older.unshift(link);
      previousId = link.supersedesId;
    }
    const newer: NonNullable<ReturnType<typeof successorOf>>[] = [];
    let next = successorOf(db, agreement.id);
    while (next && !seen.has(next.id) && newer.length < 100) {
      seen.add(next.id);
      newer.push(next);
      next = successorOf(db, next.id);
    }
    const self = { id: agreement.id, reference: agreement.reference, status: agreement.status, startsOn: agreement.startsOn, current: true };
    const visible = (link: { id: number }) => !scope.schoolIds || isAgreementVisible(db, link.id, scope);
    return [...older.filter(visible), self, ...newer.filter(visible)];
  }

  return {
    index(req: Request, res: Response) {
      const user = currentUser(res);
      const scope = scopeOf(user);
      const query = agreementListQuery.parse(req.query);
      const page = pagination("/agreements", query, countAgreements(db, query, scope));
      res.render("agreements/index", {
        title: t("agreements.title"),
        isSchoolUser: user.role === "school",
        query,
        rows: listAgreements(db, query, page, scope),
        page,
        statusOptions: options(AGREEMENT_STATUSES, labels("agreementStatuses")),
        modelOptions: options(AGREEMENT_MODELS, labels("agreementModels")),
        supplierOptions: suppliersForFilter(db, scope).map((s) => ({ value: String(s.id), label: s.name })),
        filtered: Boolean(query.q || query.status || query.model || query.supplier || query.ends || query.expired),
        headers: sortHeaders("/agreements", query, [
          { key: "reference", label: t("agreements.fields.reference") },
          { key: "supplier", label: t("agreements.fields.supplierId") },
          { key: "model", label: t("agreements.fields.model") },
          { key: "status", label: t("agreements.fields.status") },
          { key: "starts", label: t("agreements.fields.startsOn") },
          { key: "ends", label: t("agreements.fields.endsOn") },
          { key: "nextReview", label: t("agreements.fields.nextReviewOn") },
        ]),
        canWrite: can(user, "register.write"),
      });
    },

    show(req: Request, res: Response) {
      const user = currentUser(res);
      const agreement = loadVisible(req, res);
      const scope = scopeOf(user);
      const document = agreement.documentId ? findDocumentWithUploader(db, agreement.documentId) : undefined;
      const canWrite = can(user, "register.write");
      const successor = successorOf(db, agreement.id);
      const predecessor = agreement.supersedesId ? chainLinkOf(db, agreement.supersedesId) : undefined;
      const canOpen = (link: { id: number } | undefined) => link && (!scope.schoolIds || isAgreementVisible(db, link.id, scope));
      const today = todayIso();
      res.render("agreements/show", {
        title: agreement.reference,
        agreement,
        supplier: supplierOfAgreement(db, agreement.supplierId),
        canOpenSupplier: can(user, "register.read"),
        pastEnd: agreement.endsOn !== null && agreement.endsOn < today,
        reviewDue: agreement.nextReviewOn !== null && agreement.nextReviewOn <= today,
        applications: withUncovered(withStatus(db, coveredApplications(db, agreement.id, scope)), uncoveredCategoriesByApplication(db, agreement.id)),
        categories: categoriesOfAgreement(db, agreement.id),
        subjects: subjectsOfAgreement(db, agreement.id),
        subProcessors: subProcessorsOfAgreement(db, agreement.id),
        document: document && { ...document, sizeLabel: formatBytes(document.sizeBytes) },
        predecessor: canOpen(predecessor) ? predecessor : undefined,
        successor: canOpen(successor) ? successor : undefined,
        chain: versionChain(agreement, scope),
        showHistory: can(user, "audit.read"),
        history: can(user, "audit.read") ? historyWithChanges(db, "agreement", agreement.id, "agreements") : [],
        canWrite,
        canNewVersion: canWrite && !successor,
        canDelete: canWrite && deleteRefusal(db, agreement) === null,
      });
    },

    newForm(req: Request, res: Response) {
      const query = newFormQuery.parse(req.query);
      const application = query.applicationId ? applicationById(db, query.applicationId) : undefined;
      const supplierId = query.supplierId ?? application?.supplierId;
      renderForm(
        res,
        200,
        {
          values: {
            status: "concept",
            supplierId: supplierId === undefined ? undefined : String(supplierId),
            applicationIds: application ? [String(application.id)] : [],
            subProcessors: Array.from({ length: EMPTY_ROWS }, emptyRow),
          },
        },
        {},
      );
    },

    /** The form for a new version: this agreement's content and lists, status concept, no dates, no signature. */
    newVersionForm(req: Request, res: Response) {
      const previous = load(req);
      const successor = successorOf(db, previous.id);
      if (successor) {
        flash(req, "error", t("agreements.alreadySuperseded", { reference: successor.reference }));
        return res.redirect(303, `/agreements/${successor.id}`);
      }
      const values = valuesOfAgreement(previous, listsOfAgreement(db, previous.id));
      for (const key of ["id", "version", "documentId", "signedOn", "startsOn", "endsOn", "nextReviewOn", "annexDate", "signatoryName", "signatoryRole"]) {
        delete values[key];
      }
      renderForm(res, 200, { values: { ...values, status: "concept", signedViaPortal: false } }, { supersedes: previous });
    },

    create(req: Request, res: Response) {
      const supersedesId = Number(asText((req.body as Values | undefined)?.supersedesId));
      const supersedes = Number.isSafeInteger(supersedesId) && supersedesId > 0 ? chainLinkOf(db, supersedesId) : undefined;
      return submitAgreementForm(req, res, { supersedes }, {
        schema: agreementCreate,
        save: (data, user) => createAgreement(db, actorOf(user), data),
        flashKey: "agreements.created",
      });
    },

    editForm(req: Request, res: Response) {
      const agreement = load(req);
      renderForm(res, 200, { values: valuesOfAgreement(agreement, listsOfAgreement(db, agreement.id)) }, { agreement });
    },

    update(req: Request, res: Response) {
      const agreement = load(req);
      return submitAgreementForm(req, res, { agreement }, {
        schema: agreementUpdate,
        save: (data, user) => updateAgreement(db, actorOf(user), agreement.id, data),
        flashKey: "agreements.saved",
      });
    },

    download(req: Request, res: Response) {
      const agreement = loadVisible(req, res);
      if (!agreement.documentId) throw new NotFoundError();
      let file: ReturnType<typeof readDocument>;
      try {
        file = readDocument(db, config.documentsDir, agreement.documentId);
      } catch (err) {
        if (err instanceof DocumentIntegrityError) logger.error(`Download van verwerkersovereenkomst ${agreement.id} geweigerd: ${err.detail}`);
        throw err;
      }
      res.set({
        "Content-Type": PDF_MIME,
        "Content-Disposition": contentDisposition(file.document.originalName),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
      });
      res.send(file.content);
    },

    confirmDelete(req: Request, res: Response) {
      const agreement = load(req);
      res.render("agreements/delete", { title: t("agreements.deleteTitle", { reference: agreement.reference }), agreement, refusal: deleteRefusal(db, agreement) });
    },

    destroy(req: Request, res: Response) {
      const agreement = load(req);
      return submitForm(req, res, {
        schema: versionOnly,
        render: (status, state) =>
          res.status(status === 422 ? 409 : status).render("agreements/delete", {
            title: t("agreements.deleteTitle", { reference: agreement.reference }),
            agreement,
            refusal: state.errors?._form ?? deleteRefusal(db, agreement),
            ...state,
          }),
        save: (data) => deleteAgreement(db, actorOf(currentUser(res)), agreement.id, data.version),
        conflict: { fields: [{ key: "status", label: t("agreements.fields.status") }] },
        onSuccess: () => {
          flash(req, "success", t("agreements.deleted", { reference: agreement.reference }));
          res.redirect(303, "/agreements");
        },
      });
    },
  };
}
