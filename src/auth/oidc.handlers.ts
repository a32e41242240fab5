import type { NextFunction, Request, Response } from "express";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { NotFoundError } from "../http/errors";
import { t } from "../i18n";
import { safeNextUrl } from "./auth.schemas";
import { createOidcClient, OidcError, type PendingSignIn } from "./oidc.client";
import { resolveSsoUser, SsoRefusal } from "./oidc.service";
import { beginSignIn, save } from "./sign-in";

declare module "express-session" {
  interface SessionData {
    /** Sent to the OpenID provider, not back yet: what its answer is checked against (used once). */
    oidc?: PendingSignIn & { next: string; startedAt: number };
  }
}

/** How long the person may take at the provider (ms). */
const PENDING_MS = 15 * 60 * 1000;

export const SSO_CALLBACK_PATH = "/login/sso/callback";

const FAILURE_STATUS = { unavailable: 502, refused: 401, invalid: 400 } as const;

type Logger = { error: (...args: unknown[]) => void };

export function oidcHandlers(db: Db, config: Config, logger: Logger) {
  const oidc = config.oidc;
  const redirectUri = `${config.publicUrl}${SSO_CALLBACK_PATH}`;
  const client = oidc ? createOidcClient(oidc, redirectUri) : undefined;

  /** The provider failed or answered no: a failure's cause goes to the log, for whoever sets single sign-on up. */
  const providerFailed = (res: Response, err: OidcError, next: string) => {
    if (err.kind !== "refused") logger.error(`Single sign-on: ${err.kind}`, err.cause);
    return refuse(res, FAILURE_STATUS[err.kind], t(`sso.failed.${err.kind}`), next);
  };

  /** The log-in page again, with why this attempt failed; the session holds no user. */
  const refuse = (res: Response, status: number, failed: string, next?: string) =>
    res.status(status).render("auth/login", { title: t("login.title"), values: { next: next === "/" ? undefined : next }, failed });

  return {
    /** On the log-in pages: the button to the board's provider, when single sign-on is set up. */
    offerSingleSignOn(req: Request, res: Response, next: NextFunction) {
      if (oidc) {
        const after = (req.body as { next?: unknown } | undefined)?.next ?? req.query.next;
        const target = typeof after === "string" ? safeNextUrl(after) : "/";
        res.locals.sso = {
          label: oidc.name ? t("sso.buttonWith", { name: oidc.name }) : t("sso.title"),
          href: target === "/" ? "/login/sso" : `/login/sso?${new URLSearchParams({ next: target })}`,
        };
      }
      next();
    },

    /** Sends the browser to the provider; state, nonce and PKCE verifier stay in this browser's session. */
    async start(req: Request, res: Response) {
      if (!client) throw new NotFoundError();
      if (res.locals.user) return res.redirect(303, "/");
      const next = safeNextUrl(typeof req.query.next === "string" ? req.query.next : undefined);
      try {
        const { url, pending } = await client.authorizationRequest();
        req.session.oidc = { ...pending, next, startedAt: Date.now() };
        await save(req);
        res.redirect(303, url);
      } catch (err) {
        if (err instanceof OidcError) return providerFailed(res, err, next);
        throw err;
      }
    },

    /** The provider's answer: checked, then the person is signed in if the register knows them. */
    async callback(req: Request, res: Response) {
      if (!client || !oidc) throw new NotFoundError();
      const pending = req.session.oidc;
      // Good once: a replayed or second answer finds nothing to check against.
      if (pending) {
        delete req.session.oidc;
        await save(req);
      }
      if (!pending || pending.startedAt + PENDING_MS < Date.now()) return refuse(res, 400, t("sso.failed.expired"));
      const url = new URL(redirectUri);
      url.search = new URL(req.originalUrl, "http://callback").search;
      try {
        const claims = await client.completeAuthorization(url, pending);
        const user = resolveSsoUser(db, oidc, claims);
        res.redirect(303, await beginSignIn(req, db, user, { method: "sso", next: pending.next }));
      } catch (err) {
        if (err instanceof OidcError) return providerFailed(res, err, pending.next);
        if (err instanceof SsoRefusal) return refuse(res, 403, t(`sso.failed.${err.reason}`, err.params), pending.next);
        throw err;
      }
    },
  };
}
