// The to-do list: what needs doing now, per user. Privacy officers and admins get what keeps the register
// lawful (agreements ending within the warning period, reviews due, missing classifications, requests waiting,
// breaches past the regulator's term); a school user gets its requests that need an answer and its schools'
// red applications; an auditor gets nothing (it changes nothing). Each reminder has an occasion: the same
// reminder for the same occasion is mailed once (reminders_sent), and a new occasion (a new end date, a new
// answer, other red findings) is a new reminder.
import { describeFindings, evaluateApplications } from "../compliance/compliance.service";
import type { Db, DbOrTx } from "../db/client";
import type { Role } from "../db/enums";
import { users } from "../db/schema";
import type { Actor } from "../audit/audit.service";
import { labelOf, t } from "../i18n";
import { addDays, addMonths, todayIso } from "../lib/dates";
import { formatDate, formatDateTime } from "../lib/format";
import { updateVersioned } from "../lib/versioned";
import { getSettings } from "../settings/settings.service";
import {
  agreementsEnding,
  applicationIdsOfSchools,
  breachesPastTerm,
  currentAgreements,
  requestsWaitingForOfficer,
  requestsWaitingForSchool,
} from "./reminders.repository";

export type ReminderKind =
  | "breach_overdue"
  | "agreement_expiring"
  | "agreement_review"
  | "classification_review"
  | "no_classification"
  | "intake_waiting"
  | "intake_answered"
  | "intake_question"
  | "application_red";

export const GROUPS = ["breaches", "agreements", "classifications", "intake", "applications"] as const;
export type ReminderGroup = (typeof GROUPS)[number];

const GROUP_OF: Record<ReminderKind, ReminderGroup> = {
  breach_overdue: "breaches",
  agreement_expiring: "agreements",
  agreement_review: "agreements",
  classification_review: "classifications",
  no_classification: "classifications",
  intake_waiting: "intake",
  intake_answered: "intake",
  intake_question: "intake",
  application_red: "applications",
};

export type Reminder = {
  /** What it is about, e.g. "agreement_expiring:12:2026-12-31": sent once per user and occasion. */
  occasion: string;
  kind: ReminderKind;
  group: ReminderGroup;
  text: string;
  /** Where it is handled: a path in the register. */
  href: string;
  /** Order within its group: the date it is about, earliest first. */
  sortKey: string;
};

export type ReminderUser = { id: number; role: Role; schoolIds: number[] };

