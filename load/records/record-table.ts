import type { DuckDBConnection } from "@duckdb/node-api";
import { storedColumns, type RecordColumn, type RecordFeedSpec } from "../../schemas/index.ts";
import { literal } from "../sql-literal.ts";

/** The warehouse table of a record feed: `rec_` and the feed id with dashes as underscores. */
export function recordTable(feed: string): string {
  return `rec_${feed.replaceAll("-", "_")}`;
}

const SQL_TYPE: Record<RecordColumn["type"], string> = {
  string: "VARCHAR",
  region: "VARCHAR",
  integer: "BIGINT",
  number: "DOUBLE",
  date: "DATE",
  timestamp: "TIMESTAMPTZ",
};

export const sqlType = (column: RecordColumn): string => SQL_TYPE[column.type];

/** A string literal for SQL: the only way text from a spec reaches a statement. */
export { literal };

/** Texts as an SQL list of literals, `('a', 'b')`. */
export const inList = (texts: readonly string[]): string => `(${texts.map(literal).join(", ")})`;

const PERSONAL_NOTE: Record<RecordColumn["personal"], string> = {
  none: "",
  identifier: "（个人标识，已假名化 / personal identifier, pseudonymised）",
  drop: "",
  attribute: "（个人信息，不出仓库 / personal data, never leaves the warehouse）",
};

/** The provenance columns every record table has beside the feed's own. */
const SYSTEM_COLUMNS: [string, string, string][] = [
  ["_region", "VARCHAR NOT NULL", "记录所属地区代码 / Region of the record (GB/T 2260)"],
  ["_period", "VARCHAR NOT NULL", "记录所属统计期（由事件时间得出） / Period of the record, from its event time"],
  ["_vintage", "TIMESTAMPTZ NOT NULL", "发布时间（版本） / When the source was published"],
  ["_source_uri", "VARCHAR NOT NULL", "来源文件 / Source file"],
  ["_checksum", "VARCHAR NOT NULL", "来源文件校验和 / sha256 of the source"],
  ["_seq", "INTEGER NOT NULL", "文件内批次序号 / Batch number within the source"],
  ["_line", "INTEGER NOT NULL", "来源行号 / Line in the source"],
  ["_snapshot", "BIGINT NOT NULL", "加载时的记录快照号 / Record snapshot that loaded it"],
];

/**
 * Creates the feed's record table if it is not there, and adds the columns a newer spec declares. Comments carry
 * the spec's description and whether the column is personal, in Chinese and English like every warehouse table.
 */
export async function ensureRecordTable(connection: DuckDBConnection, spec: RecordFeedSpec): Promise<void> {
  const table = recordTable(spec.id);
  const columns = storedColumns(spec);
  const defs = [
    ...columns.map(([name, c]) => `${name} ${sqlType(c)}`),
    ...SYSTEM_COLUMNS.map(([name, type]) => `${name} ${type}`),
  ];
  const statements = [`CREATE TABLE IF NOT EXISTS ${table} (${defs.join(", ")})`];
  for (const [name, c] of columns)
    statements.push(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${name} ${sqlType(c)}`);
  statements.push(
    `COMMENT ON TABLE ${table} IS ${literal(`记录：${spec.name}（${spec.department.name}） / Records of feed ${spec.id}`)}`,
  );
  for (const [name, c] of columns)
    statements.push(
      `COMMENT ON COLUMN ${table}.${name} IS ${literal(`${c.comment ?? name}${PERSONAL_NOTE[c.personal]}`)}`,
    );
  for (const [name, , comment] of SYSTEM_COLUMNS)
    statements.push(`COMMENT ON COLUMN ${table}.${name} IS ${literal(comment)}`);
  for (const s of statements) await connection.run(s);
}
