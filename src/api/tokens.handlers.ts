import type { Request, Response } from "express";
import type { Db } from "../db/client";
import { currentUser } from "../http/auth";
import { ValidationError } from "../http/errors";
import { flash } from "../http/flash";
import { fieldErrorsOf } from "../http/forms";
import { parseForm, parseId } from "../http/validation";
import { t } from "../i18n";
import { tokensOfUser } from "./tokens.repository";
import { tokenInput } from "./tokens.schemas";
import { createToken, revokeToken, tokenStatus } from "./tokens.service";

export function tokenHandlers(db: Db) {
  const render = (res: Response, status: number, state: { values?: Record<string, unknown>; errors?: Record<string, string>; newToken?: { token: string; name: string } } = {}) => {
    const user = currentUser(res);
    const now = new Date();
    res.status(status).render("api/tokens", {
      title: t("api.tokens.title"),
      tokens: tokensOfUser(db, user.id).map((row) => {
        const status = tokenStatus(row, now);
        return { ...row, status, statusLabel: t(`api.tokens.status.${status}`), active: status === "active" };
      }),
      values: state.values ?? {},
      errors: state.errors,
      newToken: state.newToken,
      isReadOnly: user.role === "auditor",
      isSchoolUser: user.role === "school",
    });
  };

  return {
    index(_req: Request, res: Response) {
      render(res, 200);
    },

    create(req: Request, res: Response) {
      const user = currentUser(res);
      const parsed = parseForm(tokenInput, req.body);
      if (!parsed.ok) return render(res, 422, { values: req.body as Record<string, unknown>, errors: parsed.errors });
      try {
        const { token, row } = createToken(db, user, parsed.data);
        // The token is on this one page only: never cached, never in a redirect or the session.
        res.setHeader("Cache-Control", "no-store");
        render(res, 201, { newToken: { token, name: row.name } });
      } catch (err) {
        if (err instanceof ValidationError) return render(res, 422, { values: req.body as Record<string, unknown>, errors: fieldErrorsOf(err) });
        throw err;
      }
    },

    revoke(req: Request, res: Response) {
      const row = revokeToken(db, currentUser(res), parseId(req.params.id));
      flash(req, "success", t("api.tokens.revoked", { name: row.name }));
      res.redirect(303, "/account/tokens");
    },
  };
}
