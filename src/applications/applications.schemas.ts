import { z } from "zod";
import { LIFECYCLES, TRANSFER_MECHANISMS } from "../db/enums";
import { flagParam, listQuery, optionalEnum, optionalId } from "../http/listing";
import { field, whenValid } from "../http/validation";
import { t } from "../i18n";

const eeaChoice = z.enum(["ja", "nee", "onbekend"]).catch("onbekend");

export const applicationInput = z
  .object({
    name: field.text(200),
    supplierId: z.coerce.number({ error: () => t("applications.chooseSupplier") }).int().positive({ error: () => t("applications.chooseSupplier") }),
    description: field.optionalText(5000),
    goal: field.optionalText(2000),
    lifecycle: z.enum(LIFECYCLES),
    functionalOwner: field.optionalText(200),
    usedByPupils: field.checkbox(),
    usedByStaff: field.checkbox(),
    usedByParents: field.checkbox(),
    processesPersonalData: field.checkbox(),
    dataLocationCountry: field.optionalText(100),
    dataInEea: eeaChoice,
    transferMechanism: z.preprocess((v) => (v === "" ? undefined : v), z.enum(TRANSFER_MECHANISMS).optional()),
    costOneTimeCents: field.optionalEuros(),
    costLicencePerYearCents: field.optionalEuros(),
    costImplementationCents: field.optionalEuros(),
    functionIds: field.idList(),
    schoolIds: field.idList(),
  })
  .refine((v) => v.dataInEea !== "nee" || v.transferMechanism !== undefined, {
    path: ["transferMechanism"],
    message: t("applications.transferRequired"),
    when: whenValid("dataInEea", "transferMechanism"),
  });
export type ApplicationInput = z.infer<typeof applicationInput>;

export const applicationUpdate = applicationInput.and(z.object({ version: field.version() }));

/** The data an application processes: per category the subjects ticked, one purpose and (for "other") what exactly. */
export const applicationDataInput = z.object({
  version: field.version(),
  rows: field.rowsById(
    z.object({
      subjects: field.idList(),
      purpose: field.optionalText(500),
      detail: field.optionalText(500),
    }),
  ),
});
export type ApplicationDataInput = z.infer<typeof applicationDataInput>;

/** Per school: in use or not, since/until and the local contact. */
export const applicationSchoolsInput = z.object({
  version: field.version(),
  rows: field.rowsById(
    z
      .object({
        used: field.checkbox(),
        since: field.optionalDate(),
        until: field.optionalDate(),
        localContact: field.optionalText(200),
      })
      .refine((r) => !r.since || !r.until || r.until >= r.since, { path: ["until"], message: t("validation.endBeforeStart") }),
  ),
});
export type ApplicationSchoolsInput = z.infer<typeof applicationSchoolsInput>;

export const APPLICATION_SORTS = ["name", "supplier", "lifecycle", "schools", "updated"] as const;
export const applicationListQuery = listQuery(APPLICATION_SORTS, "name").extend({
  school: optionalId(),
  supplier: optionalId(),
  lifecycle: optionalEnum(LIFECYCLES),
  domain: optionalId(),
  category: optionalId(),
  personalData: optionalEnum(["ja", "nee"] as const),
  status: optionalEnum(["red", "orange", "green", "grey"] as const),
  archived: flagParam(),
});
export type ApplicationListQuery = z.infer<typeof applicationListQuery>;
