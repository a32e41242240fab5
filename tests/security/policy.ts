// The intended access policy of every route, written out by hand (not derived from the code it checks), and
// the routes the app really has. Used by the route matrix and the CSRF and header checks.
import type { Role } from "../../src/db/enums";

/** "token": the JSON API, which authenticates with personal API tokens only (tests/api.test.ts checks each role). */
export type Policy = { roles: readonly Role[] | "public" | "anonymous" | "token"; scoped?: boolean };

export const ALL: Role[] = ["admin", "privacy_officer", "auditor", "school"];
const READ: Role[] = ["admin", "privacy_officer", "auditor"];
const WRITE: Role[] = ["admin", "privacy_officer"];
const ADMIN: Role[] = ["admin"];

/** Who may use each route. `scoped`: a school user only with ids of its own schools. */
export const POLICY: Record<string, Policy> = {
  "GET /health": { roles: "public" },
  "GET /login": { roles: "public" },
  "POST /login": { roles: "public" },
  // Single sign-on: 404 without OIDC_ISSUER (as in the matrix); a signed-in person is sent home.
  "GET /login/sso": { roles: "public" },
  "GET /login/sso/callback": { roles: "public" },
  "POST /logout": { roles: ALL },
  "GET /account": { roles: ALL },
  "POST /account/password": { roles: ALL },
  "GET /login/two-factor": { roles: "public" },
  "POST /login/two-factor": { roles: "public" },
  "GET /account/two-factor": { roles: ALL },
  "POST /account/two-factor": { roles: ALL },
  "POST /account/two-factor/recovery-codes": { roles: ALL },
  "POST /account/two-factor/disable": { roles: ALL },
  "GET /account/sessions": { roles: ALL },
  "POST /account/sessions/end": { roles: ALL },
  // Invitation and reset links: the token in the path is the key; an unknown one answers 410.
  "GET /invite/:token": { roles: "public" },
  "POST /invite/:token": { roles: "public" },
  "GET /admin/users": { roles: ADMIN },
  "GET /admin/users/new": { roles: ADMIN },
  "POST /admin/users": { roles: ADMIN },
  "GET /admin/users/sign-in": { roles: ADMIN },
  "POST /admin/users/sign-in": { roles: ADMIN },
  "GET /admin/users/:id": { roles: ADMIN },
  "GET /admin/users/:id/edit": { roles: ADMIN },
  "POST /admin/users/:id": { roles: ADMIN },
  "POST /admin/users/:id/deactivate": { roles: ADMIN },
  "POST /admin/users/:id/reactivate": { roles: ADMIN },
  "POST /admin/users/:id/reset-two-factor": { roles: ADMIN },
  "POST /admin/users/:id/send-link": { roles: ADMIN },
  "POST /admin/users/:id/unlink-sso": { roles: ADMIN },
  "GET /": { roles: ALL },
  "GET /rules": { roles: ALL },
  "GET /audit": { roles: READ },
  "GET /admin/board": { roles: ADMIN },
  "POST /admin/board": { roles: ADMIN },
  "GET /admin/settings": { roles: ADMIN },
  "POST /admin/settings": { roles: ADMIN },

  "GET /schools": { roles: ALL },
  "GET /schools/new": { roles: WRITE },
  "POST /schools": { roles: WRITE },
  "GET /schools/:id": { roles: ALL, scoped: true },

  "GET /applications": { roles: ALL },
  "GET /applications/new": { roles: WRITE },
  "POST /applications": { roles: WRITE },
  "GET /applications/:id": { roles: ALL, scoped: true },
  "GET /applications/:id/data": { roles: WRITE },
  "POST /applications/:id/data": { roles: WRITE },
  "GET /applications/:id/schools": { roles: WRITE },
  "POST /applications/:id/schools": { roles: WRITE },
  "GET /applications/:id/classification": { roles: WRITE },
  "POST /applications/:id/classification": { roles: WRITE },
  "GET /applications/:id/measures": { roles: WRITE },
  "POST /applications/:id/measures": { roles: WRITE },

  "GET /agreements": { roles: ALL },
  "GET /agreements/new": { roles: WRITE },
  "POST /agreements": { roles: WRITE },
  "GET /agreements/:id": { roles: ALL, scoped: true },
  "GET /agreements/:id/document": { roles: ALL, scoped: true },
  "GET /agreements/:id/new-version": { roles: WRITE },

  "GET /suppliers": { roles: READ },
  "GET /suppliers/:id": { roles: READ },
  "GET /categories": { roles: READ },
  "GET /categories/:id": { roles: READ },
  "GET /measures": { roles: READ },
  "GET /measures/:id": { roles: READ },
  "GET /fora": { roles: READ },
  "GET /fora/functions/:id": { roles: READ },
  "GET /overviews": { roles: READ },
  "GET /overviews/coverage": { roles: READ },
  "GET /overviews/biv": { roles: READ },
  "GET /overviews/rationalisation": { roles: READ },

  "GET /intake": { roles: ALL },
  "GET /intake/new": { roles: ["admin", "privacy_officer", "school"] },
  "POST /intake": { roles: ["admin", "privacy_officer", "school"] },
  "GET /intake/:id": { roles: ALL, scoped: true },
  "POST /intake/:id/review": { roles: WRITE },
  "POST /intake/:id/ask": { roles: WRITE },
  "POST /intake/:id/approve": { roles: WRITE },
  "POST /intake/:id/reject": { roles: WRITE },
  "POST /intake/:id/answer": { roles: ["school"], scoped: true },
  "GET /reminders": { roles: ALL },
  "POST /reminders/frequency": { roles: ALL },
  "GET /reminders/outbox": { roles: ADMIN },

  "GET /dpias": { roles: READ },
  "GET /applications/:id/dpia": { roles: READ },
  "GET /applications/:id/dpia/edit": { roles: WRITE },
  "POST /applications/:id/dpia": { roles: WRITE },
  "GET /applications/:id/dpia/document": { roles: READ },
  "GET /breaches": { roles: READ },
  "GET /breaches/:id": { roles: READ },
  "POST /breaches": { roles: WRITE },
  "GET /audit/verify": { roles: READ },
  "GET /reports": { roles: ALL },
  "GET /reports/:report/download": { roles: ALL },
  "GET /reports/snapshots": { roles: READ },
  "POST /reports/snapshots": { roles: WRITE },
  "GET /reports/snapshots/:id": { roles: READ },
  "GET /reports/snapshots/:id/files/:fileId": { roles: READ },
  "GET /imports": { roles: WRITE },
  "POST /imports": { roles: WRITE },
  "GET /imports/templates/:file": { roles: WRITE },
  "GET /imports/:id": { roles: WRITE },
  "GET /imports/:id/mapping": { roles: WRITE },
  "POST /imports/:id/mapping": { roles: WRITE },
  "POST /imports/:id/commit": { roles: WRITE },
  "POST /imports/:id/cancel": { roles: WRITE },
  "GET /account/tokens": { roles: ALL },
  "POST /account/tokens": { roles: ALL },
  "POST /account/tokens/:id/revoke": { roles: ALL },
  "GET /admin/backup": { roles: ADMIN },
  "POST /admin/backup": { roles: ADMIN },
  "GET /api/v1/openapi.json": { roles: "public" },
  "GET /retention": { roles: READ },
  "GET /retention/:id": { roles: READ },
  "POST /retention": { roles: WRITE },
};

