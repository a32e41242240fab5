// The main menu: an item shows only to roles that may open it (the routes check again on the server).
import { t } from "../i18n";
import { can, type CurrentUser, type Permission } from "./policy";

const ITEMS: { href: string; key: string; permission: Permission; schoolKey?: string }[] = [
  { href: "/", key: "nav.home", permission: "school.read" },
  { href: "/applications", key: "nav.applications", permission: "school.read" },
  { href: "/suppliers", key: "nav.suppliers", permission: "register.read" },
  { href: "/agreements", key: "nav.agreements", permission: "school.read" },
  { href: "/schools", key: "nav.schools", permission: "school.read", schoolKey: "nav.mySchools" },
  { href: "/intake", key: "intake.nav", permission: "school.read" },
  { href: "/reminders", key: "reminders.nav", permission: "school.read" },
  { href: "/categories", key: "categories.nav", permission: "register.read" },
  { href: "/measures", key: "measures.nav", permission: "register.read" },
  { href: "/fora", key: "fora.nav", permission: "register.read" },
  { href: "/overviews", key: "overviews.nav", permission: "register.read" },
  { href: "/reports", key: "reports.nav", permission: "school.read" },
  { href: "/dpias", key: "dpias.nav", permission: "register.read" },
  { href: "/breaches", key: "breaches.nav", permission: "register.read" },
  { href: "/retention", key: "retention.nav", permission: "register.read" },
  { href: "/imports", key: "imports.nav", permission: "register.write" },
  { href: "/audit", key: "nav.audit", permission: "audit.read" },
  { href: "/admin/board", key: "nav.board", permission: "admin.manage" },
  { href: "/admin/users", key: "users.nav", permission: "admin.manage" },
  { href: "/admin/settings", key: "nav.settings", permission: "admin.manage" },
  { href: "/admin/backup", key: "backup.nav", permission: "admin.manage" },
  { href: "/account/tokens", key: "api.nav", permission: "school.read" },
];

export function navigationFor(user: CurrentUser | undefined, path: string) {
  if (!user) return [];
  return ITEMS.filter((item) => can(user, item.permission)).map((item) => ({
    href: item.href,
    label: t(user.role === "school" && item.schoolKey ? item.schoolKey : item.key),
    current: item.href === "/" ? path === "/" : path === item.href || path.startsWith(`${item.href}/`),
  }));
}
