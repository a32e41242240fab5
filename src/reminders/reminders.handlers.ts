import type { Request, Response } from "express";
import { actorOf } from "../audit/audit.service";
import type { Config } from "../config";
import type { Db, DbOrTx } from "../db/client";
import { DIGEST_FREQUENCIES } from "../db/enums";
import { currentUser } from "../http/auth";
import { flash } from "../http/flash";
import { submitForm } from "../http/forms";
import { labelOf, t } from "../i18n";
import { countFailedMail, undeliveredMail } from "../mail/mail.repository";
import { MAX_ATTEMPTS } from "../mail/mail.service";
import { digestSettingOf, lastDigestOf } from "./reminders.repository";
import { frequencyInput } from "./reminders.schemas";
import { groupReminders, remindersFor, setDigestFrequency } from "./reminders.service";

/** The digest form's model, also used by the account page. */
export function digestForm(db: DbOrTx, userId: number) {
  const setting = digestSettingOf(db, userId);
  return {
    frequency: setting?.digestFrequency,
    version: setting?.version,
    options: DIGEST_FREQUENCIES.map((value) => ({ value, label: labelOf("reminders.frequencies", value) })),
  };
}

export function reminderHandlers(db: Db, config: Config) {
  return {
    index(_req: Request, res: Response) {
      const user = currentUser(res);
      res.render("reminders/index", {
        title: t("reminders.title"),
        groups: groupReminders(remindersFor(db, user)),
        isAuditor: user.role === "auditor",
        isSchoolUser: user.role === "school",
        isAdmin: user.role === "admin",
        digest: digestForm(db, user.id),
        mailEnabled: config.smtp !== undefined,
        lastDigest: lastDigestOf(db, user.id),
        failedMail: user.role === "admin" ? countFailedMail(db, MAX_ATTEMPTS) : 0,
        maxAttempts: MAX_ATTEMPTS,
      });
    },

    updateFrequency(req: Request, res: Response) {
      const user = currentUser(res);
      const back = frequencyInput.shape.back.parse((req.body as { back?: unknown } | undefined)?.back);
      return submitForm(req, res, {
        schema: frequencyInput,
        // A select and a hidden version: a failure is a stale page or a tampered form; the page itself shows the saved choice.
        render: (status) => {
          flash(req, "error", status === 409 ? t("errors.conflict") : t("errors.badRequest"));
          res.redirect(303, back);
        },
        save: (data) => setDigestFrequency(db, actorOf(user), user.id, data.version, data.digestFrequency),
        conflict: { fields: [] },
        onSuccess: (saved) => {
          flash(req, "success", t("reminders.frequencySaved", { frequency: labelOf("reminders.frequencies", saved.digestFrequency).toLowerCase() }));
          res.redirect(303, back);
        },
      });
    },

    outbox(_req: Request, res: Response) {
      res.render("reminders/outbox", {
        title: t("reminders.outbox.title"),
        mails: undeliveredMail(db, MAX_ATTEMPTS),
        maxAttempts: MAX_ATTEMPTS,
        mailEnabled: config.smtp !== undefined,
      });
    },
  };
}
