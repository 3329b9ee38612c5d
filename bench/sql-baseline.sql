-- The hand-written SQL baseline: how a data engineer would normalise the bench's long-layout CSV in plain DuckDB
-- SQL (a dbt-duckdb staging model plus two incremental models), with no gongfu code on the path. `npm run bench`
-- times it as the `sql-baseline` scenario beside `duckdb-read-csv` and `embedded-e2e`.
--
-- It does the rules a careful engineer would write by hand: region codes, full and short names and pinyin;
-- indicator codes and Chinese names; periods in their usual spellings (2025, 2025年, 2025Q3, 2025年第三季度,
-- 2025-09, 2025年9月, 2025.9, 202509); full-width digits; thousands separators; a unit in the value cell or its own
-- column, converted to the catalog unit of the indicator; missing-value markers; every reason a row fails, in a list.
-- It does less than gongfu: no plausibility checks, no wide layouts or title rows, no vintages, no Kafka, no
-- candidates ("closest: …") in the reasons. Line numbers come from row_number() over the scan, which is the file's
-- line minus one as long as no quoted field holds a newline (true of this layout).
--
-- Inputs, set before this file runs (bench/sql-baseline.ts does it; by hand in the duckdb shell:
-- `SET VARIABLE input_csv = 'bench/out/long-10000.csv'; …` then `.read bench/sql-baseline.sql`):
--   getvariable('input_csv')    the long-layout CSV: 地区代码,指标,时期,数值,单位
--   getvariable('catalog_dir')  the catalog CSVs (schemas/catalog)
--   getvariable('source_feed')  the feed id stored with each row
--   table unit_registry(code, name_zh, name_en, dimension, factor, aliases VARCHAR[]): schemas/unit-registry.ts as a
--   table (value in a unit × factor = value in its dimension's base unit)
-- Outputs: fact_observation (good rows) and quarantine (bad rows with their raw fields and reasons), created if absent.
-- Running it again on the same file replaces that file's rows, in one transaction.

-- 1. Reference data ------------------------------------------------------------------------------------------------

CREATE OR REPLACE TABLE dim_region AS
SELECT * FROM read_csv(getvariable('catalog_dir') || '/regions.csv', header = true, all_varchar = true);

CREATE OR REPLACE TABLE dim_indicator AS
SELECT * FROM read_csv(getvariable('catalog_dir') || '/indicators.csv', header = true, all_varchar = true);

-- Full-width digits, signs, brackets and Q (as typed with a Chinese IME) to ASCII; U+3000 and U+2212 too.
-- Every cell goes through this, so it is guarded by cheap tests: DuckDB's translate() with a map this long costs
-- ~10 µs a call (most of the run if it were applied to every cell), a regexp test ~0.3 µs, and a cell whose byte
-- length equals its length in characters is plain ASCII and needs neither.
CREATE OR REPLACE TEMP MACRO ascii_width(s) AS
  CASE WHEN strlen(s) = length(s) THEN s
       WHEN regexp_matches(s, '[０-９．－＋，％：（）　−Ｑｑ]')
       THEN translate(s, '０１２３４５６７８９．－＋，％：（）　−Ｑｑ', '0123456789.-+,%:() -Qq')
       ELSE s END;

-- A unit spelling folded so that "（万元）", "单位：万元", "万 元" and "PCT" compare equal to 万元 and pct: width,
-- spaces and case first (unit_fold), then a "单位:" label and enclosing brackets (unit_unwrap). Two macros, used on
-- a column each: a macro is expanded textually, so one nested in another would copy its argument's whole
-- expression into every place the outer one names it.
CREATE OR REPLACE TEMP MACRO unit_fold(u) AS lower(replace(ascii_width(u), ' ', ''));
CREATE OR REPLACE TEMP MACRO unit_unwrap(k) AS
  CASE WHEN regexp_matches(k, '^(单位|[(\[【])') THEN regexp_replace(k, '^(?:单位:?)?[(\[【]?(.*?)[)\]】]?$', '\1')
       ELSE k END;

-- Every spelling of a region a source may use: code, full name (杭州市), short name (杭州), pinyin (hangzhou).
-- A spelling shared by two regions names neither (it is ambiguous), so the join below can never duplicate a row.
CREATE OR REPLACE TEMP TABLE region_alias AS
WITH spelling AS (
  SELECT code AS alias, code FROM dim_region
  UNION SELECT name_zh, code FROM dim_region
  UNION SELECT name_short, code FROM dim_region WHERE name_short IS NOT NULL
  UNION SELECT lower(pinyin), code FROM dim_region WHERE pinyin IS NOT NULL
)
SELECT alias,
       CASE WHEN count(DISTINCT code) = 1 THEN min(code) END AS code,
       count(DISTINCT code) > 1 AS ambiguous
FROM spelling
GROUP BY alias;

-- Every spelling of a unit (code, Chinese and English names, aliases) with its dimension and factor.
CREATE OR REPLACE TEMP TABLE unit_alias AS
SELECT DISTINCT unit_unwrap(unit_fold(spelling)) AS alias, code, dimension, factor
FROM unit_registry, unnest([code, name_zh, name_en] || aliases) AS s(spelling);

-- An indicator by its code or its Chinese name, with its catalog unit's dimension and factor (the target of a
-- conversion). As with regions, a spelling that names two indicators names neither.
CREATE OR REPLACE TEMP TABLE indicator_alias AS
WITH spelling AS (
  SELECT code AS alias, code FROM dim_indicator
  UNION SELECT name_zh, code FROM dim_indicator
), unique_spelling AS (
  SELECT alias, min(code) AS code FROM spelling GROUP BY alias HAVING count(DISTINCT code) = 1
)
SELECT s.alias, i.code, i.unit, u.dimension AS unit_dimension, u.factor AS unit_factor
FROM unique_spelling s
JOIN dim_indicator i ON i.code = s.code
JOIN unit_registry u ON u.code = i.unit;

