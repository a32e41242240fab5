// Handlebars, isolated and checked at start: every template under views/ is parsed when the app is built,
// so a broken template stops the start instead of failing a user later (compile() alone is lazy).
import Handlebars from "handlebars";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { labelOf, t } from "../i18n";
import { formatDate, formatDateTime, formatEuros } from "../lib/format";

export { VIEWS_DIR } from "../paths";
import { VIEWS_DIR } from "../paths";

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : full.endsWith(".hbs") ? [full] : [];
  });
}

type Template = Handlebars.TemplateDelegate;

/** The views of a folder, read and compiled once per process: every app built in it (each test builds one) shares them. */
const byDir = new Map<string, ReturnType<typeof buildViews>>();
export function createViews(dir = VIEWS_DIR) {
  let views = byDir.get(dir);
  if (!views) byDir.set(dir, (views = buildViews(dir)));
  return views;
}

function buildViews(dir: string) {
  const hb = Handlebars.create();
  hb.registerHelper("t", (key: string, options: Handlebars.HelperOptions) => t(key, options.hash));
  hb.registerHelper("labelOf", (group: string, code: unknown) =>
    code === null || code === undefined || code === "" ? "" : labelOf(group, String(code)),
  );
  hb.registerHelper("eq", (a: unknown, b: unknown) => a === b || (a != null && b != null && String(a) === String(b)));
  hb.registerHelper("not", (a: unknown) => !a);
  hb.registerHelper("or", (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hb.registerHelper("and", (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  // A repeated form field arrives as an array, a single one as a string: both count.
  hb.registerHelper("includes", (list: unknown, value: unknown) =>
    (Array.isArray(list) ? list : list === undefined || list === null ? [] : [list]).some((item) => String(item) === String(value)),
  );
  hb.registerHelper("join", (list: unknown) => (Array.isArray(list) ? list.join(", ") : ""));
  hb.registerHelper("array", (...args: unknown[]) => args.slice(0, -1));
  hb.registerHelper("gt", (a: unknown, b: unknown) => Number(a) > Number(b));
  hb.registerHelper("concat", (...args: unknown[]) => args.slice(0, -1).map(String).join(""));
  hb.registerHelper("date", formatDate);
  hb.registerHelper("euros", formatEuros);
  hb.registerHelper("dateTime", formatDateTime);

  const templates = new Map<string, Template>();
  for (const file of walk(dir)) {
    const name = relative(dir, file).split(sep).join("/").replace(/\.hbs$/, "");
    const source = readFileSync(file, "utf8");
    hb.parse(source); // throws on a syntax error, with the position
    if (name.startsWith("partials/")) hb.registerPartial(name.slice("partials/".length), source);
    else templates.set(name, hb.compile(source, { strict: false, preventIndent: true }));
  }

  function render(name: string, context: Record<string, unknown>, layout: string | false = "layouts/main"): string {
    const template = templates.get(name);
    if (!template) throw new Error(`Onbekende pagina: ${name}`);
    const body = template(context);
    if (layout === false) return body;
    const wrapper = templates.get(layout);
    if (!wrapper) throw new Error(`Onbekende opmaak: ${layout}`);
    return wrapper({ ...context, body });
  }

  /** Express view engine: res.render("schools/show", locals) finds the precompiled template. */
  function engine(filePath: string, options: object, callback: (err: unknown, html?: string) => void): void {
    try {
      const name = relative(dir, filePath).split(sep).join("/").replace(/\.hbs$/, "");
      const context = options as Record<string, unknown>;
      callback(null, render(name, context, (context.layout as string | false | undefined) ?? "layouts/main"));
    } catch (err) {
      callback(err);
    }
  }

  return { render, engine, names: () => [...templates.keys()] };
}

export type Views = ReturnType<typeof buildViews>;
