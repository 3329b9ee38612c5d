import type { DuckDBConnection } from "@duckdb/node-api";
import type { Catalog } from "../schemas/index.ts";
import { checkpointDdl } from "./warehouse.ts";
import { WAREHOUSE } from "../schemas/index.ts";

/**
 * Keeps the dimension tables in step with the catalog files: replaced in one transaction, so a BI query sees
 * the old catalog or the new one. Also rebuilds `obs_wide`, whose columns are the catalog's indicators.
 */
export async function syncCatalog(connection: DuckDBConnection, catalog: Catalog): Promise<void> {
  await connection.run("BEGIN TRANSACTION");
  try {
    await replaceRows(
      connection,
      WAREHOUSE.dimDimension,
      catalog.dimensions.map((d) => [d.code, d.nameZh, d.nameEn, d.seedSection]),
    );
    await replaceRows(
      connection,
      WAREHOUSE.dimIndicator,
      catalog.indicators.map((i) => [
        i.code,
        i.nameZh,
        i.nameEn,
        i.dimension,
        i.unit,
        i.direction,
        i.targetOp,
        i.targetValue,
        i.targetYear,
        i.seedSection,
        i.note,
        i.kind,
        i.frequency,
        i.baseline2020,
      ]),
    );
    await replaceRows(
      connection,
      WAREHOUSE.dimRegion,
      catalog.regions.map((r) => [
        r.code,
        r.nameZh,
        r.nameShort,
        r.pinyin,
        r.level,
        r.parentCode,
        r.countyType,
        r.mountain26,
        r.eco11,
      ]),
    );
    await connection.run(`DELETE FROM ${WAREHOUSE.dimPeriod}`);
    await connection.run(PERIODS_SQL);
    await connection.run(wideViewSql(catalog));
    await connection.run(wideViewComments(catalog));
    await connection.run(MARK_DIMENSIONS);
    await connection.run("COMMIT");
  } catch (err) {
    await connection.run("ROLLBACK");
    throw err;
  }
  // The view and its comments are DDL: keep them out of the WAL (see checkpointDdl).
  await checkpointDdl(connection);
}

type Cell = string | number | boolean | null;

/** One parameterised INSERT per table rather than one per row: a round trip each costs more than the rows. */
async function replaceRows(connection: DuckDBConnection, table: string, rows: readonly Cell[][]): Promise<void> {
  await connection.run(`DELETE FROM ${table}`);
  if (rows.length === 0) return;
  let n = 0;
  const tuples = rows.map((r) => `(${r.map(() => `$${++n}`).join(", ")})`);
  await connection.run(`INSERT INTO ${table} VALUES ${tuples.join(", ")}`, rows.flat());
}

/** The dimension files of the Parquet lake are rewritten after every sync (they are small). */
const MARK_DIMENSIONS = `INSERT OR IGNORE INTO ${WAREHOUSE.lakeDirty} (table_name, part)
VALUES ('${WAREHOUSE.dimDimension}', ''), ('${WAREHOUSE.dimIndicator}', ''),
  ('${WAREHOUSE.dimRegion}', ''), ('${WAREHOUSE.dimPeriod}', '')`;

/** Years, quarters and months of the plan's horizon, generated in SQL. */
const PERIODS_SQL = `
INSERT INTO ${WAREHOUSE.dimPeriod}
SELECT CAST(y AS VARCHAR), 'annual', y, NULL, NULL, make_date(y, 1, 1), make_date(y, 12, 31) FROM range(2015, 2036) t(y)
UNION ALL
SELECT y || 'Q' || q, 'quarterly', y, q, NULL, make_date(y, q * 3 - 2, 1), last_day(make_date(y, q * 3, 1))
  FROM range(2015, 2036) t(y), range(1, 5) s(q)
UNION ALL
SELECT y || '-' || lpad(CAST(m AS VARCHAR), 2, '0'), 'monthly', y, (m + 2) // 3, m, make_date(y, m, 1),
  last_day(make_date(y, m, 1)) FROM range(2015, 2036) t(y), range(1, 13) s(m)`;

/** Indicator codes are validated snake_case, so they are safe as quoted identifiers. */
function wideIndicators(catalog: Catalog): Catalog["indicators"] {
  return catalog.indicators.filter((i) => /^[a-z][a-z0-9_]*$/.test(i.code));
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Each indicator column says what it holds and in which unit, so a BI tool shows names rather than codes. */
function wideViewComments(catalog: Catalog): string {
  return [
    `COMMENT ON VIEW ${WAREHOUSE.obsWide} IS ${quote(
      "宽表：每个地区、时期一行，每个指标一列（最新版本） / Wide view: one row per region and period, one column per " +
        "indicator (newest vintage)",
    )};`,
    `COMMENT ON COLUMN ${WAREHOUSE.obsWide}.region_code IS ${quote("地区代码 / Region code (dim_region.code)")};`,
    `COMMENT ON COLUMN ${WAREHOUSE.obsWide}.period IS ${quote("统计期 / Period (dim_period.period)")};`,
    ...wideIndicators(catalog).map(
      (i) =>
        `COMMENT ON COLUMN ${WAREHOUSE.obsWide}."${i.code}" IS ${quote(`${i.nameZh}（${i.unit}） / ${i.nameEn} (${i.unit})`)};`,
    ),
  ].join("\n");
}

function wideViewSql(catalog: Catalog): string {
  const columns = wideIndicators(catalog)
    .map((i) => `max(value) FILTER (WHERE indicator_code = '${i.code}') AS "${i.code}"`)
    .join(",\n  ");
  return `CREATE OR REPLACE VIEW ${WAREHOUSE.obsWide} AS
SELECT region_code, period,
  ${columns}
FROM ${WAREHOUSE.obsLatest} GROUP BY region_code, period`;
}
