// The page /audit: every entry of the change history, newest first, a page at a time, filtered on record type,
// user and period; each entry names its record (linked when the reader may open its page) and says in words what
// it changed. And /audit/verify: the hash chain checked.
import type { Request, Response } from "express";
import type { Db } from "../db/client";
import { currentUser } from "../http/auth";
import { pagination } from "../http/listing";
import { can, type CurrentUser } from "../http/policy";
import { nl, t } from "../i18n";
import { addDays } from "../lib/dates";
import { dutchOrder } from "../lib/format";
import { amsterdamMidnight } from "../lib/amsterdam";
import { verifyAuditChain } from "./audit.chain";
import { RECORD_TYPES } from "./audit.records";
import { auditEntries, countAuditEntries, usersForFilter, type AuditFilter } from "./audit.repository";
import { auditQuery, type AuditQuery } from "./audit.schemas";
import { describeHistory } from "./audit.service";
import { describeChain } from "./audit.verify";
import { RecordNames } from "./audit.words";

const typeName = (type: string) => nl.audit.recordTypes[type] ?? type;
const typeOptions = () =>
  Object.keys(nl.audit.recordTypes)
    .map((value) => ({ value, label: typeName(value) }))
    .sort((a, b) => dutchOrder(a.label, b.label));

/** The record an entry is about: its name, and its page when it still exists and the reader may open it. */
function recordOf(names: RecordNames, user: CurrentUser, entityType: string, entityId: number | null) {
  const type = RECORD_TYPES[entityType];
  const name = entityId === null ? "" : names.of(entityType, entityId);
  if (!type?.page) return { name };
  // A record type kept in a table links only to a record that is still there; one without (the settings) always.
  const row = type.table ? (entityId === null ? undefined : names.row(entityType, entityId)) : {};
  if (!row) return { name };
  const page = type.page(row);
  return { name, href: can(user, page.permission) ? page.href : undefined };
}

export function auditHandlers(db: Db) {
  return {
    index(req: Request, res: Response) {
      const user = currentUser(res);
      const userOptions = usersForFilter(db).map((u) => ({ value: u.id, label: `${u.name} <${u.email}>` }));
      const parsed = auditQuery.safeParse(req.query);
      const errors: Record<string, string> = {};
      if (!parsed.success) {
        for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "_form")] ??= issue.message;
      } else if (parsed.data.user !== undefined && !userOptions.some((o) => o.value === parsed.data.user)) {
        errors.user = t("audit.invalid.user");
      }
      const common = { title: t("audit.title"), typeOptions: typeOptions(), userOptions };
      if (Object.keys(errors).length > 0) {
        // The filters as typed, each wrong one with its message; no list that would pretend to be filtered.
        const raw = (key: string) => (typeof req.query[key] === "string" ? (req.query[key] as string) : "");
        return res.status(400).render("audit/index", {
          ...common,
          query: { type: raw("type"), user: raw("user"), from: raw("from"), to: raw("to") },
          errors,
        });
      }
      const query: AuditQuery = parsed.data!;
      const filter: AuditFilter = {
        entityType: query.type,
        userId: query.user,
        fromMs: query.from ? amsterdamMidnight(query.from) : undefined,
        toMs: query.to ? amsterdamMidnight(addDays(query.to, 1)) : undefined,
      };
      const total = countAuditEntries(db, filter);
      const page = pagination("/audit", { type: query.type, user: query.user, from: query.from, to: query.to, page: query.page }, total);
      const names = new RecordNames(db);
      const entries = describeHistory(db, auditEntries(db, filter, page.offset, page.limit), undefined, names).map((entry) => ({
        ...entry,
        typeName: typeName(entry.entityType),
        record: recordOf(names, user, entry.entityType, entry.entityId),
      }));
      res.render("audit/index", {
        ...common,
        query,
        entries,
        page,
        filtered: Boolean(query.type || query.user || query.from || query.to),
      });
    },

    verify(_req: Request, res: Response) {
      res.render("audit/verify", { title: t("reports.chain.title"), result: describeChain(verifyAuditChain(db)) });
    },
  };
}
