import type { DuckDBConnection } from "@duckdb/node-api";
import type { Catalog } from "../schemas/index.ts";

/**
 * Keeps the dimension tables in step with the catalog files: replaced in one transaction, so a BI query sees
 * the old catalog or the new one. Also rebuilds `obs_wide`, whose columns are the catalog's indicators.
 */
export async function syncCatalog(connection: DuckDBConnection, catalog: Catalog): Promise<void> {
  await connection.run("BEGIN TRANSACTION");
  try {
    await connection.run("DELETE FROM dim_dimension");
    for (const d of catalog.dimensions) await connection.run("INSERT INTO dim_dimension VALUES ($1, $2, $3, $4)", [d.code, d.nameZh, d.nameEn, d.seedSection]);
    await connection.run("DELETE FROM dim_indicator");
    for (const i of catalog.indicators) {
      await connection.run("INSERT INTO dim_indicator VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)", [
        i.code, i.nameZh, i.nameEn, i.dimension, i.unit, i.direction, i.targetOp, i.targetValue, i.targetYear, i.seedSection, i.note, i.kind, i.frequency, i.baseline2020,
      ]);
    }
    await connection.run("DELETE FROM dim_region");
    for (const r of catalog.regions) {
      await connection.run("INSERT INTO dim_region VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)", [r.code, r.nameZh, r.nameShort, r.pinyin, r.level, r.parentCode, r.countyType, r.mountain26, r.eco11]);
    }
    await connection.run("DELETE FROM dim_period");
    await connection.run(PERIODS_SQL);
    await connection.run(wideViewSql(catalog));
    await connection.run("COMMIT");
  } catch (err) {
    await connection.run("ROLLBACK");
    throw err;
  }
}

/** Years, quarters and months of the plan's horizon, generated in SQL. */
const PERIODS_SQL = `
INSERT INTO dim_period
SELECT CAST(y AS VARCHAR), 'annual', y, NULL, NULL, make_date(y, 1, 1), make_date(y, 12, 31) FROM range(2015, 2036) t(y)
UNION ALL
SELECT y || 'Q' || q, 'quarterly', y, q, NULL, make_date(y, q * 3 - 2, 1), last_day(make_date(y, q * 3, 1)) FROM range(2015, 2036) t(y), range(1, 5) s(q)
UNION ALL
SELECT y || '-' || lpad(CAST(m AS VARCHAR), 2, '0'), 'monthly', y, (m + 2) // 3, m, make_date(y, m, 1), last_day(make_date(y, m, 1)) FROM range(2015, 2036) t(y), range(1, 13) s(m)`;

/** Indicator codes are validated snake_case, so they are safe as quoted identifiers. */
function wideViewSql(catalog: Catalog): string {
  const columns = catalog.indicators
    .filter((i) => /^[a-z][a-z0-9_]*$/.test(i.code))
    .map((i) => `max(value) FILTER (WHERE indicator_code = '${i.code}') AS "${i.code}"`)
    .join(",\n  ");
  return `CREATE OR REPLACE VIEW obs_wide AS
SELECT region_code, period,
  ${columns}
FROM obs_latest GROUP BY region_code, period`;
}
