import type { NextFunction, Request, Response } from "express";
import "express-session";
import type { Db } from "../db/client";
import { currentUser } from "../http/auth";
import { ConflictError, ForbiddenError, ValidationError } from "../http/errors";
import { flash } from "../http/flash";
import { parseForm } from "../http/validation";
import { t } from "../i18n";
import { findUserById } from "../users/users.repository";
import { safeNextUrl } from "./auth.schemas";
import { completeSignIn } from "./sign-in";
import { getSignInSettings, twoFactorRequired } from "./sign-in-settings";
import { codeInput } from "./two-factor.schemas";
import {
  disableTwoFactor,
  enableTwoFactor,
  newTotpSecret,
  PENDING_MAX_FAILURES,
  PENDING_MINUTES,
  regenerateRecoveryCodes,
  remainingRecoveryCodes,
  setUpDetails,
  signInWithSecondFactor,
} from "./two-factor.service";

declare module "express-session" {
  interface SessionData {
    /** A set-up not yet confirmed: its secret lives here only, until a code proves the app has it. */
    twoFactorSetup?: { userId: number; secret: string };
    /** Wrong codes tried during the pending sign-in (`twoFactor`). */
    twoFactorFailures?: number;
  }
}

/** Which form on the account page a message belongs to. */
type AccountForm = "setup" | "regenerate" | "disable";
type AccountState = { errors?: Partial<Record<AccountForm, string>>; failed?: string };

const messageOf = (err: ValidationError) => err.fieldErrors.code?.[0] ?? err.message;

