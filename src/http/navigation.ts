// The main menu: an item shows only to roles that may open it (the routes check again on the server).
import { t } from "../i18n";
import { can, type CurrentUser, type Permission } from "./policy";

const ITEMS: { href: string; key: string; permission: Permission; schoolKey?: string }[] = [
  { href: "/", key: "nav.home", permission: "school.read" },
  { href: "/suppliers", key: "nav.suppliers", permission: "register.read" },
  { href: "/schools", key: "nav.schools", permission: "school.read", schoolKey: "nav.mySchools" },
  { href: "/audit", key: "nav.audit", permission: "audit.read" },
  { href: "/admin/board", key: "nav.board", permission: "admin.manage" },
];

export function navigationFor(user: CurrentUser | undefined, path: string) {
  if (!user) return [];
  return ITEMS.filter((item) => can(user, item.permission)).map((item) => ({
    href: item.href,
    label: t(user.role === "school" && item.schoolKey ? item.schoolKey : item.key),
    current: item.href === "/" ? path === "/" : path === item.href || path.startsWith(`${item.href}/`),
  }));
}
