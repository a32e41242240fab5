import type { Request, Response } from "express";
import { actorOf } from "../audit/audit.service";
import { findApplicationById, type Application } from "../applications/applications.repository";
import type { Db } from "../db/client";
import { LEVELS, MEASURE_STATUSES } from "../db/enums";
import { currentUser } from "../http/auth";
import { NotFoundError } from "../http/errors";
import { flash } from "../http/flash";
import { submitForm, type FormState } from "../http/forms";
import { parseForm, parseId } from "../http/validation";
import { labels, t } from "../i18n";
import { addMonths, todayIso } from "../lib/dates";
import { getSettings } from "../settings/settings.service";
import { proposeLevels, QUESTIONS, type Answers } from "./classifications.questions";
import { currentClassification, impliedConfidentiality, measuresOf, type Classification } from "./classifications.repository";
import { classificationInput, measuresInput, proposalInput, REASONS } from "./classifications.schemas";
import { classifyApplication, updateMeasures } from "./classifications.service";

const levelsText = (c: Pick<Classification, "availability" | "integrity" | "confidentiality">) =>
  `B ${t(`levels.${c.availability}`)}, I ${t(`levels.${c.integrity}`)}, V ${t(`levels.${c.confidentiality}`)}`;

export function classificationHandlers(db: Db) {
  const load = (req: Request): Application => {
    const app = findApplicationById(db, parseId(req.params.id));
    if (!app) throw new NotFoundError();
    return app;
  };

  function renderForm(res: Response, status: number, app: Application, state: FormState) {
    const values = state.values as Record<string, string | undefined>;
    const implied = impliedConfidentiality(db, app.id);
    const answered = proposalInput.safeParse(values);
    const proposal = answered.success ? proposeLevels(answered.data as Answers, implied.level) : undefined;
    const questions = (Object.keys(QUESTIONS) as (keyof typeof QUESTIONS)[]).map((key) => ({
      key,
      legend: t(`classifications.questions.${key}.legend`),
      error: state.errors?.[key],
      options: Object.keys(QUESTIONS[key].options).map((value) => ({
        value,
        text: t(`classifications.questions.${key}.${value}`),
        checked: values[key] === value,
      })),
    }));
    const levelOptions = LEVELS.map((value) => ({ value, label: labels("levels")[value] }));
    res.status(status).render("classifications/form", {
      title: t("classifications.title", { name: app.name }),
      app,
      questions,
      proposal,
      implied,
      levelOptions,
      reasonOptions: REASONS.map((value) => ({ value, label: t(`classifications.reasons.${value}`) })),
      current: currentClassification(db, app.id),
      reviewMonths: getSettings(db).reviewIntervalMonths,
      ...state,
    });
  }

  return {
    form(req: Request, res: Response) {
      const app = load(req);
      const current = currentClassification(db, app.id);
      const today = todayIso();
      const values: Record<string, unknown> = {
        basedOn: current?.id ?? 0,
        ...(current?.answers ?? {}),
        availability: current?.availability,
        integrity: current?.integrity,
        confidentiality: current?.confidentiality,
        reason: current ? "jaarlijks" : "eerste",
        assessedOn: today,
        nextReviewOn: addMonths(today, getSettings(db).reviewIntervalMonths),
      };
      renderForm(res, 200, app, { values });
    },

    save(req: Request, res: Response) {
      const app = load(req);
      const body = (req.body ?? {}) as Record<string, unknown>;
      // "Niveau voorstellen": fill the chosen levels with the proposal and show the form again; nothing is saved.
      if (body.propose !== undefined) {
        const answered = parseForm(proposalInput, body);
        const proposal = answered.ok ? proposeLevels(answered.data as Answers, impliedConfidentiality(db, app.id).level) : undefined;
        return renderForm(res, 200, app, { values: { ...body, ...(proposal ?? {}) } });
      }
      return submitForm(req, res, {
        schema: classificationInput,
        render: (status, state) => renderForm(res, status, app, state),
        save: (data) => classifyApplication(db, actorOf(currentUser(res)), app.id, data),
        conflict: {
          fields: [
            { key: "availability", label: t("classifications.availability") },
            { key: "integrity", label: t("classifications.integrity") },
            { key: "confidentiality", label: t("classifications.confidentiality") },
            { key: "rationale", label: t("classifications.rationale") },
          ],
          toForm: (current: Classification | undefined) => ({ ...(current ?? {}) }),
          refresh: (current: Classification | undefined) => ({ basedOn: current?.id ?? 0 }),
        },
        onSuccess: () => {
          flash(req, "success", t("classifications.saved"));
          res.redirect(303, `/applications/${app.id}#classificatie`);
        },
      });
    },

    measuresForm(req: Request, res: Response) {
      const app = load(req);
      const rows = Object.fromEntries(
        measuresOf(db, app.id, currentClassification(db, app.id))
          .filter((m) => m.status)
          .map((m) => [`k${m.id}`, { status: m.status, note: m.note ?? "" }]),
      );
      renderMeasures(res, 200, app, { values: { version: app.version, rows } });
    },

    updateMeasures(req: Request, res: Response) {
      const app = load(req);
      return submitForm(req, res, {
        schema: measuresInput,
        render: (status, state) => renderMeasures(res, status, app, state),
        save: (data) => updateMeasures(db, actorOf(currentUser(res)), app.id, data),
        conflict: { fields: [] },
        onSuccess: () => {
          flash(req, "success", t("classifications.measuresSaved"));
          res.redirect(303, `/applications/${app.id}#maatregelen`);
        },
      });
    },
  };

  function renderMeasures(res: Response, status: number, app: Application, state: FormState) {
    const classification = currentClassification(db, app.id);
    const values = state.values as { rows?: Record<string, { status?: string; note?: string }> };
    const rows = measuresOf(db, app.id, classification).map((m) => ({
      ...m,
      chosen: values.rows?.[`k${m.id}`]?.status ?? "",
      noteValue: values.rows?.[`k${m.id}`]?.note ?? "",
      error: state.errors?.[`rows.k${m.id}.status`] ?? state.errors?.[`rows.k${m.id}.note`],
    }));
    res.status(status).render("classifications/measures", {
      title: t("classifications.measuresTitle", { name: app.name }),
      app,
      classification,
      levels: classification ? levelsText(classification) : "",
      required: rows.filter((r) => r.required),
      optional: rows.filter((r) => !r.required),
      statusOptions: MEASURE_STATUSES.map((value) => ({ value, label: labels("measureStatuses")[value] })),
      ...state,
    });
  }
}

export { levelsText };
