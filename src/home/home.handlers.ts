import type { Request, Response } from "express";
import type { Db } from "../db/client";
import { currentUser } from "../http/auth";
import { t } from "../i18n";
import { boardFigures, listSchools, schoolsWithApplications } from "./home.service";

export function homeHandlers(db: Db) {
  return {
    show(_req: Request, res: Response) {
      const user = currentUser(res);
      if (user.role === "school") {
        return res.render("home/school", {
          title: t("home.title"),
          schools: schoolsWithApplications(db, user.schoolIds),
        });
      }
      res.render("home/board", {
        title: t("home.title"),
        figures: boardFigures(db),
        schools: listSchools(db),
        isAuditor: user.role === "auditor",
      });
    },
  };
}
