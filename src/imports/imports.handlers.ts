import type { Request, Response } from "express";
import { actorOf } from "../audit/audit.service";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { contentDisposition, formatBytes, sanitiseFileName } from "../documents/documents.service";
import { currentUser } from "../http/auth";
import { NotFoundError } from "../http/errors";
import { flash } from "../http/flash";
import { parseForm } from "../http/validation";
import { t } from "../i18n";
import { fieldsOf, headingOf, IMPORT_KINDS, type ImportKind } from "./imports.fields";
import { mappingProblems, needsMapping, type Mapping } from "./imports.mapping";
import { cellText, columnLetter, ImportFileError } from "./imports.parse";
import { planImport, type ImportPlan, type RowStatus } from "./imports.plan";
import { recentImports } from "./imports.repository";
import { commitInput, mappingInput, previewQuery, templateParams, uploadInput } from "./imports.schemas";
import { commitImport, ImportRefusedError, receiveImport } from "./imports.service";
import type { PendingImport, PendingImports } from "./imports.store";
import { templateCsv, templateFileName, templateXlsx } from "./imports.templates";

const STATUSES: RowStatus[] = ["new", "changed", "unchanged", "wrong"];
const kindOptions = () => IMPORT_KINDS.map((value) => ({ value, label: t(`imports.kinds.${value}`) }));

