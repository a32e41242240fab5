import type { Request, Response } from "express";
import { actorOf, historyWithChanges } from "../audit/audit.service";
import { hashPassword } from "../auth/passwords";
import { beginSignIn } from "../auth/sign-in";
import { getSignInSettings, signInSettingsVersion, updateSignInSettings } from "../auth/sign-in-settings";
import { findBoard } from "../board/board.repository";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { ROLES } from "../db/enums";
import { currentUser } from "../http/auth";
import { ConflictError, NotFoundError, ValidationError } from "../http/errors";
import { flash } from "../http/flash";
import { fieldErrorsOf, submitForm, versionOnly, type FormState } from "../http/forms";
import { parseForm, parseId } from "../http/validation";
import { labelOf, t } from "../i18n";
import { schoolOptions } from "../applications/applications.repository";
import { endSessionByKey, sessionsOf } from "./credentials";
import { findUserById, listUsers, type User } from "./users.repository";
import { newPasswordInput, signInSettingsInput, userInput, userListQuery, userUpdate } from "./users.schemas";
import { acceptInvite, inviteState, inviteUser, resetTwoFactorOf, sendPasswordLink, setActive, toForm, unlinkSso, updateUser } from "./users.service";

const roleOptions = () => ROLES.map((value) => ({ value, label: labelOf("roles", value) }));
const FORM_FIELDS = ["name", "email", "role", "schoolIds"] as const;

