import { FACT_TABLE, LAKE_FILE_TABLES, PARTITION_FILE } from "./lake-layout.ts";
import { newestVersionOnly, versionsGlob } from "./lake-versions.ts";
import { WAREHOUSE } from "../schemas/index.ts";

/**
 * Everything bi.duckdb is made of. Its views name lake paths that exist from the loader's first start (the fact glob
 * matches at least the empty partition), so the file never has to change for new data to show: a connection held
 * open across loads reads the files as they are at each query.
 */
export interface BiDefinition {
  /** The lake folder as the views name it: absolute, or relative to the BI tool's working directory. */
  lakeRef: string;
  /** The warehouse's `CREATE VIEW obs_wide …` (its columns follow the catalog); reused as is. */
  wideViewSql: string | undefined;
  /** Comments by table, and by table then column, copied from the warehouse. */
  tableComments: ReadonlyMap<string, string>;
  columnComments: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

const str = (s: string) => `'${s.replaceAll("'", "''")}'`;
const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;
/** Same order as the warehouse's obs_latest (the key's fixed-width hex sorts as the number does). */
const NEWEST_FIRST =
  "vintage DESC, ingested_at DESC, kafka_partition DESC NULLS LAST, kafka_offset DESC NULLS LAST, obs_key DESC";
const AS_OF_COMMENT =
  `某一时刻已知的数据：发布时间不晚于 ts 的最新版本，用法 SELECT * FROM ${WAREHOUSE.obsAsOf}(TIMESTAMPTZ ` +
  `'2024-06-30 00:00:00+08') / What was known at ts: the newest vintage ` +
  `published by then`;
const BI_INFO_COMMENT =
  "本文件只含 Parquet 湖上的视图，由加载器生成 / Views over the Parquet lake only, written by the loader; open it read-only";
const YEAR_COMMENT = "分区年份（统计期所在年） / Partition year: the year of the period";

function lakePath(lakeRef: string, rest: string): string {
  return `${lakeRef.replace(/[\\/]+$/, "")}/${rest}`;
}

/** The newest version of each year's file (lake-versions.ts says why DuckDB must not read the plain names). */
function factSource(d: BiDefinition): string {
  const glob = lakePath(d.lakeRef, versionsGlob(`${FACT_TABLE}/*/${PARTITION_FILE}`));
  return (
    `SELECT * FROM read_parquet(${str(glob)}, hive_partitioning = true, hive_types = {'year': INTEGER}) ` +
    newestVersionOnly("year")
  );
}

function tableSource(d: BiDefinition, table: string): string {
  const glob = lakePath(d.lakeRef, versionsGlob(`${table}.parquet`));
  return `SELECT * FROM read_parquet(${str(glob)}) ${newestVersionOnly()}`;
}

function comments(view: string, from: string, d: BiDefinition): string[] {
  const lines: string[] = [];
  const table = d.tableComments.get(from);
  if (table !== undefined) lines.push(`COMMENT ON VIEW ${view} IS ${str(table)};`);
  for (const [column, comment] of d.columnComments.get(from) ?? [])
    lines.push(`COMMENT ON COLUMN ${view}.${ident(column)} IS ${str(comment)};`);
  return lines;
}

/** The SQL that makes bi.duckdb: views over the Parquet lake under the warehouse's names, with its comments. */
export function biDatabaseSql(d: BiDefinition): string {
  const sql: string[] = [];
  for (const table of LAKE_FILE_TABLES) {
    sql.push(`CREATE VIEW ${table} AS ${tableSource(d, table)};`, ...comments(table, table, d));
  }
  sql.push(
    `CREATE VIEW ${FACT_TABLE} AS ${factSource(d)};`,
    ...comments(FACT_TABLE, FACT_TABLE, d),
    `COMMENT ON COLUMN ${FACT_TABLE}.year IS ${str(YEAR_COMMENT)};`,
  );
  sql.push(
    `CREATE VIEW ${WAREHOUSE.obsLatest} AS SELECT * FROM ${FACT_TABLE} QUALIFY row_number() ` +
      `OVER (PARTITION BY indicator_code, region_code, period ORDER BY ${NEWEST_FIRST}) ` +
      `= 1;`,
    ...comments(WAREHOUSE.obsLatest, WAREHOUSE.obsLatest, d),
    ...[...(d.columnComments.get(FACT_TABLE) ?? [])].map(
      ([c, comment]) => `COMMENT ON COLUMN ${WAREHOUSE.obsLatest}.${ident(c)} IS ${str(comment)};`,
    ),
    `CREATE MACRO ${WAREHOUSE.obsAsOf}(ts) AS TABLE SELECT * FROM ${FACT_TABLE} WHERE ` +
      `vintage <= CAST(ts AS TIMESTAMPTZ) QUALIFY row_number() OVER (PARTITION BY ` +
      `indicator_code, region_code, period ORDER BY ${NEWEST_FIRST}) = 1;`,
    `COMMENT ON MACRO TABLE ${WAREHOUSE.obsAsOf} IS ${str(AS_OF_COMMENT)};`,
  );
  if (d.wideViewSql)
    sql.push(d.wideViewSql.trim().replace(/;?$/, ";"), ...comments(WAREHOUSE.obsWide, WAREHOUSE.obsWide, d));
  sql.push(
    `CREATE TABLE _bi_info AS SELECT ${str(d.lakeRef)} AS lake_path, current_timestamp AS built_at;`,
    `COMMENT ON TABLE _bi_info IS ${str(BI_INFO_COMMENT)};`,
  );
  return sql.join("\n");
}
