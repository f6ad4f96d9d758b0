import { getTableColumns, is, SQL, sql, type InferInsertModel, type Placeholder } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

/** A row to insert, where any value may instead be an SQL expression over the source's columns, or a placeholder. */
export type InsertSelectRow<T extends PgTable> = { [K in keyof InferInsertModel<T>]?: InferInsertModel<T>[K] | SQL | Placeholder };

/**
 * `insert into <table> (<the row's columns>) select <its values> from <source>`: one row per row of
 * `source`, none when it is empty, so that a data-modifying CTE writes its row only if the change it
 * depends on happened. drizzle's insert().select() names every column of the table, defaults
 * included; here the columns left out take their database default (a column's $defaultFn is not
 * applied). Plain values are sent as parameters cast to their column's type, since a bare parameter
 * in a select list is typed text, which PostgreSQL will not assign to uuid or jsonb.
 */
export function insertSelect<T extends PgTable>(table: T, row: InsertSelectRow<T>, source: SQL): SQL {
  const columns = getTableColumns(table);
  const entries = Object.entries(row).filter(([, value]) => value !== undefined);
  const names = entries.map(([key]) => sql.identifier(columns[key]!.name));
  const values = entries.map(([key, value]) => {
    const column = columns[key]!;
    return is(value, SQL) ? value : sql`${sql.param(value, column)}::${sql.raw(column.getSQLType())}`;
  });
  return sql`insert into ${table} (${sql.join(names, sql`, `)}) select ${sql.join(values, sql`, `)} from ${source}`;
}
