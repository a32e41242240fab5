// The one place that reads process.env: every setting is parsed and checked here, once, at start.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { z } from "zod";
import { parseOidcConfig, type OidcConfig } from "./auth/oidc.config";

const flag = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .default("false")
  .transform((v) => v === "true" || v === "1" || v === "yes");
const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);

const configSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default("127.0.0.1"),
    DATABASE_PATH: z.string().min(1).default("data/ibp-register.sqlite"),
    // Lets the server make a new register in a folder that does not exist yet (a mistyped path is refused otherwise).
    CREATE_REGISTER: flag,
    DOCUMENTS_DIR: z.string().min(1).default("data/documents"),
    SESSION_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32).optional()),
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
    SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 7).default(12),
    COOKIE_SECURE: flag,
    TRUST_PROXY: flag,
    ADMIN_EMAIL: z.preprocess(emptyAsUndefined, z.email().optional()),
    ADMIN_PASSWORD: z.preprocess(emptyAsUndefined, z.string().min(12).optional()),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
    UPLOAD_MAX_MB: z.coerce.number().min(0.001).max(200).default(20),
    LOG_LEVEL: z.enum(["silent", "error", "warn", "info"]).default("info"),
    // A request that takes this long or longer is logged at warn (0: every request).
    LOG_SLOW_MS: z.coerce.number().int().min(0).max(10 * 60 * 1000).default(1000),
    // Mail (the reminder digest): without SMTP_HOST no mail is sent at all.
    SMTP_HOST: z.preprocess(emptyAsUndefined, z.string().min(1).max(255).optional()),
    SMTP_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).optional()),
    SMTP_SECURE: flag,
    SMTP_USER: z.preprocess(emptyAsUndefined, z.string().max(255).optional()),
    SMTP_PASSWORD: z.preprocess(emptyAsUndefined, z.string().max(1024).optional()),
    MAIL_FROM: z.preprocess(emptyAsUndefined, z.string().min(3).max(300).default("IBP-register <ibp-register@localhost>")),
    PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
    DIGEST_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(60),
  })
  .refine((c) => c.NODE_ENV !== "production" || c.SESSION_SECRET !== undefined, {
    message: "SESSION_SECRET (minstens 32 tekens) is verplicht in productie",
    path: ["SESSION_SECRET"],
  });

export type Config = {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  databasePath: string;
  /** CREATE_REGISTER: the server may create a new register where DATABASE_PATH's folder does not exist yet. */
  createRegister: boolean;
  documentsDir: string;
  sessionSecret: string;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  cookieSecure: boolean;
  trustProxy: boolean;
  adminEmail?: string;
  adminPassword?: string;
  loginMaxFailures: number;
  loginWindowMinutes: number;
  uploadMaxBytes: number;
  /** LOG_LEVEL: warn logs slow requests and errors only; info also one line per request. */
  logLevel: "silent" | "error" | "warn" | "info";
  logSlowMs: number;
  /** SMTP for the reminder digest; undefined when SMTP_HOST is not set: then no mail is sent. */
  smtp?: SmtpConfig;
  /** The address people reach the register on, for links in e-mail (no trailing slash). */
  publicUrl: string;
  digestIntervalMinutes: number;
  /** Single sign-on through the board's OpenID provider (OIDC_*); undefined when OIDC_ISSUER is not set. */
  oidc?: OidcConfig;
};

export type SmtpConfig = { host: string; port: number; secure: boolean; user?: string; password?: string; from: string };

/** Parses the environment (by default process.env, after reading ./.env when there is one). */
export function loadConfig(env: Record<string, string | undefined> = readEnvironment()): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Ongeldige configuratie:\n${lines.join("\n")}`);
  }
  const c = parsed.data;
  return {
    env: c.NODE_ENV,
    port: c.PORT,
    host: c.HOST,
    databasePath: c.DATABASE_PATH,
    createRegister: c.CREATE_REGISTER,
    documentsDir: c.DOCUMENTS_DIR,
    // Outside production a missing secret is generated per start: sessions then end at a restart.
    sessionSecret: c.SESSION_SECRET ?? randomBytes(32).toString("hex"),
    sessionIdleMinutes: c.SESSION_IDLE_MINUTES,
    sessionMaxHours: c.SESSION_MAX_HOURS,
    cookieSecure: c.COOKIE_SECURE,
    trustProxy: c.TRUST_PROXY,
    adminEmail: c.ADMIN_EMAIL?.toLowerCase(),
    adminPassword: c.ADMIN_PASSWORD,
    loginMaxFailures: c.LOGIN_MAX_FAILURES,
    loginWindowMinutes: c.LOGIN_WINDOW_MINUTES,
    uploadMaxBytes: Math.round(c.UPLOAD_MAX_MB * 1024 * 1024),
    logLevel: c.LOG_LEVEL,
    logSlowMs: c.LOG_SLOW_MS,
    smtp: c.SMTP_HOST
      ? {
          host: c.SMTP_HOST,
          // 465 is SMTP over TLS from the first byte; 587 is submission with STARTTLS.
          port: c.SMTP_PORT ?? (c.SMTP_SECURE ? 465 : 587),
          secure: c.SMTP_SECURE,
          user: c.SMTP_USER,
          password: c.SMTP_PASSWORD,
          from: c.MAIL_FROM,
        }
      : undefined,
    publicUrl: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, ""),
    digestIntervalMinutes: c.DIGEST_INTERVAL_MINUTES,
    oidc: parseOidcConfig(env, c.NODE_ENV),
  };
}

function readEnvironment(): Record<string, string | undefined> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  return process.env;
}
