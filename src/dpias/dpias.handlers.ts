import type { Request, Response } from "express";
import { actorOf, historyWithChanges } from "../audit/audit.service";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { DPIA_REQUIRED, DPIA_STATUSES, DPIA_TYPES, LEVELS } from "../db/enums";
import { findDocumentWithUploader, findPendingDocument } from "../documents/documents.repository";
import { contentDisposition, DocumentIntegrityError, formatBytes, PDF_MIME, readDocument, storeDocument } from "../documents/documents.service";
import { currentUser } from "../http/auth";
import { NotFoundError, ValidationError } from "../http/errors";
import { flash } from "../http/flash";
import { fieldErrorsOf, type FormState, submitForm } from "../http/forms";
import { pagination, sortHeaders } from "../http/listing";
import { can, type CurrentUser } from "../http/policy";
import { parseId } from "../http/validation";
import { labelOf, t } from "../i18n";
import { todayIso } from "../lib/dates";
import { AP_KINDS, criteriaAdvice, EDPB_CRITERIA, EDPB_THRESHOLD } from "./dpias.criteria";
import { countDpiaRows, findApplicationForDpia, findDpiaOfApplication, listDpiaRows, specialCategoriesOf, type Dpia } from "./dpias.repository";
import { dpiaInput, dpiaListQuery, DPIA_REQUIRED_FILTER } from "./dpias.schemas";
import { saveDpia } from "./dpias.service";

type Logger = { error: (...args: unknown[]) => void };
type Values = Record<string, unknown>;
type Application = NonNullable<ReturnType<typeof findApplicationForDpia>>;

const CONFLICT_FIELDS = ["required", "criteria", "notRequiredReasoning", "type", "status", "performedOn", "residualRisk", "nextReviewOn"];

const asText = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");
const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined || v === null || v === "" ? [] : [v]).map(asText).filter(Boolean);
const options = (group: string, values: readonly string[]) => values.map((value) => ({ value, label: labelOf(group, value) }));
const criterionLabel = (code: string) => labelOf("dpias.criteria", code);

/** The criteria as two groups of checkboxes (EDPB, regulator's list), ticked as in `ticked`. */
function criteriaGroups(ticked: readonly string[]) {
  const group = (codes: readonly string[]) =>
    codes.map((code) => ({ code, label: criterionLabel(code), hint: labelOf("dpias.criteriaHints", code), checked: ticked.includes(code) }));
  return { edpb: group(EDPB_CRITERIA), ap: group(AP_KINDS) };
}

/** A saved DPIA as the form shows it. */
const valuesOfDpia = (dpia: Dpia): Values => ({ ...dpia, criteria: [...dpia.criteria], type: dpia.type ?? "", residualRisk: dpia.residualRisk ?? "" });

