// The register as an OpenID Connect client (openid-client): authorization code flow with PKCE, state and nonce.
// What the provider answers is sorted into three kinds of failure, each with its own Dutch message and status:
// the provider cannot be reached (502), it refused the person (401), or its answer does not check out (400).
import * as client from "openid-client";
import type { OidcConfig } from "./oidc.config";

export type OidcFailure = "unavailable" | "refused" | "invalid";

export class OidcError extends Error {
  constructor(
    readonly kind: OidcFailure,
    options: { cause?: unknown } = {},
  ) {
    super(`OpenID Connect: ${kind}`, options);
    this.name = "OidcError";
  }
}

/** What the browser's session keeps between sending the person to the provider and their return. */
export type PendingSignIn = { state: string; nonce: string; codeVerifier: string };

export type IdClaims = Record<string, unknown> & { sub: string };

/** How long the provider may take to answer one request (seconds). */
const TIMEOUT_SECONDS = 10;

/** Sorts an error of openid-client (or of fetch underneath it) into a kind of failure; anything else is a bug. */
export function classify(err: unknown): OidcFailure | null {
  if (unreachable(err)) return "unavailable";
  if (err instanceof client.AuthorizationResponseError) return "refused";
  if (err instanceof client.ResponseBodyError) return err.status >= 500 ? "unavailable" : "invalid";
  if (err instanceof client.ClientError) {
    // A 5xx page or a proxy's HTML instead of JSON: the provider is not answering as itself.
    if (err.code === "OAUTH_RESPONSE_IS_NOT_CONFORM" || err.code === "OAUTH_RESPONSE_IS_NOT_JSON") return "unavailable";
    return "invalid";
  }
  return null;
}

/** A connection that could not be made, broke or timed out, here or as the cause of openid-client's error. */
function unreachable(err: unknown): boolean {
  for (let e = err as Error | undefined, depth = 0; e && depth < 5; e = e.cause as Error | undefined, depth += 1) {
    if (e.name === "TimeoutError" || e.name === "AbortError") return true;
    // fetch() rejects with a TypeError("fetch failed") when the connection cannot be made or breaks (by name:
    // it may come from another realm than this module's TypeError).
    if (e.name === "TypeError" && e.message === "fetch failed") return true;
  }
  return false;
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof OidcError) throw err;
    const kind = classify(err);
    if (!kind) throw err;
    throw new OidcError(kind, { cause: err });
  }
}

/**
 * One client per app. The provider's metadata (its discovery document) is fetched on first use and kept; a failed
 * fetch is not kept, so the next sign-in tries again once the provider is back.
 */
export function createOidcClient(config: OidcConfig, redirectUri: string) {
  let discovered: Promise<client.Configuration> | undefined;
  const insecure = new URL(config.issuer).protocol === "http:";

  function configuration(): Promise<client.Configuration> {
    discovered ??= client
      .discovery(new URL(config.issuer), config.clientId, { client_secret: config.clientSecret, redirect_uris: [redirectUri] }, undefined, {
        timeout: TIMEOUT_SECONDS,
        // Only for an issuer on this machine outside production (see oidc.config.ts).
        execute: insecure ? [client.allowInsecureRequests] : [],
      })
      .catch((err: unknown) => {
        discovered = undefined;
        // Whatever went wrong (no answer, an error page, another issuer in the document), the provider cannot be used.
        throw classify(err) ? new OidcError("unavailable", { cause: err }) : err;
      });
    return discovered;
  }

  return {
    /** Where to send the browser, and what its session must keep for the return. */
    async authorizationRequest(): Promise<{ url: string; pending: PendingSignIn }> {
      return guarded(async () => {
        const server = await configuration();
        const pending = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
        const parameters: Record<string, string> = {
          redirect_uri: redirectUri,
          scope: "openid email profile",
          response_type: "code",
          state: pending.state,
          nonce: pending.nonce,
          code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
          code_challenge_method: "S256",
        };
        // Google shows only the accounts of the board's Workspace domain (the ID token's hd claim is checked too).
        if (config.hostedDomain) parameters.hd = config.hostedDomain;
        return { url: client.buildAuthorizationUrl(server, parameters).href, pending };
      });
    },

    /**
     * Checks the provider's answer on the callback URL against the session (state), redeems the code with the PKCE
     * verifier, and checks the ID token (signature, issuer, audience, expiry, nonce). Returns its claims.
     */
    async completeAuthorization(callbackUrl: URL, pending: PendingSignIn): Promise<IdClaims> {
      return guarded(async () => {
        const server = await configuration();
        const tokens = await client.authorizationCodeGrant(server, callbackUrl, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        if (!claims) throw new OidcError("invalid");
        return claims as IdClaims;
      });
    },
  };
}

export type OidcClient = ReturnType<typeof createOidcClient>;
