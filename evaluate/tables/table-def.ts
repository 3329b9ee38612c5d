// A table described once: the DDL, the Chinese/English comments and the appender all come from this.
export type ColumnType = "VARCHAR" | "DOUBLE" | "INTEGER" | "BIGINT" | "BOOLEAN" | "UHUGEINT" | "TIMESTAMPTZ" | "JSON";

export interface ColumnDef {
  readonly name: string;
  readonly type: ColumnType;
  /** "中文 / English", stored as the column comment for BI users. */
  readonly comment: string;
  readonly notNull?: boolean;
}

export interface TableDef {
  readonly name: string;
  readonly comment: string;
  readonly columns: readonly ColumnDef[];
  readonly primaryKey?: readonly string[];
}

/** A cell as the evaluator produces it; bigint for UHUGEINT keys, strings for timestamps and JSON. */
export type Cell = string | number | boolean | bigint | null;
export type Row = Readonly<Record<string, Cell>>;

export const col = (name: string, type: ColumnType, comment: string, notNull = false): ColumnDef => ({
  name,
  type,
  comment,
  notNull,
});

const quote = (text: string): string => `'${text.replaceAll("'", "''")}'`;

export function createTableSql(t: TableDef): string {
  const cols = t.columns.map((c) => `${c.name} ${c.type}${c.notNull ? " NOT NULL" : ""}`);
  if (t.primaryKey) cols.push(`PRIMARY KEY (${t.primaryKey.join(", ")})`);
  return `CREATE TABLE IF NOT EXISTS ${t.name} (\n  ${cols.join(",\n  ")}\n)`;
}

export function commentSql(t: TableDef): string {
  return [
    `COMMENT ON TABLE ${t.name} IS ${quote(t.comment)};`,
    ...t.columns.map((c) => `COMMENT ON COLUMN ${t.name}.${c.name} IS ${quote(c.comment)};`),
  ].join("\n");
}
