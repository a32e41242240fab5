import { getTableName, sql, type Column, type SQL } from "drizzle-orm";

/**
 * A column as "table"."column". drizzle leaves the table off in the select list of a single-table query,
 * even inside sql``: a correlated subquery there would compare the inner table with itself. Use this for
 * every outer column a subquery refers to.
 */
export const qualified = (column: Column): SQL => sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;
