import { z } from "zod";
import { ASPECTS, LEVELS } from "../db/enums";
import { optionalEnum, optionalId } from "../http/listing";
import { field } from "../http/validation";

// The overviews are links people share and edit: a filter value that does not parse means "no filter".

export const coverageQuery = z.object({
  school: optionalId(),
  gaps: field.checkbox().catch(false),
});
export type CoverageQuery = z.infer<typeof coverageQuery>;

export const bivQuery = z.object({
  aspect: optionalEnum(ASPECTS),
  level: optionalEnum(LEVELS),
});
export type BivQuery = z.infer<typeof bivQuery>;

export const rationalisationQuery = z.object({
  duplicates: field.checkbox().catch(false),
});
export type RationalisationQuery = z.infer<typeof rationalisationQuery>;
