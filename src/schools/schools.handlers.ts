import type { Request, Response } from "express";
import type { Db } from "../db/client";
import { currentUser } from "../http/auth";
import { ForbiddenError, NotFoundError } from "../http/errors";
import { canSeeSchool } from "../http/policy";
import { t } from "../i18n";
import { applicationsOfSchool, findSchoolById, listSchools } from "./schools.repository";

export function schoolHandlers(db: Db) {
  return {
    index(_req: Request, res: Response) {
      const user = currentUser(res);
      const rows = listSchools(db, user.role === "school" ? { onlyIds: user.schoolIds } : {});
      res.render("schools/index", { title: t("schools.title"), schools: rows });
    },

    show(req: Request, res: Response) {
      const user = currentUser(res);
      const id = Number(req.params.id);
      if (!Number.isInteger(id) || id <= 0) throw new NotFoundError();
      const school = findSchoolById(db, id);
      if (!school) throw new NotFoundError();
      // A school user may not learn anything of another school, not even through a guessed id.
      if (!canSeeSchool(user, school.id)) throw new ForbiddenError();
      res.render("schools/show", { title: school.name, school, applications: applicationsOfSchool(db, school.id) });
    },
  };
}
