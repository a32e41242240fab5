// The one place that reads process.env: every setting is parsed and checked here, once, at start.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { z } from "zod";

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
    LOG_LEVEL: z.enum(["silent", "error", "info"]).default("info"),
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
  logLevel: "silent" | "error" | "info";
};

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
  };
}

function readEnvironment(): Record<string, string | undefined> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  return process.env;
}