for (const route of [
  "GET /api/v1/schools", "GET /api/v1/schools/:id", "GET /api/v1/suppliers", "GET /api/v1/suppliers/:id", "GET /api/v1/applications",
  "POST /api/v1/applications", "GET /api/v1/applications/:id", "PATCH /api/v1/applications/:id", "GET /api/v1/applications/:id/status",
  "GET /api/v1/agreements", "POST /api/v1/agreements", "GET /api/v1/agreements/:id", "GET /api/v1/classifications", "POST /api/v1/classifications",
  "GET /api/v1/classifications/:id", "GET /api/v1/data-categories", "GET /api/v1/data-subjects", "GET /api/v1/fora-functions", "GET /api/v1/compliance",
]) {
  POLICY[route] = { roles: "token" };
}

/** The usual set of a register record: new form, create, edit form, update, archive, restore, delete. */
function crud(base: string, options: { archive?: boolean; newPath?: string } = {}) {
  const entries: [string, Policy][] = [
    [`GET ${options.newPath ?? `${base}/new`}`, { roles: WRITE }],
    [`GET ${base}/:id/edit`, { roles: WRITE }],
    [`POST ${base}/:id`, { roles: WRITE }],
    [`GET ${base}/:id/delete`, { roles: WRITE }],
    [`POST ${base}/:id/delete`, { roles: WRITE }],
  ];
  if (options.archive !== false) entries.push([`POST ${base}/:id/archive`, { roles: WRITE }], [`POST ${base}/:id/restore`, { roles: WRITE }]);
  return entries;
}
for (const [key, policy] of [
  ...crud("/schools").filter(([k]) => k !== "GET /schools/new"),
  ...crud("/applications").filter(([k]) => k !== "GET /applications/new"),
  ...crud("/agreements", { archive: false }).filter(([k]) => k !== "GET /agreements/new"),
  ...crud("/suppliers"),
  ["POST /suppliers", { roles: WRITE }] as [string, Policy],
  ...crud("/categories"),
  ["POST /categories", { roles: WRITE }] as [string, Policy],
  ...crud("/measures"),
  ["POST /measures", { roles: WRITE }] as [string, Policy],
  ...crud("/fora/functions"),
  ["POST /fora/functions", { roles: WRITE }] as [string, Policy],
  ...crud("/breaches", { archive: false }),
  ...crud("/retention"),
]) {
  POLICY[key] = policy;
}

type Layer = { rawPath?: string; route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

/** The routes the app really has, read from its router. */
export function routesOf(app: unknown): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      // `_all` is the API's 405 answer for a method a path does not have (src/api): it acts on nothing.
      if (layer.route) for (const method of Object.keys(layer.route.methods).filter((m) => m !== "_all")) out.push(`${method.toUpperCase()} ${prefix}${layer.route.path}`);
      else if (layer.handle?.stack) walk(layer.handle.stack, prefix + (layer.rawPath && layer.rawPath !== "/" ? layer.rawPath : ""));
    }
  };
  walk((app as { router: { stack: Layer[] } }).router.stack, "");
  return out;
}
