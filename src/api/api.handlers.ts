// The API's handlers: parse (strict zod: 400 per field), check the school rules, call the features'
// repositories and services (so rules and audit are those of the browser), answer JSON.
import type { Request, Response } from "express";
import type { z } from "zod";
import { agreementCreate } from "../agreements/agreements.schemas";
import { countAgreements, findAgreementById, isAgreementVisible, listAgreements } from "../agreements/agreements.repository";
import { createAgreement } from "../agreements/agreements.service";
import { agreementsOf, countApplications, findApplicationById, functionIdsOf, isUsedBySchools, listApplications, schoolUsesOf } from "../applications/applications.repository";
import { applicationInput, type ApplicationListQuery } from "../applications/applications.schemas";
import { createApplication } from "../applications/applications.service";
import { actorOf } from "../audit/audit.service";
import { currentClassification } from "../classifications/classifications.repository";
import { classificationInput } from "../classifications/classifications.schemas";
import { classifyApplication } from "../classifications/classifications.service";
import { countByStatus, evaluateApplications } from "../compliance/compliance.service";
import type { Db } from "../db/client";
import { currentUser } from "../http/auth";
import { ConflictError, ValidationError } from "../http/errors";
import type { CurrentUser } from "../http/policy";
import { t } from "../i18n";
import { ApiError, badBody, badQuery } from "./api.errors";
import { assertAgreementReferences, assertApplicationExists, assertApplicationReferences, confidentialityTooLow } from "./api.rules";
import { updateApplicationAndSchools } from "./api.service";
import {
  presentAgreement,
  presentApplication,
  presentCategory,
  presentClassification,
  presentFindings,
  presentForaFunction,
  presentSchool,
  presentStatus,
  presentSubject,
  presentSupplier,
} from "./api.present";
import {
  agreementsByIds,
  applicationIdsOfSchools,
  applicationsByIds,
  dataOfApplication,
  findClassification,
  findSchool,
  findSupplier,
  functionsOfApplication,
  listCategories,
  listClassifications,
  listForaFunctions,
  listSchools,
  listSubjects,
  listSuppliers,
  pageOf,
  type Page,
} from "./api.repository";
import {
  agreementCreateBody,
  agreementsQuery,
  applicationCreateBody,
  applicationPatchBody,
  applicationsQuery,
  classificationCreateBody,
  classificationsQuery,
  DEFAULT_PER_PAGE,
  idParam,
  noQuery,
  referenceQuery,
  schoolsQuery,
  suppliersQuery,
  type AgreementBody,
  type ApplicationBody,
} from "./api.schemas";
import { openApiDocument } from "./openapi";

// reportInput: the issues keep the value sent, so a wrong type can be told from a missing field.
function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value ?? {}, { reportInput: true });
  if (!result.success) throw badQuery(result.error);
  return result.data;
}

function parseBody<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw badBody(result.error);
  return result.data;
}

/**
 * The feature's form schema, exactly as for the browser, on values the API's schema already accepted. It should
 * never refuse them (tests/api-fuzz.test.ts looks for a disagreement); if it does, the field is named.
 */
function checkRules<S extends z.ZodType>(schema: S, values: Record<string, unknown>): z.infer<S> {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const fields: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join(".") || "_body";
    (fields[field] ??= []).push(t("api.rules.rule", { field }));
  }
  throw new ValidationError(fields);
}

// ETags carry a record's version: `"7"`. They are compared strongly (RFC 9110 §8.8.3): a weak W/"7" never matches.
const etagOf = (version: number) => `"${version}"`;

/** If-Match holds when it is "*" or lists the current entity tag. */
function ifMatchHolds(header: string, version: number): boolean {
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim() === etagOf(version));
}

function jsonBody(req: Request): unknown {
  if (!req.is("application/json")) throw new ApiError(415, t("api.errors.notJson"));
  return req.body;
}

