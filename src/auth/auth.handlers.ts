import type { Request, Response } from "express";
import type { Db } from "../db/client";
import { currentUser } from "../http/auth";
import { ValidationError } from "../http/errors";
import { flash } from "../http/flash";
import { parseForm } from "../http/validation";
import { t } from "../i18n";
import { schoolNamesOf } from "../users/users.repository";
import { digestForm } from "../reminders/reminders.handlers";
import type { SqliteSessionStore } from "../http/session-store";
import { authenticate, changePassword } from "./auth.service";
import { loginInput, passwordChangeInput, safeNextUrl } from "./auth.schemas";
import { beginSignIn, regenerate, save } from "./sign-in";
import { getSignInSettings, passwordAllowed } from "./sign-in-settings";


export function authHandlers(db: Db, store: SqliteSessionStore) {
  return {
    loginForm(req: Request, res: Response) {
      if (res.locals.user) return res.redirect(303, "/");
      const next = typeof req.query.next === "string" ? req.query.next : undefined;
      const notice = req.query.expired ? t("login.expired") : req.query.out ? t("login.loggedOut") : undefined;
      res.render("auth/login", { title: t("login.title"), values: { next }, notice });
    },

    async login(req: Request, res: Response) {
      const parsed = parseForm(loginInput, req.body);
      if (!parsed.ok) {
        return res.status(422).render("auth/login", { title: t("login.title"), values: req.body, errors: parsed.errors });
      }
      const user = await authenticate(db, parsed.data.email, parsed.data.password);
      const refuse = (message: string) =>
        res.status(401).render("auth/login", { title: t("login.title"), values: { email: parsed.data.email, next: parsed.data.next }, failed: message });
      if (!user) return refuse(t("login.failed"));
      // Only after the password proved who it is: the role's way in is no secret to its owner.
      if (!passwordAllowed(getSignInSettings(db), user.role)) return refuse(t("login.passwordOff"));
      res.redirect(303, await beginSignIn(req, db, user, { method: "password", next: safeNextUrl(parsed.data.next) }));
    },

    logout(req: Request, res: Response) {
      req.session.destroy(() => {
        res.clearCookie("ibp.sid");
        res.redirect(303, "/login?out=1");
      });
    },

    account(_req: Request, res: Response) {
      const user = currentUser(res);
      res.render("auth/account", { title: t("account.title"), account: user, schools: schoolNamesOf(db, user.schoolIds), digest: digestForm(db, user.id) });
    },

    async updatePassword(req: Request, res: Response) {
      const user = currentUser(res);
      const renderForm = (status: number, errors: Record<string, string>) =>
        res.status(status).render("auth/account", {
          title: t("account.title"),
          account: user,
          schools: schoolNamesOf(db, user.schoolIds),
          digest: digestForm(db, user.id),
          errors,
        });
      const parsed = parseForm(passwordChangeInput, req.body);
      if (!parsed.ok) return renderForm(422, parsed.errors);
      try {
        await changePassword(db, user, parsed.data);
      } catch (err) {
        if (err instanceof ValidationError) {
          return renderForm(422, Object.fromEntries(Object.entries(err.fieldErrors).map(([k, v]) => [k, v[0] ?? ""])));
        }
        throw err;
      }
      // Whoever else knew the old password is logged out; this browser gets a fresh session id.
      await regenerate(req);
      req.session.userId = user.id;
      req.session.loginAt = Date.now();
      await save(req);
      store.destroyOtherSessions(user.id, req.sessionID);
      flash(req, "success", t("account.changed"));
      res.redirect(303, "/account");
    },
  };
}
