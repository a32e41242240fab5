import { z } from "zod";
import { field } from "../http/validation";
import { t } from "../i18n";

export const loginInput = z.object({
  email: z.preprocess((v) => (typeof v === "string" ? v.trim().toLowerCase() : v), z.string().min(1).max(254)),
  password: z.string().min(1).max(1024),
  next: field.optionalText(500),
});

export const passwordChangeInput = z
  .object({
    currentPassword: z.string().min(1).max(1024),
    newPassword: z.string().min(12).max(1024),
    confirmPassword: z.string().min(1).max(1024),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: t("account.mismatch") });

/** Only a path on this site is a valid place to go after log-in (no open redirect to //evil.example). */
export function safeNextUrl(next: string | undefined): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}