const envelope = <T>(data: T[], page: Page, total: number) => ({ data, page: page.page, perPage: page.perPage, total });
const isSchoolUser = (user: CurrentUser) => user.role === "school";
const forbidden = () => new ApiError(403, t("api.errors.forbidden"));
const notFound = () => new ApiError(404, t("api.errors.notFound"));

function idOf(req: Request): number {
  const parsed = idParam.safeParse(req.params);
  if (!parsed.success) throw notFound();
  return parsed.data.id;
}

/** An application's writable fields as the form has them (the API's JSON → the feature's form values). */
function applicationForm(body: ApplicationBody): Record<string, unknown> {
  return {
    name: body.name,
    supplierId: body.supplierId,
    description: body.description ?? undefined,
    goal: body.goal ?? undefined,
    lifecycle: body.lifecycle ?? "in_gebruik",
    functionalOwner: body.functionalOwner ?? undefined,
    usedByPupils: body.usedByPupils ?? false,
    usedByStaff: body.usedByStaff ?? false,
    usedByParents: body.usedByParents ?? false,
    processesPersonalData: body.processesPersonalData ?? true,
    dataLocationCountry: body.dataLocationCountry ?? undefined,
    dataInEea: body.dataInEea === undefined || body.dataInEea === null ? "onbekend" : body.dataInEea ? "ja" : "nee",
    transferMechanism: body.transferMechanism ?? undefined,
    costOneTimeCents: body.costOneTimeCents ?? undefined,
    costLicencePerYearCents: body.costLicencePerYearCents ?? undefined,
    costImplementationCents: body.costImplementationCents ?? undefined,
    functionIds: body.functionIds ?? [],
    schoolIds: body.schoolIds ?? [],
  };
}

function agreementForm(body: AgreementBody): Record<string, unknown> {
  const { subProcessors, ...rest } = body;
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) values[key] = value === null ? undefined : value;
  return {
    ...values,
    resellerReasons: body.resellerReasons ?? {},
    signedViaPortal: body.signedViaPortal ?? false,
    applicationIds: body.applicationIds ?? [],
    dataCategoryIds: body.dataCategoryIds ?? [],
    dataSubjectIds: body.dataSubjectIds ?? [],
    subProcessors: (subProcessors ?? []).map((p) => ({ name: p.name, service: p.service ?? undefined, country: p.country ?? undefined, inEea: p.inEea ?? true, remove: false })),
  };
}