-- 2. Parsing rules, as macros ---------------------------------------------------------------------------------------

-- A month numeral: 9, 09, 九, 十二.
CREATE OR REPLACE TEMP MACRO month_number(m) AS
  coalesce(TRY_CAST(m AS INTEGER),
           list_position(['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'], m));

-- The month numeral of 2025年9月(份), 2025年九月, 2025-9, 2025/09, 2025.9 or 202509, else NULL.
CREATE OR REPLACE TEMP MACRO month_text(p) AS
  CASE WHEN regexp_full_match(p, '[1-9][0-9]{3}(年([0-9]{1,2}|[一二三四五六七八九十]{1,3})月份?|[-/.]([0-9]{1,2})|([0-9]{2}))')
       THEN regexp_replace(p, '^[1-9][0-9]{3}(?:年([0-9]{1,2}|[一二三四五六七八九十]{1,3})月份?|[-/.]([0-9]{1,2})|([0-9]{2}))$',
                           '\1\2\3')
  END;

-- year and month numeral to 2025-09, or NULL when the month is not 1-12.
CREATE OR REPLACE TEMP MACRO month_period(y, m) AS
  CASE WHEN month_number(m) BETWEEN 1 AND 12 THEN printf('%s-%02d', y, month_number(m)) END;

-- A period already folded (ASCII width, no spaces, upper case) to 2025 | 2025Q3 | 2025-09, or NULL.
CREATE OR REPLACE TEMP MACRO canonical_period(p) AS
  CASE
    WHEN regexp_full_match(p, '[1-9][0-9]{3}-(0[1-9]|1[0-2])') THEN p  -- already canonical, the usual case
    WHEN regexp_full_match(p, '[1-9][0-9]{3}(年度?)?') THEN left(p, 4)
    WHEN regexp_full_match(p, '[1-9][0-9]{3}([-/.]|年)?Q[1-4]') THEN left(p, 4) || 'Q' || right(p, 1)
    WHEN regexp_full_match(p, '[1-9][0-9]{3}年第?[1-4一二三四]季度?')
      THEN left(p, 4) || 'Q' || translate(regexp_extract(p, '^....年第?(.)', 1), '一二三四', '1234')
    ELSE month_period(left(p, 4), month_text(p))
  END;

-- The number at the start of a value cell: sign, digits (grouped by three with commas, or not), decimals, exponent.
CREATE OR REPLACE TEMP MACRO number_prefix(v) AS
  regexp_extract(v, '^[+-]?(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?', 0);

-- Cells that mean "no data": counted as missing, never read as zero, never a dead letter on their own.
CREATE OR REPLACE TEMP MACRO is_missing_marker(v) AS
  v IS NULL OR lower(v) IN ('', '-', '--', '—', '——', '–', '…', '……', '...', '..', '/', 'na', 'n/a', 'null',
                            'none', '无', '暂无', 'x', '×', '*');

-- 3. The staging model: one row per data line, every rule applied, every reason listed -----------------------------

