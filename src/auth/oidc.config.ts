// The settings of single sign-on through the board's OpenID provider (OIDC_* in the environment), checked once
// at start by loadConfig (src/config.ts), which hands over the environment it read.
import { z } from "zod";
import { ROLES, type Role } from "../db/enums";

export type OidcConfig = {
  /** The provider's issuer identifier, exactly as its discovery document states it. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The provider's name on the log-in button ("Microsoft", "Google"); without it the button speaks of "your organisation". */
  name?: string;
  /** The claim whose values decide the role (Entra ID: `groups`); with `roleMap`, applied at every sign-in. */
  roleClaim?: string;
  /** Claim value → role. A person whose values match none keeps the role the admin gave. */
  roleMap: Record<string, Role>;
  /** Google Workspace: only accounts of this domain (the `hd` claim). */
  hostedDomain?: string;
  /** The claim with the BRIN of the school a school user belongs to (Entree Federatie through a broker). */
  schoolClaim?: string;
  /**
   * Microsoft Entra ID: without an `email` claim, `preferred_username` (or `upn`) is the address. Only there: it is
   * the UPN the tenant's admins set, while elsewhere a username may be whatever the person typed.
   */
  emailFromUsername?: boolean;
};

const optional = (schema: z.ZodType<string>) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());
const claimName = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9_:./-]+$/, "alleen letters, cijfers en _:./-");

const oidcEnvironment = z
  .object({
    OIDC_ISSUER: optional(z.url({ protocol: /^https?$/ })),
    OIDC_CLIENT_ID: optional(z.string().trim().min(1).max(300)),
    OIDC_CLIENT_SECRET: optional(z.string().min(1).max(1000)),
    OIDC_NAME: optional(z.string().trim().min(1).max(60)),
    OIDC_ROLE_CLAIM: optional(claimName),
    OIDC_ROLE_MAP: optional(z.string().max(5000)),
    OIDC_HOSTED_DOMAIN: optional(z.string().trim().toLowerCase().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, "een domeinnaam, zoals school.nl")),
    OIDC_SCHOOL_CLAIM: optional(claimName),
  })
  .superRefine((c, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    const anySet = Object.entries(c).some(([key, value]) => key !== "OIDC_ISSUER" && value !== undefined);
    if (!c.OIDC_ISSUER) {
      if (anySet) issue("OIDC_ISSUER", "verplicht zodra een andere OIDC_-instelling is gezet");
      return;
    }
    if (!c.OIDC_CLIENT_ID) issue("OIDC_CLIENT_ID", "verplicht met OIDC_ISSUER");
    if (!c.OIDC_CLIENT_SECRET) issue("OIDC_CLIENT_SECRET", "verplicht met OIDC_ISSUER");
    if (Boolean(c.OIDC_ROLE_CLAIM) !== Boolean(c.OIDC_ROLE_MAP)) issue("OIDC_ROLE_MAP", "OIDC_ROLE_CLAIM en OIDC_ROLE_MAP horen bij elkaar");
    if (c.OIDC_ROLE_MAP) {
      const parsed = parseRoleMap(c.OIDC_ROLE_MAP);
      if (typeof parsed === "string") issue("OIDC_ROLE_MAP", parsed);
    }
  });

/**
 * "value=role,value=role": the value is everything before the last "=" (group ids and names may hold one).
 * Returns the map, or what is wrong with it.
 */
export function parseRoleMap(text: string): Record<string, Role> | string {
  const map: Record<string, Role> = {};
  for (const entry of text.split(",").map((e) => e.trim()).filter(Boolean)) {
    const at = entry.lastIndexOf("=");
    const value = entry.slice(0, Math.max(at, 0)).trim();
    const role = entry.slice(at + 1).trim();
    if (at <= 0 || !value) return `"${entry}" is geen waarde=rol`;
    if (!(ROLES as readonly string[]).includes(role)) return `"${role}" is geen rol (${ROLES.join(", ")})`;
    if (map[value] && map[value] !== role) return `"${value}" staat er twee keer in, met verschillende rollen`;
    map[value] = role as Role;
  }
  return Object.keys(map).length ? map : "geen enkele waarde=rol";
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** Microsoft Entra ID's sign-in hosts (worldwide, US government, China). */
const ENTRA_HOSTS = new Set(["login.microsoftonline.com", "login.microsoftonline.us", "login.partner.microsoftonline.cn"]);

/**
 * The OIDC settings, or undefined when OIDC_ISSUER is not set (no single sign-on). The issuer must speak HTTPS;
 * plain HTTP only to this machine and never in production (a provider run locally for trying things out).
 */
export function parseOidcConfig(env: Record<string, string | undefined>, nodeEnv: string): OidcConfig | undefined {
  const parsed = oidcEnvironment.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  const c = parsed.data;
  if (c?.OIDC_ISSUER) {
    const url = new URL(c.OIDC_ISSUER);
    if (url.protocol === "http:" && (nodeEnv === "production" || !LOOPBACK.has(url.hostname))) {
      problems.push("  OIDC_ISSUER: moet https:// zijn");
    }
  }
  if (problems.length || !c) throw new Error(`Ongeldige configuratie:\n${problems.join("\n")}`);
  if (!c.OIDC_ISSUER) return undefined;
  return {
    issuer: c.OIDC_ISSUER,
    clientId: c.OIDC_CLIENT_ID!,
    clientSecret: c.OIDC_CLIENT_SECRET!,
    name: c.OIDC_NAME,
    roleClaim: c.OIDC_ROLE_CLAIM,
    roleMap: c.OIDC_ROLE_MAP ? (parseRoleMap(c.OIDC_ROLE_MAP) as Record<string, Role>) : {},
    hostedDomain: c.OIDC_HOSTED_DOMAIN,
    schoolClaim: c.OIDC_SCHOOL_CLAIM,
    emailFromUsername: ENTRA_HOSTS.has(new URL(c.OIDC_ISSUER).hostname),
  };
}
