// The templates a board fills in: an XLSX workbook with the Dutch column headings on a data sheet and an
// explanation sheet (what each column means, whether it is required, an example), and the same headings as
// CSV (UTF-8 with BOM, ";" separated, as Dutch Excel expects).
import { exceljs } from "../lib/heavy";
import { labels, t } from "../i18n";
import { fieldsOf, headingOf, type FieldSpec, type ImportKind } from "./imports.fields";

const heading = (kind: ImportKind, field: FieldSpec) => `${headingOf(kind, field.key)}${field.required ? " *" : ""}`;

function choicesOf(field: FieldSpec): string | undefined {
  if (typeof field.type === "object") return Object.values(labels(field.type.enum as "covenant") as Record<string, string>).join(", ");
  if (field.type === "bool") return `${t("common.yes")}, ${t("common.no")}`;
  if (field.type === "eea") return `${t("common.yes")}, ${t("common.no")}, ${t("common.unknown")}`;
  return undefined;
}

export async function templateXlsx(kind: ImportKind): Promise<Buffer> {
  const workbook = new (exceljs().Workbook)();
  workbook.creator = t("app.name");
  const fields = fieldsOf(kind);

  const data = workbook.addWorksheet(t("imports.template.dataSheet"), { views: [{ state: "frozen", ySplit: 1 }] });
  data.addRow(fields.map((f) => heading(kind, f)));
  data.getRow(1).font = { bold: true };
  fields.forEach((f, i) => {
    data.getColumn(i + 1).width = Math.max(14, heading(kind, f).length + 4);
    // Text format for codes Excel would otherwise turn into numbers (KvK 01234567) or dates.
    if (f.type === "kvk" || f.type === "list" || f.type === "text") data.getColumn(i + 1).numFmt = "@";
  });

  const help = workbook.addWorksheet(t("imports.template.helpSheet"));
  help.addRow([t(`imports.template.title.${kind}`)]).font = { bold: true, size: 14 };
  for (const line of ["rules1", "rules2", "rules3", "rules4", "rules5", "rules6"]) help.addRow([t(`imports.template.${line}`)]);
  help.addRow([]);
  const head = help.addRow([t("imports.template.column"), t("imports.template.required"), t("imports.template.meaning"), t("imports.template.example")]);
  head.font = { bold: true };
  for (const f of fields) {
    const choices = choicesOf(f);
    const meaning = t(`imports.hints.${kind}.${f.key}`) + (choices ? ` ${t("imports.template.choices", { choices })}` : "");
    help.addRow([heading(kind, f), f.required ? t("common.yes") : t("common.no"), meaning, f.example]);
  }
  help.getColumn(1).width = 32;
  help.getColumn(2).width = 10;
  help.getColumn(3).width = 90;
  help.getColumn(3).alignment = { wrapText: true, vertical: "top" };
  help.getColumn(4).width = 28;

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function templateCsv(kind: ImportKind): Buffer {
  const quote = (s: string) => (/[;"\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return Buffer.from(`\uFEFF${fieldsOf(kind).map((f) => quote(heading(kind, f))).join(";")}\r\n`, "utf8");
}

export function templateFileName(kind: ImportKind, format: "xlsx" | "csv"): string {
  return `${t(`imports.template.fileName.${kind}`)}.${format}`;
}
