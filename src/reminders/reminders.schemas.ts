import { z } from "zod";
import { DIGEST_FREQUENCIES } from "../db/enums";
import { field } from "../http/validation";

/** The digest frequency, from /reminders or /account: `back` says which page to return to (only these two). */
export const frequencyInput = z.object({
  digestFrequency: z.enum(DIGEST_FREQUENCIES),
  version: field.version(),
  back: z.enum(["/account", "/reminders"]).catch("/reminders"),
});
