import type { Request, Response } from "express";
import { buildDashboard } from "../dashboard/dashboard.service";
import type { Db } from "../db/client";
import { currentUser } from "../http/auth";
import { can } from "../http/policy";
import { formatDate } from "../lib/format";
import { t } from "../i18n";
import { schoolOverview } from "../schools/schools.overview";
import { listSchools } from "../schools/schools.repository";

export function homeHandlers(db: Db) {
  return {
    show(_req: Request, res: Response) {
      const user = currentUser(res);
      if (user.role === "school") {
        // A school user lands on the page of its school; with several schools it chooses one.
        if (user.schoolIds.length === 1) return res.redirect(303, `/schools/${user.schoolIds[0]}`);
        const schools = listSchools(db, { onlyIds: user.schoolIds }).map((s) => ({ ...s, ...schoolOverview(db, s.id) }));
        return res.render("home/school", { title: t("dashboard.chooseSchool"), schools });
      }
      const dashboard = buildDashboard(db);
      res.render("home/dashboard", {
        title: t("dashboard.title"),
        ...dashboard,
        intro: t("dashboard.intro", { date: formatDate(dashboard.today) }),
        isAuditor: user.role === "auditor",
        // Fix links lead to edit pages; a role without write access gets the readable page instead of a 403.
        viewOnly: !can(user, "register.write"),
      });
    },
  };
}
