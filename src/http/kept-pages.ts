// Page bodies rendered once per register state and reused, for the lists people open over and over. The layout
// around them (user, menu, CSRF token, messages) is rendered for every request; the body is not.
//
// Safe by design: what a kept body may depend on besides the register is one explicit object, its scope (role,
// schools, day, query). The scope is the key, and it is the only input of the page's render function: that
// function receives the scope as read back from the key (so it cannot hold anything the key does not name) and
// the database, never `req`, `res` or the user. Kept pages are defined with keptPage() at module level, outside
// any handler, so a render function cannot reach a request's values through its closure either.
import type { Request, Response } from "express";
import { memoByVersion, type DbOrTx } from "../db/client";
import type { Role } from "../db/enums";
import { todayIso } from "../lib/dates";
import type { CurrentUser } from "./policy";
import type { Views } from "./views";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json | undefined };

/**
 * Everything a kept body may depend on besides the register. `schools` is the school user's schools (sorted);
 * null for every other role, who see every school. `day` is today in Amsterdam: lists that judge dates turn with it.
 */
export type PageScope<Q extends Json> = {
  readonly role: Role;
  readonly schools: readonly number[] | null;
  readonly day: string;
  readonly query: DeepReadonly<Q>;
};

type DeepReadonly<T> = T extends (infer I)[] ? readonly DeepReadonly<I>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

export type KeptPage<Q extends Json> = {
  /** Tells kept pages apart in the memo, also two that show the same view. */
  readonly id: number;
  readonly view: string;
  readonly render: (db: DbOrTx, scope: PageScope<Q>) => Record<string, unknown>;
};

const keptPages: KeptPage<never>[] = [];

/** A kept page: its view, and how its body's model is built from the database and the scope alone. */
export function keptPage<Q extends Json>(view: string, render: (db: DbOrTx, scope: PageScope<Q>) => Record<string, unknown>): KeptPage<Q> {
  const page = Object.freeze({ id: keptPages.length + 1, view, render });
  keptPages.push(page as unknown as KeptPage<never>);
  return page;
}

/** Every kept page defined (for tests). */
export const allKeptPages = (): readonly KeptPage<never>[] => keptPages;

/**
 * The key of a scope: its JSON. A scope is built in one order (role, schools, day, query; the query as its schema
 * parsed it), so one scope has one key; the render function gets this JSON read back, in the same order.
 */
export const scopeKey = (scope: PageScope<Json>): string => JSON.stringify(scope);

/** Freezes a value and everything it holds. */
export function deepFreeze<T>(value: T, seen = new Set<unknown>()): T {
  if (value === null || typeof value !== "object" || seen.has(value)) return value;
  seen.add(value);
  for (const item of Object.values(value as object)) deepFreeze(item, seen);
  return Object.freeze(value);
}

/** The scope of a kept page for this reader: only their role, their schools if they are a school user, the day. */
export function pageScope<Q extends Json>(user: CurrentUser, query: Q, day: string = todayIso()): PageScope<Q> {
  const schools = user.role === "school" ? [...user.schoolIds].sort((a, b) => a - b) : null;
  return { role: user.role, schools, day, query: query as DeepReadonly<Q> };
}

/**
 * Renders `page` for `scope` inside the layout, keeping the body until the register changes. The render function
 * gets the scope read back from its key, frozen. In tests (NODE_ENV=test) the model it returns is frozen too,
 * deeply, with the kept values it holds (option lists, names): a render that changed a value another page shares
 * fails there rather than serving one reader's data to the next.
 */
export function renderKept<Q extends Json>(res: Response, db: DbOrTx, page: KeptPage<Q>, title: string, scope: PageScope<Q>): void {
  const views = (res.app as unknown as { views: Views }).views;
  const key = scopeKey(scope as PageScope<Json>);
  const testing = (res.req as Request).app.get("env") === "test";
  const keptBody = memoByVersion(db, `page:${page.id}:${page.view}:${key}`, () => {
    const model = page.render(db, deepFreeze(JSON.parse(key) as PageScope<Q>));
    return views.render(page.view, testing ? deepFreeze(model) : model, false);
  });
  res.render("kept-body", { title, keptBody });
}
