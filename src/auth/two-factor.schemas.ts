import { z } from "zod";
import { t } from "../i18n";

/** A code from the authenticator app (6 digits, spaces allowed) or a recovery code (xxxx-xxxx-xxxx-xxxx). */
export const codeInput = z.object({
  code: z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined),
    z.string({ error: () => t("twoFactor.errors.code") }).max(64),
  ),
});