export function dpiaHandlers(db: Db, config: Pick<Config, "documentsDir" | "uploadMaxBytes">, logger: Logger) {
  const maxUpload = () => formatBytes(config.uploadMaxBytes);

  const loadApplication = (req: Request): Application => {
    const app = findApplicationForDpia(db, parseId(req.params.id));
    if (!app) throw new NotFoundError();
    return app;
  };

  /** A valid PDF is stored at once, also when the rest of the form is refused; its id then rides along. */
  const receiveDocument = (req: Request, res: Response, user: CurrentUser): { documentId?: number; error?: string } => {
    if (res.locals.uploadTooLarge) return { error: t("documents.tooLarge", { max: maxUpload() }) };
    if (!req.file) return {};
    try {
      return { documentId: storeDocument(db, config.documentsDir, actorOf(user), { content: req.file.buffer, originalName: req.file.originalname }).id };
    } catch (err) {
      if (err instanceof ValidationError) return { error: fieldErrorsOf(err).document ?? t("documents.notPdf") };
      throw err;
    }
  };

  const renderForm = (res: Response, status: number, state: FormState, app: Application, dpia: Dpia | undefined, documentError?: string) => {
    const user = currentUser(res);
    const values = state.values;
    const errors: Record<string, string> = { ...(state.errors ?? {}) };
    if (documentError) errors.document = documentError;
    const pendingId = Number(asText(values.pendingDocumentId));
    const pending = Number.isSafeInteger(pendingId) && pendingId > 0 ? findPendingDocument(db, pendingId, user.id) : undefined;
    const current = dpia?.documentId ? findDocumentWithUploader(db, dpia.documentId) : undefined;
    res.status(status).render("dpias/form", {
      title: t("dpias.editTitle", { name: app.name }),
      app,
      dpia,
      values,
      errors: Object.keys(errors).length ? errors : undefined,
      conflict: state.conflict,
      criteria: criteriaGroups(asStrings(values.criteria)),
      threshold: EDPB_THRESHOLD,
      specialCategories: specialCategoriesOf(db, app.id),
      requiredOptions: options("yesNoUnknown", DPIA_REQUIRED),
      typeOptions: options("applications.dpia.types", DPIA_TYPES),
      statusOptions: options("applications.dpia.statuses", DPIA_STATUSES),
      levelOptions: options("levels", LEVELS),
      pendingDocument: pending && { id: pending.id, originalName: pending.originalName, sizeLabel: formatBytes(pending.sizeBytes) },
      currentDocument: current && { originalName: current.originalName, sizeLabel: formatBytes(current.sizeBytes) },
      documentHint: t(current ? "documents.replaceHint" : "documents.fileHint", { max: maxUpload() }),
    });
  };

  return {
    index(req: Request, res: Response) {
      const today = todayIso();
      const query = dpiaListQuery.parse(req.query);
      const page = pagination("/dpias", query, countDpiaRows(db, query, today));
      const rows = listDpiaRows(db, query, today, page).map((row) => ({
        ...row,
        special: row.special === 1,
        edpbCount: row.criteria ? criteriaAdvice(row.criteria).edpbCount : 0,
        reviewOverdue: row.nextReviewOn !== null && row.nextReviewOn < today,
      }));
      res.render("dpias/index", {
        title: t("dpias.title"),
        query,
        rows,
        page,
        filtered: Boolean(query.q || query.required || query.status || query.type || query.special || query.overdue),
        requiredOptions: options("dpias.requiredFilter", DPIA_REQUIRED_FILTER),
        statusOptions: options("applications.dpia.statuses", DPIA_STATUSES),
        typeOptions: options("applications.dpia.types", DPIA_TYPES),
        headers: sortHeaders("/dpias", query, [
          { key: "application", label: t("dpias.application") },
          { key: "required", label: t("dpias.fields.required") },
          { key: "status", label: t("dpias.fields.status") },
          { key: "performed", label: t("dpias.fields.performedOn") },
          { key: "nextReview", label: t("dpias.fields.nextReviewOn") },
        ]),
      });
    },

    show(req: Request, res: Response) {
      const user = currentUser(res);
      const app = loadApplication(req);
      const dpia = findDpiaOfApplication(db, app.id);
      const today = todayIso();
      const document = dpia?.documentId ? findDocumentWithUploader(db, dpia.documentId) : undefined;
      const advice = criteriaAdvice(dpia?.criteria ?? []);
      res.render("dpias/show", {
        title: t("dpias.showTitle", { name: app.name }),
        app,
        dpia,
        advice,
        threshold: EDPB_THRESHOLD,
        // The decision against the rule of thumb: worth a second look, not an error.
        againstAdvice: dpia?.required === "nee" && advice.likelyRequired,
        // In the order of the lists, whatever order they were stored in.
        edpbCriteria: EDPB_CRITERIA.filter((c) => dpia?.criteria.includes(c)).map(criterionLabel),
        apKinds: AP_KINDS.filter((c) => dpia?.criteria.includes(c)).map(criterionLabel),
        specialCategories: specialCategoriesOf(db, app.id),
        reviewOverdue: dpia?.nextReviewOn != null && dpia.nextReviewOn < today,
        document: document && { ...document, sizeLabel: formatBytes(document.sizeBytes) },
        history: dpia ? historyWithChanges(db, "dpia", dpia.id, "dpias") : [],
        canWrite: can(user, "register.write"),
      });
    },

    editForm(req: Request, res: Response) {
      const app = loadApplication(req);
      const dpia = findDpiaOfApplication(db, app.id);
      renderForm(res, 200, { values: dpia ? valuesOfDpia(dpia) : { required: "onbekend", status: "niet_gestart", criteria: [] } }, app, dpia);
    },

    update(req: Request, res: Response) {
      const user = currentUser(res);
      const app = loadApplication(req);
      const upload = receiveDocument(req, res, user);
      // multer gives a null-prototype object; the form needs plain values and the criteria as a list.
      const values: Values = { ...((req.body ?? {}) as Values) };
      values.criteria = asStrings(values.criteria);
      if (upload.documentId !== undefined) values.pendingDocumentId = String(upload.documentId);
      req.body = values;
      return submitForm(req, res, {
        schema: dpiaInput,
        render: (status, state) => renderForm(res, status, state, app, findDpiaOfApplication(db, app.id), upload.error),
        save: (data) => {
          if (upload.error) throw new ValidationError({ document: [upload.error] });
          return saveDpia(db, actorOf(user), app.id, data);
        },
        conflict: { fields: CONFLICT_FIELDS.map((key) => ({ key, label: t(`dpias.fields.${key}`) })) },
        onSuccess: () => {
          flash(req, "success", t("dpias.saved", { name: app.name }));
          res.redirect(303, `/applications/${app.id}/dpia`);
        },
      });
    },

    download(req: Request, res: Response) {
      const app = loadApplication(req);
      const dpia = findDpiaOfApplication(db, app.id);
      if (!dpia?.documentId) throw new NotFoundError();
      let file: ReturnType<typeof readDocument>;
      try {
        file = readDocument(db, config.documentsDir, dpia.documentId);
      } catch (err) {
        if (err instanceof DocumentIntegrityError) logger.error(`Download van DPIA-document van applicatie ${app.id} geweigerd: ${err.detail}`);
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
  };
}
