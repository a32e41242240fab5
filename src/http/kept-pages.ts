// Page bodies rendered once per register state and reused, for the lists people open over and over. The layout
// around them (user, menu, CSRF token, messages) is rendered for every request; the body gets only what its
// context function returns, never res.locals, so nothing of one user can end up in another user's page. The key
// must name everything else the body depends on (query, role, schools, the day).
import type { Response } from "express";
import { memoByVersion, type DbOrTx } from "../db/client";
import type { Views } from "./views";

export function renderKept(res: Response, db: DbOrTx, view: string, key: string, title: string, context: () => Record<string, unknown>): void {
  const views = (res.app as unknown as { views: Views }).views;
  const keptBody = memoByVersion(db, `page:${view}:${key}`, () => views.render(view, context(), false));
  res.render("kept-body", { title, keptBody });
}
