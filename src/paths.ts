// Where the project's own folders are (migrations, views, public): found from this file upward, so the same
// code works from src/ under tsx and from dist/src/ after `npm run build`.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "migrations"))) return dir;
    if (dirname(dir) === dir) throw new Error(`Projectmap niet gevonden vanaf ${start}`);
  }
}

export const ROOT = findRoot(__dirname);
export const MIGRATIONS_DIR = join(ROOT, "migrations");
export const VIEWS_DIR = join(ROOT, "views");
export const PUBLIC_DIR = join(ROOT, "public");
export const PACKAGE_JSON = join(ROOT, "package.json");
