import type { Request, Response } from "express";
import { actorOf } from "../audit/audit.service";
import type { Db } from "../db/client";
import { currentUser } from "../http/auth";
import { flash } from "../http/flash";
import { submitForm, type FormState } from "../http/forms";
import { t } from "../i18n";
import { findBoard } from "./board.repository";
import { boardInput } from "./board.schemas";
import { updateBoard } from "./board.service";

const FIELDS = ["name", "kvk", "address", "email", "privacyOfficerName", "dpoName", "dpoEmail", "dpoPhone"];

export function boardHandlers(db: Db) {
  const render = (res: Response, status: number, state: FormState) =>
    res.status(status).render("board/edit", { title: t("board.title"), ...state });

  return {
    editForm(_req: Request, res: Response) {
      render(res, 200, { values: { ...findBoard(db) } });
    },

    update(req: Request, res: Response) {
      return submitForm(req, res, {
        schema: boardInput,
        render: (status, state) => render(res, status, state),
        save: (data) => updateBoard(db, actorOf(currentUser(res)), data),
        conflict: { fields: FIELDS.map((key) => ({ key, label: t(`board.${key}`) })) },
        onSuccess: () => {
          flash(req, "success", t("board.saved"));
          res.redirect(303, "/admin/board");
        },
      });
    },
  };
}