export function importHandlers(db: Db, config: Pick<Config, "uploadMaxBytes">, store: PendingImports) {
  const ownerOf = (req: Request, res: Response) => ({ userId: currentUser(res).id, sessionId: req.sessionID });

  /** The user's own upload in this session, or 404: an id of someone else's upload tells nothing. */
  const load = (req: Request, res: Response): PendingImport => {
    const pending = store.find(String(req.params.id), ownerOf(req, res));
    if (!pending) throw new NotFoundError();
    return pending;
  };

  const renderIndex = (res: Response, status: number, state: { values?: Record<string, unknown>; errors?: Record<string, string> } = {}) =>
    res.status(status).render("imports/index", {
      title: t("imports.title"),
      kindOptions: kindOptions(),
      templates: IMPORT_KINDS.map((kind) => ({ kind, label: t(`imports.kinds.${kind}`) })),
      recent: recentImports(db).map((row) => ({ ...row, kindLabel: t(`imports.kinds.${row.kind}`) })),
      maxSize: formatBytes(config.uploadMaxBytes),
      values: state.values ?? {},
      errors: state.errors,
    });

  function renderPreview(req: Request, res: Response, status: number, pending: PendingImport, plan: ImportPlan, refused?: string) {
    const { show } = previewQuery.parse(req.query);
    const headers = pending.sheet.headers;
    const rows = plan.rows
      .filter((row) => show === "all" || row.status === show)
      .map((row) => ({
        ...row,
        statusLabel: t(`imports.status.${row.status}`),
        issues: row.issues.map((issue) => ({
          cell: issue.column === null ? undefined : `${columnLetter(issue.column)}${row.number}`,
          heading: issue.column === null ? undefined : headers[issue.column],
          message: issue.message,
        })),
      }));
    const base = `/imports/${pending.id}`;
    res.status(status).render("imports/preview", {
      title: t("imports.preview.title", { file: pending.fileName }),
      pending: { ...pending, kindLabel: t(`imports.kinds.${pending.kind}`), size: formatBytes(pending.sizeBytes) },
      counts: plan.counts,
      emptyRows: plan.emptyRows.join(", "),
      ignoredColumns: plan.ignoredColumns.map((column) => ({ letter: columnLetter(column.index), heading: column.heading || t("imports.mapping.noHeading") })),
      rows,
      filters: [
        { href: base, label: t("imports.preview.all", { count: plan.rows.length }), current: show === "all" },
        ...STATUSES.map((s) => ({ href: `${base}?show=${s}`, label: `${t(`imports.status.${s}`)} (${plan.counts[s]})`, current: show === s })),
      ],
      fingerprint: plan.fingerprint,
      canCommit: plan.counts.wrong === 0 && plan.counts.new + plan.counts.changed > 0,
      nothingNew: plan.counts.wrong === 0 && plan.counts.new + plan.counts.changed === 0,
      refused,
    });
  }

  function renderMapping(res: Response, status: number, pending: PendingImport, mapping: Mapping, errors?: Record<string, string>) {
    const problems = mappingProblems(pending.kind, mapping);
    const options = fieldsOf(pending.kind).map((f) => ({ value: f.key, label: `${headingOf(pending.kind, f.key)}${f.required ? ` (${t("common.required")})` : ""}` }));
    res.status(status).render("imports/mapping", {
      title: t("imports.mapping.title", { file: pending.fileName }),
      pending: { ...pending, kindLabel: t(`imports.kinds.${pending.kind}`) },
      columns: pending.sheet.headers.map((heading, index) => ({
        name: `column${index}`,
        letter: columnLetter(index),
        heading: heading || t("imports.mapping.noHeading"),
        samples: pending.sheet.rows
          .map((row) => cellText(row.cells[index]?.value ?? null))
          .filter((v) => v.trim() !== "")
          .slice(0, 3)
          .join(" · "),
        value: mapping[index] ?? "",
        error: errors?.[`column${index}`] ?? problems.columns[index],
        options,
      })),
      missing: problems.missing.join(", "),
      errors: errors && Object.keys(errors).length ? errors : undefined,
    });
  }

  return {
    index(_req: Request, res: Response) {
      renderIndex(res, 200);
    },

    async template(req: Request, res: Response) {
      const parsed = templateParams.safeParse(req.params);
      if (!parsed.success) throw new NotFoundError();
      const [kind, format] = parsed.data.file.split(".") as [ImportKind, "xlsx" | "csv"];
      const content = format === "xlsx" ? await templateXlsx(kind) : templateCsv(kind);
      res.setHeader("Content-Type", format === "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8");
      res.setHeader("Content-Disposition", contentDisposition(templateFileName(kind, format)));
      res.send(content);
    },

    async upload(req: Request, res: Response) {
      const body = { ...((req.body ?? {}) as Record<string, unknown>) };
      const parsed = parseForm(uploadInput, body);
      const errors: Record<string, string> = parsed.ok ? {} : { ...parsed.errors };
      if (res.locals.uploadTooLarge) errors.file = t("imports.upload.tooLarge", { max: formatBytes(config.uploadMaxBytes) });
      else if (!req.file) errors.file = t("imports.upload.chooseFile");
      if (!parsed.ok || Object.keys(errors).length || !req.file) return renderIndex(res, 422, { values: body, errors });
      try {
        const { pending, mappingNeeded } = await receiveImport(store, ownerOf(req, res), parsed.data.kind, {
          content: req.file.buffer,
          fileName: req.file.originalname ? sanitiseFileName(req.file.originalname) : t("imports.upload.unnamed"),
        });
        res.redirect(303, mappingNeeded ? `/imports/${pending.id}/mapping` : `/imports/${pending.id}`);
      } catch (err) {
        if (err instanceof ImportFileError) return renderIndex(res, 422, { values: body, errors: { file: err.message } });
        throw err;
      }
    },

    preview(req: Request, res: Response) {
      const pending = load(req, res);
      if (needsMapping(pending.kind, pending.sheet.headers, pending.mapping) && mappingProblems(pending.kind, pending.mapping).missing.length) {
        return res.redirect(303, `/imports/${pending.id}/mapping`);
      }
      renderPreview(req, res, 200, pending, planImport(db, pending.kind, pending.sheet, pending.mapping));
    },

    mappingForm(req: Request, res: Response) {
      const pending = load(req, res);
      renderMapping(res, 200, pending, pending.mapping);
    },

    saveMapping(req: Request, res: Response) {
      const pending = load(req, res);
      const keys = fieldsOf(pending.kind).map((f) => f.key);
      const parsed = parseForm(mappingInput(pending.sheet.headers.length, keys), req.body);
      if (!parsed.ok) return renderMapping(res, 422, pending, pending.mapping, parsed.errors);
      const mapping: Mapping = pending.sheet.headers.map((_, i) => (parsed.data[`column${i}`] as string | null) ?? null);
      const problems = mappingProblems(pending.kind, mapping);
      if (problems.missing.length || Object.keys(problems.columns).length) return renderMapping(res, 422, pending, mapping, {});
      pending.mapping = mapping;
      res.redirect(303, `/imports/${pending.id}`);
    },

    commit(req: Request, res: Response) {
      const pending = load(req, res);
      const parsed = parseForm(commitInput, req.body);
      if (!parsed.ok) throw new NotFoundError();
      try {
        const result = commitImport(db, actorOf(currentUser(res)), pending, parsed.data.fingerprint);
        store.remove(pending.id);
        const c = result.counts;
        flash(
          req,
          "success",
          result.importId === null
            ? t("imports.commit.nothing", { unchanged: c.unchanged })
            : t("imports.commit.done", { id: result.importId, new: c.new, changed: c.changed, unchanged: c.unchanged }),
        );
        res.redirect(303, "/imports");
      } catch (err) {
        if (err instanceof ImportRefusedError) return renderPreview(req, res, err.status, pending, err.plan, err.message);
        throw err;
      }
    },

    cancel(req: Request, res: Response) {
      const pending = load(req, res);
      store.remove(pending.id);
      flash(req, "info", t("imports.cancelled", { file: pending.fileName }));
      res.redirect(303, "/imports");
    },
  };
}
