/** v2: views for analysts and BI: the newest vintage, what was known at a moment. */
export const latestViews = {
  version: 2,
  name: "obs_latest view and obs_as_of macro",
  sql: `
CREATE VIEW obs_latest AS
SELECT * FROM fact_observation
QUALIFY row_number() OVER (PARTITION BY indicator_code, region_code, period ORDER BY vintage DESC, loaded_at DESC, obs_key DESC) = 1;
COMMENT ON VIEW obs_latest IS '每个指标、地区、时期的最新版本 / The newest vintage of each indicator, region and period';

CREATE MACRO obs_as_of(ts) AS TABLE
SELECT * FROM fact_observation
WHERE vintage <= CAST(ts AS TIMESTAMPTZ)
QUALIFY row_number() OVER (PARTITION BY indicator_code, region_code, period ORDER BY vintage DESC, loaded_at DESC, obs_key DESC) = 1;
`,
} as const;
