import { z } from "zod";
import { ROLES } from "../db/enums";
import { t } from "../i18n";
import { field } from "../http/validation";

const role = z.enum(ROLES, { error: () => t("users.errors.role") });

export const userInput = z.object({
  name: field.text(200).pipe(z.string().trim().min(1, { error: () => t("validation.required") })),
  email: field.email(),
  role,
  schoolIds: field.idList(),
});
export type UserInput = z.infer<typeof userInput>;

export const userUpdate = userInput.extend({ version: field.version() });

export const userListQuery = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  role: role.optional().catch(undefined),
  status: z.enum(["active", "invited", "deactivated"]).optional().catch(undefined),
});
export type UserListQuery = z.infer<typeof userListQuery>;

/** A new password, typed twice; the same rules as the account page. */
export const newPasswordInput = z
  .object({
    password: z.string({ error: () => t("validation.required") }).min(12, { error: () => t("users.invite.tooShort") }).max(1024),
    confirmPassword: z.string({ error: () => t("validation.required") }),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], error: () => t("users.invite.mismatch") });

const roleList = z.preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(role));
export const signInSettingsInput = z.object({ twoFactorRoles: roleList, passwordRoles: roleList, version: field.version() });
