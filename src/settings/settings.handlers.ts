import type { Request, Response } from "express";
import { actorOf } from "../audit/audit.service";
import type { Db } from "../db/client";
import { currentUser } from "../http/auth";
import { flash } from "../http/flash";
import { submitForm, type FormState } from "../http/forms";
import { t } from "../i18n";
import { settingsInput } from "./settings.schemas";
import { getSettings, SETTINGS, settingsVersion, updateSettings } from "./settings.service";

const MODELS = ["1.0", "2.0", "3.0", "4.0"].map((value) => ({ value, label: `Model ${value}` }));

export function settingsHandlers(db: Db) {
  const render = (res: Response, status: number, state: FormState) =>
    res.status(status).render("settings/edit", { title: t("compliance.settingsPage.title"), modelOptions: MODELS, ...state });

  return {
    editForm(_req: Request, res: Response) {
      render(res, 200, { values: { ...getSettings(db), version: settingsVersion(db) } });
    },

    update(req: Request, res: Response) {
      return submitForm(req, res, {
        schema: settingsInput,
        render: (status, state) => render(res, status, state),
        save: (data) => updateSettings(db, actorOf(currentUser(res)), data),
        conflict: { fields: Object.keys(SETTINGS).map((key) => ({ key, label: t(`compliance.settingsPage.${key}`) })) },
        onSuccess: () => {
          flash(req, "success", t("compliance.settingsPage.saved"));
          res.redirect(303, "/admin/settings");
        },
      });
    },
  };
}