function reminder(kind: ReminderKind, occasion: string, href: string, sortKey: string, params: Record<string, string | number>): Reminder {
  return { occasion: `${kind}:${occasion}`, kind, group: GROUP_OF[kind], text: t(`reminders.kinds.${kind}`, params), href, sortKey };
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** Everything the privacy officer and admin should act on, on `now`. */
function officerReminders(db: DbOrTx, now: Date): Reminder[] {
  const settings = getSettings(db);
  const today = todayIso(now);
  const list: Reminder[] = [];

  for (const b of breachesPastTerm(db, now, settings.breachRegulatorHours)) {
    const deadline = new Date(b.discoveredAt.getTime() + settings.breachRegulatorHours * 60 * 60 * 1000);
    list.push(
      reminder("breach_overdue", String(b.id), `/breaches/${b.id}`, deadline.toISOString(), {
        title: b.title,
        hours: settings.breachRegulatorHours,
        deadline: formatDateTime(deadline),
      }),
    );
  }

  // The same window as the compliance rule "agreement_expiring": ends on or before today + the warning period.
  for (const a of agreementsEnding(db, today, addDays(today, settings.agreementWarningDays))) {
    const endsOn = a.endsOn ?? today;
    list.push(
      reminder("agreement_expiring", `${a.id}:${endsOn}`, `/agreements/${a.id}`, endsOn, {
        reference: a.reference,
        supplier: a.supplierName,
        date: formatDate(endsOn),
        days: daysBetween(today, endsOn),
      }),
    );
  }

  // Review due: the next review date set, or the review interval after signing (as the compliance rules count it).
  for (const a of currentAgreements(db, today)) {
    const last = a.signedOn ?? a.startsOn;
    const due = a.nextReviewOn ?? (last ? addMonths(last, settings.reviewIntervalMonths) : null);
    if (due === null || due > today) continue;
    list.push(reminder("agreement_review", `${a.id}:${due}`, `/agreements/${a.id}`, due, { reference: a.reference, supplier: a.supplierName, date: formatDate(due) }));
  }

  // Classifications, for the applications the compliance rules apply to (grey ones need none).
  for (const { facts, evaluation } of evaluateApplications(db, { today, settings })) {
    if (evaluation.status === "grey") continue;
    const c = facts.classification;
    if (!c) {
      list.push(reminder("no_classification", String(facts.id), `/applications/${facts.id}/classification`, "", { name: facts.name }));
      continue;
    }
    const due = c.nextReviewOn ?? addMonths(c.assessedOn, settings.reviewIntervalMonths);
    if (due <= today) {
      list.push(reminder("classification_review", `${facts.id}:${due}`, `/applications/${facts.id}/classification`, due, { name: facts.name, date: formatDate(due) }));
    }
  }

  for (const r of requestsWaitingForOfficer(db)) {
    const created = todayIso(r.createdAt);
    list.push(
      r.answerId === null
        ? reminder("intake_waiting", String(r.id), `/intake/${r.id}`, created, { name: r.applicationName, school: r.schoolName, date: formatDate(created) })
        : reminder("intake_answered", `${r.id}:${r.answerId}`, `/intake/${r.id}`, created, { name: r.applicationName, school: r.schoolName }),
    );
  }
  return list;
}

/** What a school user should act on or know: questions on its requests, and its schools' red applications. */
function schoolReminders(db: DbOrTx, schoolIds: number[], now: Date): Reminder[] {
  const list: Reminder[] = [];
  for (const r of requestsWaitingForSchool(db, schoolIds)) {
    list.push(reminder("intake_question", `${r.id}:${r.questionId ?? 0}`, `/intake/${r.id}`, todayIso(r.updatedAt), { name: r.applicationName }));
  }
  const ids = applicationIdsOfSchools(db, schoolIds);
  for (const { facts, evaluation } of evaluateApplications(db, { ids, today: todayIso(now) })) {
    if (evaluation.status !== "red") continue;
    const red = evaluation.findings.filter((f) => f.severity === "red");
    // Other red findings make a new occasion: the school hears again when what is wrong changes.
    const rules = [...new Set(red.map((f) => f.rule))].sort().join(",");
    list.push(
      reminder("application_red", `${facts.id}:${rules}`, `/applications/${facts.id}`, facts.name.toLocaleLowerCase("nl"), {
        name: facts.name,
        findings: describeFindings(red)
          .map((f) => f.text)
          .join(" "),
      }),
    );
  }
  return list;
}

function ordered(list: Reminder[]): Reminder[] {
  const seen = new Set<string>();
  return list
    .filter((r) => !seen.has(r.occasion) && seen.add(r.occasion))
    .sort((a, b) => GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group) || (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
}

/**
 * Reminders for several users on one moment: the privacy officers' list is the same for all of them and is made
 * once; a school user's list once per set of schools.
 */
export function reminderSource(db: DbOrTx, now: Date = new Date()) {
  let officers: Reminder[] | undefined;
  const bySchools = new Map<string, Reminder[]>();
  return function remindersFor(user: ReminderUser): Reminder[] {
    if (user.role === "admin" || user.role === "privacy_officer") return (officers ??= ordered(officerReminders(db, now)));
    if (user.role === "school") {
      const key = [...user.schoolIds].sort((a, b) => a - b).join(",");
      let list = bySchools.get(key);
      if (!list) bySchools.set(key, (list = ordered(schoolReminders(db, user.schoolIds, now))));
      return list;
    }
    return [];
  };
}

export function remindersFor(db: DbOrTx, user: ReminderUser, now: Date = new Date()): Reminder[] {
  return reminderSource(db, now)(user);
}

/** The list in groups, for the page and the mail. */
export function groupReminders(list: Reminder[]) {
  return GROUPS.map((group) => ({ group, title: t(`reminders.groups.${group}`), items: list.filter((r) => r.group === group) })).filter((g) => g.items.length > 0);
}

export function setDigestFrequency(db: Db, actor: Actor, userId: number, version: number, frequency: (typeof users.$inferSelect)["digestFrequency"]) {
  return db.transaction(
    (tx) =>
      updateVersioned(
        tx,
        users,
        { actor, entityType: "user", summary: `Samenvatting per e-mail: ${labelOf("reminders.frequencies", frequency).toLowerCase()}` },
        userId,
        version,
        { digestFrequency: frequency },
      ).after,
  );
}