export function apiHandlers(db: Db) {
  /** The application if the user may see it. A school user gets 403 for any id that is not theirs, existing or not. */
  function visibleApplication(id: number, user: CurrentUser) {
    const app = findApplicationById(db, id);
    if (isSchoolUser(user) && (!app || !isUsedBySchools(db, id, user.schoolIds))) throw forbidden();
    if (!app) throw notFound();
    return app;
  }

  function applicationDetail(id: number, user: CurrentUser) {
    const [row] = applicationsByIds(db, [id]);
    if (!row) throw notFound();
    const evaluation = evaluateApplications(db, { ids: [id] })[0]?.evaluation ?? { status: "grey" as const, findings: [] };
    const current = currentClassification(db, id);
    return {
      ...presentApplication(row.app, row.supplierName, evaluation.status),
      findings: presentFindings(evaluation.findings),
      // A school user sees its own schools only: nothing of other schools, not even that they use it too.
      schools: schoolUsesOf(db, id, isSchoolUser(user) ? user.schoolIds : undefined).map((s) => ({
        id: s.schoolId,
        name: s.name,
        brin: s.brin,
        location: s.location === "" ? null : s.location,
        since: s.since,
        until: s.until,
        localContact: s.localContact,
      })),
      functions: functionsOfApplication(db, id),
      data: dataOfApplication(db, id).map((d) => ({
        category: { id: d.categoryId, code: d.categoryCode, label: d.categoryLabel },
        subject: { id: d.subjectId, code: d.subjectCode, label: d.subjectLabel },
        purpose: d.purpose,
        detail: d.detail,
      })),
      classification: current ? presentClassification(current) : null,
      agreements: agreementsOf(db, id).map((a) => ({ id: a.id, reference: a.reference, model: a.model, status: a.status, startsOn: a.startsOn, endsOn: a.endsOn })),
    };
  }

  function agreementDetail(id: number, user: CurrentUser) {
    const [row] = agreementsByIds(db, [id]);
    if (!row) throw notFound();
    return presentAgreement(row, isSchoolUser(user) ? applicationIdsOfSchools(db, user.schoolIds) : undefined);
  }

  return {
    openapi(req: Request, res: Response) {
      parse(noQuery, req.query);
      res.json(openApiDocument());
    },

    schools(req: Request, res: Response) {
      const user = currentUser(res);
      const query = parse(schoolsQuery, req.query);
      const page = pageOf(query, DEFAULT_PER_PAGE);
      const { rows, total } = listSchools(db, query, isSchoolUser(user) ? user.schoolIds : undefined, page);
      res.json(envelope(rows.map(presentSchool), page, total));
    },

    school(req: Request, res: Response) {
      const user = currentUser(res);
      parse(noQuery, req.query);
      const id = idOf(req);
      if (isSchoolUser(user) && !user.schoolIds.includes(id)) throw forbidden();
      const school = findSchool(db, id);
      if (!school) throw notFound();
      res.setHeader("ETag", etagOf(school.version)).json(presentSchool(school));
    },

    suppliers(req: Request, res: Response) {
      const query = parse(suppliersQuery, req.query);
      const page = pageOf(query, DEFAULT_PER_PAGE);
      const { rows, total } = listSuppliers(db, query, page);
      res.json(envelope(rows.map(presentSupplier), page, total));
    },

    supplier(req: Request, res: Response) {
      parse(noQuery, req.query);
      const supplier = findSupplier(db, idOf(req));
      if (!supplier) throw notFound();
      res.setHeader("ETag", etagOf(supplier.version)).json(presentSupplier(supplier));
    },

    applications(req: Request, res: Response) {
      const user = currentUser(res);
      const query = parse(applicationsQuery, req.query);
      if (isSchoolUser(user) && query.school !== undefined && !user.schoolIds.includes(query.school)) throw forbidden();
      const page = pageOf(query, DEFAULT_PER_PAGE);
      const evaluated = evaluateApplications(db);
      const statusOf = new Map(evaluated.map((e) => [e.facts.id, e.evaluation.status]));
      const listQuery: ApplicationListQuery = {
        q: query.q || undefined,
        sort: "name",
        dir: "asc",
        page: page.page,
        school: query.school,
        supplier: query.supplier,
        lifecycle: query.lifecycle,
        domain: undefined,
        category: undefined,
        personalData: undefined,
        status: undefined,
        archived: query.archived ? "1" : undefined,
      };
      const scope = {
        schoolIds: isSchoolUser(user) ? user.schoolIds : undefined,
        ids: query.status ? evaluated.filter((e) => e.evaluation.status === query.status).map((e) => e.facts.id) : undefined,
      };
      const total = countApplications(db, listQuery, scope);
      const ids = listApplications(db, listQuery, page, scope).map((r) => r.id);
      const data = applicationsByIds(db, ids).map((r) => presentApplication(r.app, r.supplierName, statusOf.get(r.app.id) ?? "grey"));
      res.json(envelope(data, page, total));
    },

    application(req: Request, res: Response) {
      const user = currentUser(res);
      parse(noQuery, req.query);
      const app = visibleApplication(idOf(req), user);
      const detail = applicationDetail(app.id, user);
      res.setHeader("ETag", etagOf(detail.version)).json(detail);
    },

    applicationStatus(req: Request, res: Response) {
      const user = currentUser(res);
      parse(noQuery, req.query);
      const app = visibleApplication(idOf(req), user);
      const evaluation = evaluateApplications(db, { ids: [app.id] })[0]?.evaluation ?? { status: "grey" as const, findings: [] };
      res.json(presentStatus(app.id, app.name, evaluation.status, evaluation.findings));
    },

    createApplication(req: Request, res: Response) {
      const user = currentUser(res);
      const body = parseBody(applicationCreateBody, jsonBody(req));
      assertApplicationReferences(db, body);
      const input = checkRules(applicationInput, applicationForm(body));
      const app = createApplication(db, actorOf(user), input);
      res.status(201).location(`/api/v1/applications/${app.id}`).setHeader("ETag", etagOf(app.version)).json(applicationDetail(app.id, user));
    },

    /**
     * Preconditions in the order of RFC 9110 §13.2.2: a missing record is 404; If-Match is evaluated before the
     * body (412). Then the body's form (400/422), a version from either If-Match or the body (428 without both),
     * the body's version (409), and the rules on the application as it will be (422).
     */
    updateApplication(req: Request, res: Response) {
      const user = currentUser(res);
      const id = idOf(req);
      const app = findApplicationById(db, id);
      if (!app) throw notFound();
      const ifMatch = req.get("If-Match");
      if (ifMatch !== undefined && !ifMatchHolds(ifMatch, app.version)) {
        res.setHeader("ETag", etagOf(app.version));
        throw new ApiError(412, t("api.errors.preconditionFailed"), undefined, { currentVersion: app.version });
      }
      const { version: bodyVersion, ...patch } = parseBody(applicationPatchBody, jsonBody(req));
      const version = bodyVersion ?? (ifMatch !== undefined ? app.version : undefined);
      if (version === undefined) throw new ApiError(428, t("api.errors.preconditionRequired"));
      if (version !== app.version) throw new ConflictError(app);
      const { id: _id, supplier: _supplier, archived: _archived, status: _status, updatedAt: _updatedAt, version: _version, ...stored } = presentApplication(app, "", "grey");
      const current = { ...stored, supplierId: app.supplierId, functionIds: functionIdsOf(db, id), schoolIds: schoolUsesOf(db, id).map((s) => s.schoolId) };
      const merged = parseBody(applicationCreateBody, { ...current, ...patch });
      assertApplicationReferences(db, merged, id);
      const input = checkRules(applicationInput, applicationForm(merged));
      updateApplicationAndSchools(db, actorOf(user), id, { ...input, version }, patch.schoolIds);
      const detail = applicationDetail(id, user);
      res.setHeader("ETag", etagOf(detail.version)).json(detail);
    },

    agreements(req: Request, res: Response) {
      const user = currentUser(res);
      const query = parse(agreementsQuery, req.query);
      const page = pageOf(query, DEFAULT_PER_PAGE);
      const scope = isSchoolUser(user) ? { schoolIds: user.schoolIds } : {};
      const listQuery = { q: query.q || undefined, sort: "reference" as const, dir: "asc" as const, page: page.page, status: query.status, model: query.model, supplier: query.supplier, ends: undefined, expired: undefined };
      const total = countAgreements(db, listQuery, scope);
      const ids = listAgreements(db, listQuery, page, scope).map((r) => r.id);
      const visible = isSchoolUser(user) ? applicationIdsOfSchools(db, user.schoolIds) : undefined;
      res.json(envelope(agreementsByIds(db, ids).map((row) => presentAgreement(row, visible)), page, total));
    },

    agreement(req: Request, res: Response) {
      const user = currentUser(res);
      parse(noQuery, req.query);
      const id = idOf(req);
      const agreement = findAgreementById(db, id);
      if (isSchoolUser(user) && (!agreement || !isAgreementVisible(db, id, { schoolIds: user.schoolIds }))) throw forbidden();
      if (!agreement) throw notFound();
      const detail = agreementDetail(id, user);
      res.setHeader("ETag", etagOf(detail.version)).json(detail);
    },

    createAgreement(req: Request, res: Response) {
      const user = currentUser(res);
      const body = parseBody(agreementCreateBody, jsonBody(req));
      assertAgreementReferences(db, body);
      const input = checkRules(agreementCreate, agreementForm(body));
      const agreement = createAgreement(db, actorOf(user), input);
      res.status(201).location(`/api/v1/agreements/${agreement.id}`).setHeader("ETag", etagOf(agreement.version)).json(agreementDetail(agreement.id, user));
    },

    classifications(req: Request, res: Response) {
      const user = currentUser(res);
      const query = parse(classificationsQuery, req.query);
      if (isSchoolUser(user) && query.application !== undefined && !isUsedBySchools(db, query.application, user.schoolIds)) throw forbidden();
      const page = pageOf(query, DEFAULT_PER_PAGE);
      const { rows, total } = listClassifications(db, query, isSchoolUser(user) ? user.schoolIds : undefined, page);
      res.json(envelope(rows.map(presentClassification), page, total));
    },

    classification(req: Request, res: Response) {
      const user = currentUser(res);
      parse(noQuery, req.query);
      const classification = findClassification(db, idOf(req));
      if (isSchoolUser(user) && (!classification || !isUsedBySchools(db, classification.applicationId, user.schoolIds))) throw forbidden();
      if (!classification) throw notFound();
      res.json(presentClassification(classification));
    },

    createClassification(req: Request, res: Response) {
      const user = currentUser(res);
      const { applicationId, ...body } = parseBody(classificationCreateBody, jsonBody(req));
      assertApplicationExists(db, "applicationId", applicationId);
      const input = checkRules(classificationInput, { ...body, acknowledgeLowConfidentiality: body.acknowledgeLowConfidentiality ?? false });
      try {
        const row = classifyApplication(db, actorOf(user), applicationId, input);
        res.status(201).location(`/api/v1/classifications/${row.id}`).json(presentClassification(row));
      } catch (err) {
        if (err instanceof ConflictError) {
          const latest = err.current as { id?: number } | null | undefined;
          throw new ApiError(409, t("api.errors.classificationConflict"), undefined, { currentBasedOn: latest?.id ?? 0 });
        }
        // The service decides (after the 409 check, inside its transaction); the API words it.
        if (err instanceof ValidationError && err.fieldErrors.confidentiality) throw confidentialityTooLow(db, applicationId);
        throw err;
      }
    },

    dataCategories(req: Request, res: Response) {
      const query = parse(referenceQuery, req.query);
      const page = pageOf(query, DEFAULT_PER_PAGE);
      const { rows, total } = listCategories(db, query.archived, page);
      res.json(envelope(rows.map(presentCategory), page, total));
    },

    dataSubjects(req: Request, res: Response) {
      const query = parse(referenceQuery, req.query);
      const page = pageOf(query, DEFAULT_PER_PAGE);
      const { rows, total } = listSubjects(db, query.archived, page);
      res.json(envelope(rows.map(presentSubject), page, total));
    },

    foraFunctions(req: Request, res: Response) {
      const query = parse(referenceQuery, req.query);
      const page = pageOf(query, DEFAULT_PER_PAGE);
      const { rows, total } = listForaFunctions(db, query.archived, page);
      res.json(envelope(rows.map((r) => presentForaFunction(r.fn, r.domain)), page, total));
    },

    compliance(req: Request, res: Response) {
      const user = currentUser(res);
      parse(noQuery, req.query);
      const visible = isSchoolUser(user) ? applicationIdsOfSchools(db, user.schoolIds) : undefined;
      const evaluated = evaluateApplications(db).filter((e) => !e.facts.archived && (!visible || visible.has(e.facts.id)));
      res.json({ counts: countByStatus(evaluated), total: evaluated.length });
    },
  };
}
