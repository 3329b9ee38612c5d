import { DuckDBTypeId, type DuckDBConnection } from "@duckdb/node-api";
import { keyAsText } from "../lake-layout.ts";

/** How a column is carried into Arrow and XLSX; everything else has been cast to text in SQL first. */
export type ColumnKind = "bool" | "int32" | "int64" | "float64" | "text" | "date" | "timestamp" | "timestamptz";

export interface PlannedColumn {
  name: string;
  kind: ColumnKind;
}

const KIND: Partial<Record<DuckDBTypeId, ColumnKind>> = {
  [DuckDBTypeId.BOOLEAN]: "bool",
  [DuckDBTypeId.TINYINT]: "int32",
  [DuckDBTypeId.SMALLINT]: "int32",
  [DuckDBTypeId.INTEGER]: "int32",
  [DuckDBTypeId.UTINYINT]: "int32",
  [DuckDBTypeId.USMALLINT]: "int32",
  [DuckDBTypeId.BIGINT]: "int64",
  [DuckDBTypeId.UINTEGER]: "int64",
  [DuckDBTypeId.FLOAT]: "float64",
  [DuckDBTypeId.DOUBLE]: "float64",
  [DuckDBTypeId.DECIMAL]: "float64",
  [DuckDBTypeId.VARCHAR]: "text",
  [DuckDBTypeId.DATE]: "date",
  [DuckDBTypeId.TIMESTAMP]: "timestamp",
  [DuckDBTypeId.TIMESTAMP_S]: "timestamp",
  [DuckDBTypeId.TIMESTAMP_MS]: "timestamp",
  [DuckDBTypeId.TIMESTAMP_NS]: "timestamp",
  [DuckDBTypeId.TIMESTAMP_TZ]: "timestamptz",
};

/** The SQL cast that brings a column to its kind's one DuckDB type, if it is not that type already. */
const CAST: Partial<Record<DuckDBTypeId, string>> = {
  [DuckDBTypeId.DECIMAL]: "DOUBLE",
  [DuckDBTypeId.FLOAT]: "DOUBLE",
  [DuckDBTypeId.TINYINT]: "INTEGER",
  [DuckDBTypeId.SMALLINT]: "INTEGER",
  [DuckDBTypeId.UTINYINT]: "INTEGER",
  [DuckDBTypeId.USMALLINT]: "INTEGER",
  [DuckDBTypeId.UINTEGER]: "BIGINT",
  [DuckDBTypeId.TIMESTAMP_S]: "TIMESTAMP",
  [DuckDBTypeId.TIMESTAMP_MS]: "TIMESTAMP",
  [DuckDBTypeId.TIMESTAMP_NS]: "TIMESTAMP",
};

export const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** Types Parquet cannot hold exactly (DuckDB would write a lossy DOUBLE), so they travel as text. */
const PARQUET_AS_TEXT = new Set<DuckDBTypeId>([DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT, DuckDBTypeId.BIGNUM]);

/** The expression that brings a column to `cast`; 128-bit unsigned keys as hex, as in the lake (see keyAsText). */
function castExpression(name: string, type: DuckDBTypeId, cast: string): string {
  if (type === DuckDBTypeId.UHUGEINT && cast === "VARCHAR") return keyAsText(ident(name));
  return `CAST(${ident(name)} AS ${cast})`;
}

/**
 * Text a spreadsheet opening the CSV would take for a formula (=, @, a leading tab or CR, or + and - not starting a
 * plain number; OWASP's CSV injection list) gets a leading apostrophe, so a department's "=cmd|..." stays inert text.
 */
function inertCsvText(column: string): string {
  return (
    `CASE WHEN regexp_matches(${column}, '^[=@\t\r]') OR (regexp_matches(${column}, ` +
    `'^[+-]') AND NOT regexp_matches(${column}, '^[+-]?[0-9]+([.][0-9]+)?([eE][+-]?[0-9]+)?$')) ` +
    `THEN '''' || ${column} ELSE ${column} END`
  );
}

/** What the output needs: `rows` (Arrow, XLSX) wants a few plain types; Parquet only loses 128-bit integers; CSV takes anything. */
export type PlanMode = "rows" | "parquet" | "csv";

function castFor(type: DuckDBTypeId, mode: PlanMode): string | undefined {
  if (mode === "rows") return KIND[type] === undefined ? "VARCHAR" : CAST[type];
  if (mode === "parquet") return PARQUET_AS_TEXT.has(type) ? "VARCHAR" : undefined;
  return undefined;
}

/**
 * Describes `select` and wraps it so every column arrives in a type the output can carry: in `rows` mode 128-bit
 * integers, lists, intervals and the like become text, and the rest one plain type per kind.
 */
export async function planColumns(
  connection: DuckDBConnection,
  select: string,
  mode: PlanMode,
): Promise<{ sql: string; columns: PlannedColumn[] }> {
  const prepared = await connection.prepare(`SELECT * FROM (${select}) AS q`);
  const columns: PlannedColumn[] = [];
  const projection: string[] = [];
  try {
    for (let i = 0; i < prepared.columnCount; i++) {
      const name = prepared.columnName(i);
      const type = prepared.columnTypeId(i);
      const cast = castFor(type, mode);
      if (mode === "csv" && type === DuckDBTypeId.VARCHAR)
        projection.push(`${inertCsvText(ident(name))} AS ${ident(name)}`);
      else projection.push(cast ? `${castExpression(name, type, cast)} AS ${ident(name)}` : ident(name));
      columns.push({ name, kind: KIND[type] ?? "text" });
    }
  } finally {
    prepared.destroySync();
  }
  // Every export has a stable row order: the query's own ORDER BY when it has one, else all columns left to right.
  const order = (await hasTopLevelOrder(connection, select)) ? "" : " ORDER BY ALL";
  return { sql: `SELECT ${projection.join(", ")} FROM (${select}) AS q${order}`, columns };
}

/** Whether the statement ends in an ORDER BY of its own (DuckDB's parser says; a subquery's order does not count). */
async function hasTopLevelOrder(connection: DuckDBConnection, select: string): Promise<boolean> {
  const reader = await connection.runAndReadAll("SELECT json_serialize_sql($1::VARCHAR) AS tree", [select]);
  const tree = JSON.parse(String(reader.getRows()[0]?.[0] ?? "{}")) as {
    error?: boolean;
    statements?: { node?: { modifiers?: { type?: string }[] } }[];
  };
  if (tree.error) return false;
  return tree.statements?.[0]?.node?.modifiers?.some((m) => m.type === "ORDER_MODIFIER") ?? false;
}

/** A column's Chinese label: the part of its COMMENT before " / " (the warehouse writes "中文 / English"). */
const chineseLabel = (comment: string): string => comment.split(" / ")[0]!.trim();

/**
 * Chinese labels of columns by name, from the warehouse's column comments: the exported table's own first, then
 * the same column name in any table (a query's indicator_code is the catalog's indicator_code).
 */
export async function columnLabels(
  connection: DuckDBConnection,
  table: string | undefined,
): Promise<Map<string, string>> {
  const rows = (
    await connection.runAndReadAll(
      `SELECT table_name, column_name, comment FROM duckdb_columns()
       WHERE schema_name = 'main' AND comment IS NOT NULL AND comment <> ''
       ORDER BY table_name = $1 DESC, table_name, column_index`,
      [table ?? ""],
    )
  ).getRowObjects();
  const labels = new Map<string, string>();
  for (const r of rows) {
    const name = String(r["column_name"]);
    if (!labels.has(name)) labels.set(name, chineseLabel(String(r["comment"])));
  }
  return labels;
}