export function userHandlers(db: Db, config: Pick<Config, "publicUrl"> & { ssoConfigured: boolean }) {
  const load = (req: Request): User => {
    const user = findUserById(db, parseId(req.params.id));
    if (!user) throw new NotFoundError();
    return user;
  };
  const linkOptions = () => ({ publicUrl: config.publicUrl, boardName: findBoard(db)?.name ?? "" });

  const renderForm = (res: Response, status: number, state: FormState, user?: User) => {
    const ticked = new Set((Array.isArray(state.values.schoolIds) ? state.values.schoolIds : [state.values.schoolIds]).map(String));
    res.status(status).render("users/form", {
      title: user ? t("users.editTitle", { name: user.name }) : t("users.new"),
      user,
      action: user ? `/admin/users/${user.id}` : "/admin/users",
      roleOptions: roleOptions(),
      schools: schoolOptions(db).map((s) => ({ ...s, checked: ticked.has(String(s.id)) })),
      ...state,
    });
  };

  const renderShow = (req: Request, res: Response, user: User, status = 200, errors?: Record<string, string>) => {
    const row = listUsers(db, {}).find((u) => u.id === user.id)!;
    res.status(status).render("users/show", {
      title: user.name,
      person: { ...row, version: user.version, schoolNames: row.schoolNames ?? "" },
      isSelf: currentUser(res).id === user.id,
      errors,
      history: historyWithChanges(db, "user", user.id, "users"),
    });
  };

  /** A confirmation on a user's page: 303 back with a message, or the page again with the reason it was refused. */
  const act = (req: Request, res: Response, run: (user: User, version: number) => string) => {
    const user = load(req);
    const parsed = parseForm(versionOnly, req.body);
    if (!parsed.ok) return renderShow(req, res, user, 422, { version: t("validation.required") });
    try {
      flash(req, "success", run(user, parsed.data.version));
    } catch (err) {
      if (err instanceof ValidationError) return renderShow(req, res, user, 422, fieldErrorsOf(err));
      // Someone changed the person in between: the page shows them as they are now, and nothing was done.
      if (err instanceof ConflictError) return renderShow(req, res, load(req), 409, { version: t("users.errors.stale") });
      throw err;
    }
    res.redirect(303, `/admin/users/${user.id}`);
  };

  return {
    index(req: Request, res: Response) {
      const query = userListQuery.parse(req.query);
      res.render("users/index", {
        title: t("users.title"),
        query,
        rows: listUsers(db, query),
        roleOptions: roleOptions(),
        statusOptions: (["active", "invited", "deactivated"] as const).map((value) => ({ value, label: t(`users.status.${value}`) })),
      });
    },

    newForm(_req: Request, res: Response) {
      renderForm(res, 200, { values: { role: "school" } });
    },

    create(req: Request, res: Response) {
      return submitForm(req, res, {
        schema: userInput,
        render: (status, state) => renderForm(res, status, state),
        save: (data) => inviteUser(db, actorOf(currentUser(res)), data, linkOptions()),
        onSuccess: ({ user, link }) => res.status(201).render("users/link", { title: t("users.invited", { name: user.name }), person: user, link, kind: "invite" }),
      });
    },

    show(req: Request, res: Response) {
      renderShow(req, res, load(req));
    },

    editForm(req: Request, res: Response) {
      const user = load(req);
      renderForm(res, 200, { values: toForm(db, user) }, user);
    },

    update(req: Request, res: Response) {
      const user = load(req);
      return submitForm(req, res, {
        schema: userUpdate,
        render: (status, state) => renderForm(res, status, state, user),
        save: (data) => updateUser(db, actorOf(currentUser(res)), user.id, data),
        conflict: {
          fields: FORM_FIELDS.map((key) => ({ key, label: t(`users.fields.${key}`) })),
          toForm: (current: ReturnType<typeof toForm>) => ({ ...current, role: labelOf("roles", current.role) }),
        },
        onSuccess: (saved) => {
          flash(req, "success", t("users.saved", { name: saved.name }));
          res.redirect(303, `/admin/users/${saved.id}`);
        },
      });
    },

    deactivate(req: Request, res: Response) {
      act(req, res, (user, version) => {
        setActive(db, actorOf(currentUser(res)), user.id, version, false);
        return t("users.deactivated", { name: user.name });
      });
    },

    reactivate(req: Request, res: Response) {
      act(req, res, (user, version) => {
        setActive(db, actorOf(currentUser(res)), user.id, version, true);
        return t("users.reactivated", { name: user.name });
      });
    },

    resetTwoFactor(req: Request, res: Response) {
      act(req, res, (user) => {
        resetTwoFactorOf(db, actorOf(currentUser(res)), user.id);
        return t("users.twoFactorReset", { name: user.name });
      });
    },

    unlinkSso(req: Request, res: Response) {
      act(req, res, (user, version) => {
        unlinkSso(db, actorOf(currentUser(res)), user.id, version);
        return t("users.ssoUnlinked", { name: user.name });
      });
    },

    sendLink(req: Request, res: Response) {
      const user = load(req);
      try {
        const { link } = sendPasswordLink(db, actorOf(currentUser(res)), user.id, linkOptions());
        res.status(201).render("users/link", { title: t("users.linkSent", { name: user.name }), person: user, link, kind: user.passwordHash ? "reset" : "invite" });
      } catch (err) {
        if (err instanceof ValidationError) return renderShow(req, res, user, 422, fieldErrorsOf(err));
        throw err;
      }
    },

    signInSettingsForm(_req: Request, res: Response) {
      renderSignInSettings(res, 200, { values: { ...getSignInSettings(db), version: signInSettingsVersion(db) } });
    },

    updateSignInSettings(req: Request, res: Response) {
      return submitForm(req, res, {
        schema: signInSettingsInput,
        render: (status, state) => renderSignInSettings(res, status, state),
        save: (data) => updateSignInSettings(db, actorOf(currentUser(res)), data, { ssoConfigured: config.ssoConfigured }),
        conflict: {
          fields: (["twoFactorRoles", "passwordRoles"] as const).map((key) => ({ key, label: t(`users.signIn.${key}`) })),
          toForm: (current: { twoFactorRoles: string[]; passwordRoles: string[] }) => ({
            twoFactorRoles: current.twoFactorRoles.map((r) => labelOf("roles", r)),
            passwordRoles: current.passwordRoles.map((r) => labelOf("roles", r)),
          }),
        },
        onSuccess: () => {
          flash(req, "success", t("users.signIn.saved"));
          res.redirect(303, "/admin/users/sign-in");
        },
      });
    },

    /** The page behind an invitation or reset link: a clear answer for a link that is no good, else the form. */
    inviteForm(req: Request, res: Response) {
      const state = inviteState(db, String(req.params.token));
      if ("error" in state) return res.status(410).render("users/invite-invalid", { title: t("users.invite.title"), message: t(`users.invite.${state.error}`) });
      res.render("users/invite", { title: t("users.invite.title"), person: state.user, values: {} });
    },

    async acceptInvite(req: Request, res: Response) {
      const token = String(req.params.token);
      const state = inviteState(db, token);
      if ("error" in state) return res.status(410).render("users/invite-invalid", { title: t("users.invite.title"), message: t(`users.invite.${state.error}`) });
      const parsed = parseForm(newPasswordInput, req.body);
      if (!parsed.ok) return res.status(422).render("users/invite", { title: t("users.invite.title"), person: state.user, values: {}, errors: parsed.errors });
      let user: User;
      try {
        user = acceptInvite(db, token, await hashPassword(parsed.data.password));
      } catch (err) {
        // Spent by a second tab in the meantime: the same answer as a used link.
        if (err instanceof ValidationError) return res.status(410).render("users/invite-invalid", { title: t("users.invite.title"), message: fieldErrorsOf(err).password });
        throw err;
      }
      res.redirect(303, await beginSignIn(req, db, user, { method: "password", next: "/" }));
    },

    /** The signed-in user's own sessions, on the account page's own section. */
    sessions(req: Request, res: Response) {
      const user = currentUser(res);
      res.render("users/sessions", { title: t("users.sessions.title"), sessions: sessionsOf(db, user.id, req.sessionID) });
    },

    endSession(req: Request, res: Response) {
      const user = currentUser(res);
      const key = typeof (req.body as { session?: unknown })?.session === "string" ? (req.body as { session: string }).session : "";
      if (key === "others") {
        const ended = sessionsOf(db, user.id, req.sessionID).filter((s) => !s.current && endSessionByKey(db, user.id, s.key, req.sessionID)).length;
        flash(req, "success", t("users.sessions.endedOthers", { count: ended }));
      } else if (endSessionByKey(db, user.id, key, req.sessionID)) {
        flash(req, "success", t("users.sessions.ended"));
      } else {
        flash(req, "error", t("users.sessions.unknown"));
      }
      res.redirect(303, "/account/sessions");
    },
  };

  function renderSignInSettings(res: Response, status: number, state: FormState) {
    const listOf = (v: unknown) => new Set((Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String));
    const twoFactor = listOf(state.values.twoFactorRoles);
    const password = listOf(state.values.passwordRoles);
    res.status(status).render("users/sign-in-settings", {
      title: t("users.signIn.title"),
      roles: ROLES.map((value) => ({ value, label: labelOf("roles", value), twoFactor: twoFactor.has(value), password: password.has(value) })),
      ssoConfigured: config.ssoConfigured,
      ...state,
    });
  }
}