export function twoFactorHandlers(db: Db) {
  /** The secret of this session's set-up, made on first sight. */
  function setUpSecret(req: Request, userId: number): string {
    if (req.session.twoFactorSetup?.userId !== userId) req.session.twoFactorSetup = { userId, secret: newTotpSecret() };
    return req.session.twoFactorSetup.secret;
  }

  async function renderAccount(req: Request, res: Response, status: number, state: AccountState = {}) {
    const me = currentUser(res);
    const user = findUserById(db, me.id)!;
    const compulsory = twoFactorRequired(getSignInSettings(db), user.role);
    const view = user.totpEnabledAt
      ? { manage: { since: user.totpEnabledAt, remaining: remainingRecoveryCodes(db, user.id), compulsory } }
      : { setup: { ...(await setUpDetails(setUpSecret(req, user.id), user, res.locals.boardName as string | undefined)), compulsory } };
    res.status(status).render("auth/two-factor", { title: t("twoFactor.title"), ...view, errors: state.errors, failed: state.failed });
  }

  function renderCodes(res: Response, codes: string[], message: string) {
    // Shown on this one response only: never cached, never in a redirect or the session.
    res.setHeader("Cache-Control", "no-store");
    res.status(201).render("auth/two-factor-codes", { title: t("twoFactor.codes.title"), codes, message });
  }

  /** The pending sign-in, if still fresh; a stale one is dropped, and the visitor goes back to the password. */
  function pendingSignIn(req: Request, res: Response) {
    const pending = req.session.twoFactor;
    if (pending && pending.startedAt + PENDING_MINUTES * 60 * 1000 > Date.now()) return pending;
    if (pending) {
      dropPending(req);
      flash(req, "error", t("twoFactor.login.expired"));
    }
    res.redirect(303, "/login");
    return null;
  }

  function dropPending(req: Request) {
    delete req.session.twoFactor;
    delete req.session.twoFactorFailures;
  }

  const renderLogin = (res: Response, status: number, state: { error?: string; failed?: string } = {}) =>
    res.status(status).render("auth/two-factor-login", { title: t("twoFactor.login.title"), ...state });

  return {
    async show(req: Request, res: Response) {
      await renderAccount(req, res, 200);
    },

    async confirm(req: Request, res: Response) {
      const user = currentUser(res);
      if (user.twoFactorEnabled) {
        flash(req, "info", t("twoFactor.errors.alreadyOn"));
        return res.redirect(303, "/account/two-factor");
      }
      const parsed = parseForm(codeInput, req.body);
      if (!parsed.ok) return renderAccount(req, res, 422, { errors: { setup: parsed.errors.code } });
      const setup = req.session.twoFactorSetup;
      // No secret shown in this session (it ended, or the page came from another one): start over with a new one.
      if (setup?.userId !== user.id) return renderAccount(req, res, 422, { errors: { setup: t("twoFactor.errors.setupExpired") } });
      let codes: string[];
      try {
        codes = enableTwoFactor(db, user, setup.secret, parsed.data.code);
      } catch (err) {
        if (err instanceof ValidationError) return renderAccount(req, res, 422, { errors: { setup: messageOf(err) } });
        if (err instanceof ConflictError) {
          flash(req, "info", t("twoFactor.errors.alreadyOn"));
          return res.redirect(303, "/account/two-factor");
        }
        throw err;
      }
      delete req.session.twoFactorSetup;
      renderCodes(res, codes, t("twoFactor.codes.enabled"));
    },

    async regenerate(req: Request, res: Response) {
      const parsed = parseForm(codeInput, req.body);
      if (!parsed.ok) return renderAccount(req, res, 422, { errors: { regenerate: parsed.errors.code } });
      let codes: string[];
      try {
        codes = regenerateRecoveryCodes(db, currentUser(res), parsed.data.code);
      } catch (err) {
        if (err instanceof ValidationError) return renderAccount(req, res, 422, { errors: { regenerate: messageOf(err) } });
        throw err;
      }
      renderCodes(res, codes, t("twoFactor.codes.regenerated"));
    },

    async disable(req: Request, res: Response) {
      const parsed = parseForm(codeInput, req.body);
      if (!parsed.ok) return renderAccount(req, res, 422, { errors: { disable: parsed.errors.code } });
      try {
        disableTwoFactor(db, currentUser(res), parsed.data.code);
      } catch (err) {
        if (err instanceof ValidationError) return renderAccount(req, res, 422, { errors: { disable: messageOf(err) } });
        if (err instanceof ForbiddenError) return renderAccount(req, res, 403, { failed: t("twoFactor.errors.compulsory") });
        throw err;
      }
      flash(req, "success", t("twoFactor.disabled"));
      res.redirect(303, "/account");
    },

    loginForm(req: Request, res: Response) {
      if (res.locals.user) return res.redirect(303, "/");
      if (!pendingSignIn(req, res)) return;
      renderLogin(res, 200);
    },

    async login(req: Request, res: Response) {
      if (res.locals.user) return res.redirect(303, "/");
      const pending = pendingSignIn(req, res);
      if (!pending) return;
      const parsed = parseForm(codeInput, req.body);
      if (!parsed.ok) return renderLogin(res, 422, { error: parsed.errors.code });
      let result: ReturnType<typeof signInWithSecondFactor>;
      try {
        result = signInWithSecondFactor(db, pending.userId, parsed.data.code);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        const failures = (req.session.twoFactorFailures ?? 0) + 1;
        if (failures < PENDING_MAX_FAILURES) {
          req.session.twoFactorFailures = failures;
          return renderLogin(res, 401, { error: messageOf(err) });
        }
        // Enough guesses on this password: the password is asked again (and the throttles keep counting).
        dropPending(req);
        return res.status(401).render("auth/login", {
          title: t("login.title"),
          values: { next: pending.next },
          failed: t("twoFactor.login.tooManyFailures"),
        });
      }
      delete req.session.twoFactorFailures;
      if (result.method === "recovery") flash(req, "info", t("twoFactor.login.recoveryUsed", { count: result.remaining }));
      res.redirect(303, await completeSignIn(req, db, result.user, { method: "password", next: safeNextUrl(pending.next) }));
    },

    /** The throttles' answer (429): the form the code came from, with the reason. */
    throttled(req: Request, res: Response, next: NextFunction) {
      if (req.path.startsWith("/login")) return renderLogin(res, 429, { failed: t("twoFactor.login.throttled") });
      renderAccount(req, res, 429, { failed: t("twoFactor.errors.throttled") }).catch(next);
    },
  };
}