CREATE OR REPLACE TEMP TABLE staged AS
WITH raw AS (
  SELECT row_number() OVER () + 1 AS source_line,  -- line 1 is the header
         "地区代码" AS raw_region, "指标" AS raw_indicator, "时期" AS raw_period, "数值" AS raw_value, "单位" AS raw_unit
  FROM read_csv(getvariable('input_csv'), header = true, all_varchar = true)
), folded AS (
  SELECT *,
         lower(trim(ascii_width(raw_region))) AS region_text,
         trim(ascii_width(raw_indicator)) AS indicator_text,
         upper(replace(ascii_width(raw_period), ' ', '')) AS period_text,
         trim(ascii_width(raw_value)) AS value_text
  FROM raw
), split AS (
  -- "1,234.5万元" -> number "1,234.5", suffix "万元"; a suffix that starts with a digit, comma or point means the
  -- separators were not groups of three ("1,5": a decimal comma?) and the cell is rejected, not guessed.
  SELECT *,
         number_prefix(value_text) AS number_text,
         is_missing_marker(value_text) AS missing
  FROM folded
), suffixed AS (
  SELECT *, trim(substr(value_text, length(number_text) + 1)) AS value_suffix FROM split
), keyed AS (
  SELECT s.*,
         canonical_period(s.period_text) AS period,
         CASE WHEN s.number_text <> '' AND NOT regexp_matches(s.value_suffix, '^[0-9.,]')
              THEN TRY_CAST(replace(s.number_text, ',', '') AS DOUBLE) END AS number,
         r.code AS region_code, coalesce(r.ambiguous, false) AS region_ambiguous,
         i.code AS indicator_code, i.unit, i.unit_dimension, i.unit_factor,
         -- The unit the value is in: a suffix in the cell, else the unit column, else the indicator's own unit.
         unit_fold(coalesce(nullif(s.value_suffix, ''), nullif(trim(s.raw_unit), ''), i.unit)) AS unit_folded
  FROM suffixed s
  LEFT JOIN region_alias r ON r.alias = s.region_text
  LEFT JOIN indicator_alias i ON i.alias = s.indicator_text
), parsed AS (
  SELECT k.*, u.code AS from_unit, u.dimension AS from_dimension, u.factor AS from_factor
  FROM keyed k
  LEFT JOIN unit_alias u ON u.alias = unit_unwrap(k.unit_folded)
), checked AS (
  SELECT *,
         list_filter([
           CASE WHEN region_ambiguous THEN 'ambiguous_region' WHEN region_code IS NULL THEN 'unknown_region' END,
           CASE WHEN indicator_code IS NULL THEN 'unknown_indicator' END,
           CASE WHEN period IS NULL THEN 'bad_period' END,
           CASE WHEN NOT missing AND (number IS NULL OR NOT isfinite(number)) THEN 'not_a_number' END,
           CASE WHEN NOT missing AND indicator_code IS NOT NULL AND number IS NOT NULL AND from_unit IS NULL
                THEN 'unknown_unit' END,
           CASE WHEN NOT missing AND indicator_code IS NOT NULL AND from_dimension <> unit_dimension
                THEN 'unit_mismatch' END
         ], lambda reason: reason IS NOT NULL) AS reasons
  FROM parsed
)
-- Only what the two models below read: the raw fields are kept for the rows that go to quarantine alone, since
-- materialising five strings per row costs more than computing them.
SELECT source_line, missing, region_code, indicator_code, period, unit,
       CASE WHEN from_unit = unit THEN number ELSE number * from_factor / unit_factor END AS value,
       reasons,
       CASE WHEN len(reasons) > 0
            THEN {'地区代码': raw_region, '指标': raw_indicator, '时期': raw_period, '数值': raw_value, '单位': raw_unit}
       END AS fields
FROM checked;

-- 4. The incremental models: facts and quarantine, replacing this file's earlier rows ----------------------------

CREATE TABLE IF NOT EXISTS fact_observation (
  indicator_code VARCHAR NOT NULL, region_code VARCHAR NOT NULL, period VARCHAR NOT NULL,
  value DOUBLE NOT NULL, unit VARCHAR NOT NULL,
  source_feed VARCHAR NOT NULL, source_uri VARCHAR NOT NULL, source_line INTEGER NOT NULL,
  loaded_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS quarantine (
  source_feed VARCHAR NOT NULL, source_uri VARCHAR NOT NULL, source_line INTEGER NOT NULL,
  fields STRUCT("地区代码" VARCHAR, "指标" VARCHAR, "时期" VARCHAR, "数值" VARCHAR, "单位" VARCHAR) NOT NULL,
  reason_codes VARCHAR[] NOT NULL,
  failed_at TIMESTAMPTZ NOT NULL
);

BEGIN TRANSACTION;

DELETE FROM fact_observation WHERE source_uri = getvariable('input_csv');
DELETE FROM quarantine WHERE source_uri = getvariable('input_csv');

-- A row with no reason and a value is a fact; one with no reason and a missing-value marker is only counted.
INSERT INTO fact_observation
SELECT indicator_code, region_code, period, value, unit,
       getvariable('source_feed'), getvariable('input_csv'), source_line, current_timestamp
FROM staged
WHERE len(reasons) = 0 AND NOT missing;

INSERT INTO quarantine
SELECT getvariable('source_feed'), getvariable('input_csv'), source_line, fields, reasons, current_timestamp
FROM staged
WHERE len(reasons) > 0;

COMMIT;
