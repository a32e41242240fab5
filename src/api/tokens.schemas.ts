import { z } from "zod";
import { field } from "../http/validation";

export const tokenInput = z.object({
  name: field.text(100),
  expiresOn: field.optionalDate(),
});
export type TokenInput = z.infer<typeof tokenInput>;
