import type { Derivation, Measure, RecordFeedSpec, RecordFilter } from "../../schemas/index.ts";
import { inList, literal, recordTable } from "./record-table.ts";

/**
 * Every region with itself and its ancestors (county → city → province), from dim_region: a record placed in a
 * county counts in its county, its city and the province. A temp view, made once per loader connection.
 */
export const REGION_ANCESTOR_VIEW = `CREATE OR REPLACE TEMP VIEW region_ancestor AS
SELECT r.code, r.code AS ancestor, r.level FROM dim_region r
UNION ALL SELECT r.code, p.code, p.level FROM dim_region r JOIN dim_region p ON p.code = r.parent_code
UNION ALL SELECT r.code, g.code, g.level FROM dim_region r JOIN dim_region p ON p.code = r.parent_code
  JOIN dim_region g ON g.code = p.parent_code`;

const value = (v: string | number): string => {
  if (typeof v === "string") return literal(v);
  if (!Number.isFinite(v)) throw new RangeError(`filter value ${v} is not a finite number`);
  return String(v);
};

/** A filter as SQL. Column names are checked against the spec's (lower-case identifiers); values are literals. */
export function filterSql(f: RecordFilter): string {
  if (f.op === "is null" || f.op === "is not null") return `${f.column} ${f.op.toUpperCase()}`;
  const v = f.value;
  if (Array.isArray(v)) return `${f.column} ${f.op.toUpperCase()} (${v.map(value).join(", ")})`;
  return `${f.column} ${f.op} ${value(v as string | number)}`;
}

/**
 * The mean of a column's values added in ascending order. DuckDB's parallel avg adds in whatever order its threads
 * meet the rows, which moved the last digit of a city's annual mean from run to run. `avg(x ORDER BY x)` gives the
 * same value, but an ordered aggregate holds a buffer per group that cannot spill: a year of 102 stations' hourly
 * readings (8,052 city-days at three levels) ran out of the warehouse's 256 MB. A sorted list averaged in order is
 * the same sum, bit for bit (test/load/records/ordered-mean.test.ts), and held 216 MB at its peak on the same data.
 */
export const orderedMean = (column: string): string => `list_avg(list_sort(list(${column})))`;

/** The aggregate over one cell's rows in `cells` (x is the measured column). */
function measureSql(m: Measure): string {
  switch (m.kind) {
    case "count":
      return "count(*)";
    case "sum":
      return `sum(${m.column})`;
    case "mean":
      return `avg(${m.column})`;
    case "median":
      return `median(${m.column})`;
    case "quantile":
      return `quantile_cont(${m.column}, ${m.q})`;
    case "distinct_count":
      return `count(DISTINCT ${m.column})`;
    case "share_in_band":
      return `100.0 * count(*) FILTER (WHERE ${bandSql(m)}) / count(${m.column})`;
    case "gini":
      // Gini over values sorted ascending, ranks i = 1..n: 2·Σ i·x_i / (n·Σ x) − (n + 1) / n.
      return `2.0 * sum(_rank * ${m.column}) / (count(${m.column}) * sum(${m.column})) - (count(${m.column}) + 1.0) / count(${m.column})`;
    case "share_of_days":
      return `100.0 * avg(CASE WHEN _daily ${m.good} ${m.threshold} THEN 1.0 ELSE 0.0 END)`;
    case "mean_of_days":
      // Summed in value order (see orderedMean).
      return orderedMean("_daily");
  }
}

/** How many records a cell is built from: the rows that carry the measured value. */
function recordsSql(m: Measure): string {
  if (m.kind === "count") return "count(*)";
  if (m.kind === "share_of_days" || m.kind === "mean_of_days") return "sum(_n)";
  return `count(${m.column})`;
}

/**
 * A count or a share in a band is a sum of counts, so over dirty cells it is counted once per record region and
 * period, and the counts are added up to the county, city and province: a record is then placed in one row, not in
 * one row per level (10^7 households: the band share took 1.3 s over 3·10^7 placed rows). Integer counts add up
 * exactly, and each is cast back to BIGINT so the value is computed from the same types as `measureSql` gives.
 * Other measures (sums and means of doubles, medians, quantiles, distinct counts, the Gini) are not summed.
 */
export function summedSql(
  m: Measure,
): { counts: string; value: string; records: string; inBand: string | undefined } | undefined {
  if (m.kind === "count")
    return { counts: "count(*) AS _n", value: "sum(_n)::BIGINT", records: "sum(_n)::BIGINT", inBand: undefined };
  if (m.kind !== "share_in_band") return undefined;
  return {
    counts: `count(*) FILTER (WHERE ${bandSql(m)}) AS _nb, count(${m.column}) AS _nx`,
    value: "100.0 * sum(_nb)::BIGINT / sum(_nx)::BIGINT",
    records: "sum(_nx)::BIGINT",
    inBand: "sum(_nb)::BIGINT",
  };
}

/** Whether a share's measured value lies in its band. */
export function bandSql(m: Extract<Measure, { kind: "share_in_band" }>): string {
  const lower = m.min === undefined ? [] : [`${m.column} >= ${m.min}`];
  const upper = m.max === undefined ? [] : [`${m.column} < ${m.max}`];
  return [...lower, ...upper].join(" AND ");
}

/**
 * The periods of the dirty cells, split by whether a record in them has more than one version (derive-cells.ts,
 * checkRevisedPeriods). They are few (a late file touches one or two), and they go into the SQL as literals: a literal
 * list is a filter DuckDB pushes into the scan, where `NOT IN (SELECT …)` was a join after it. At 10^7 households
 * the latest-version branch of a period without revisions scanned seven columns of its 2·10^6 records, 0.17-0.2 s
 * per derivation, only to drop them all.
 */
export interface DirtyPeriods {
  readonly clean: readonly string[];
  readonly revised: readonly string[];
}

/** Which cells a query covers: those in the temp table `dirty_cell` (whose periods are given), or one cell. */
export type CellScope = { kind: "dirty"; periods: DirtyPeriods } | { kind: "one"; region: string; period: string };

/**
 * The latest version of each record in the dirty cells' periods (every period for a stock): a period without
 * revisions is read as it is, the others through the window that keeps each key's newest version.
 */
function latestOfDirty(table: string, periods: DirtyPeriods, stock: boolean, window: string): string {
  const parts: string[] = [];
  if (periods.clean.length > 0) parts.push(`SELECT * FROM ${table} WHERE _period IN ${inList(periods.clean)}`);
  const rest = stock
    ? periods.clean.length > 0
      ? `WHERE _period NOT IN ${inList(periods.clean)}`
      : ""
    : periods.revised.length > 0
      ? `WHERE _period IN ${inList(periods.revised)}`
      : undefined;
  if (rest !== undefined) parts.push(`SELECT * FROM (SELECT * FROM ${table} ${rest} ${window})`);
  return parts.length > 0 ? parts.join("\n  UNION ALL\n  ") : `SELECT * FROM ${table} WHERE false`;
}

/**
 * Keeps each record's latest version: a later record with the same key and period revises it, and the latest is the
 * one of the newest vintage, then the newest snapshot, then the last line. Full derivations and count updates
 * (derive-delta.ts) must pick the same one.
 */
export const latestVersionSql = (spec: RecordFeedSpec): string =>
  `QUALIFY row_number() OVER (PARTITION BY ${spec.records.key.join(", ")}, _period ` +
  "ORDER BY _vintage DESC, _snapshot DESC, _line DESC) = 1";

/** Rows `a` and `b` are versions of one record: the same key and period. */
export const sameRecordSql = (spec: RecordFeedSpec, a: string, b: string): string =>
  [...spec.records.key, "_period"].map((k) => `${a}.${k} = ${b}.${k}`).join(" AND ");

/**
 * How a derivation's records are filtered and placed, as a query over them aliased `f` writes it: the filter, the
 * cell period of a placed row and, for a stock, the join of each record with the year-ends it is live at (`y`).
 */
export function placementSql(
  d: Derivation,
  spec: RecordFeedSpec,
): { where: string; stock: boolean; cellPeriod: string; stockJoin: string } {
  const where = d.filters.length === 0 ? "" : `WHERE ${d.filters.map(filterSql).join(" AND ")}`;
  if (d.period.kind !== "stock") return { where, stock: false, cellPeriod: "f._period", stockJoin: "" };
  const stock = stockSql(spec, recordTable(spec.id), d.period.end, d.period.from);
  return {
    where,
    stock: true,
    cellPeriod: "CAST(y.y AS VARCHAR)",
    stockJoin: `JOIN range(${stock.firstYear}, ${stock.lastYear} + 1) y(y) ON ${stock.live}`,
  };
}

/**
 * The rows of the cells in scope, placed in each cell they count in (`_cell_region`, `_cell_period`): the latest
 * version of each record (a later record with the same key and period revises it), filtered.
 */
export function cellRowsSql(d: Derivation, spec: RecordFeedSpec, scope: CellScope): string {
  const table = recordTable(spec.id);
  const { where, stock, cellPeriod, stockJoin } = placementSql(d, spec);
  const levels = d.levels.map(literal).join(", ");
  const m = d.measure;
  // Over the dirty cells the Gini ranks by a number given to each cell (`_cell`; see derivationSql).
  const numbered = m.kind === "gini" && scope.kind === "dirty";
  const rank =
    m.kind === "gini" && !numbered
      ? `, CASE WHEN ${m.column} IS NOT NULL THEN row_number() ` +
        `OVER (PARTITION BY _cell_region, _cell_period ORDER BY ${m.column} NULLS LAST) END AS _rank`
      : numbered
        ? ", d._cell"
        : "";
  const dirty = dirtySql(d, spec);
  const inScope =
    scope.kind === "one"
      ? `WHERE a.ancestor = ${literal(scope.region)} AND ${cellPeriod} = ${literal(scope.period)}`
      : numbered
        ? `JOIN ${numberedCells(dirty)} d ON d.region_code = a.ancestor AND d.period = ${cellPeriod}`
        : `SEMI JOIN ${dirty} d ON d.region_code = a.ancestor AND d.period = ${cellPeriod}`;
  const window = latestVersionSql(spec);
  // Versions of a record share its period, so a flow needs the latest versions of the periods in scope only.
  const latest =
    scope.kind === "dirty"
      ? latestOfDirty(table, scope.periods, stock, window)
      : `SELECT * FROM ${table} ${stock ? "" : `WHERE _period = ${literal(scope.period)}`} ${window}`;
  const summed = scope.kind === "dirty" ? summedSql(m) : undefined;
  if (summed)
    return `
WITH latest AS (
  ${latest}
),
filtered AS (SELECT * FROM latest ${where}),
placed AS (
  SELECT f._region, ${cellPeriod} AS _cell_period, ${summed.counts}, max(f._vintage) AS _vintage
  FROM filtered f
  ${stockJoin}
  GROUP BY f._region, ${cellPeriod}
),
cells AS (
  SELECT a.ancestor AS _cell_region, p.*
  FROM placed p
  JOIN region_ancestor a ON a.code = p._region AND a.level IN (${levels})
  SEMI JOIN ${dirty} d ON d.region_code = a.ancestor AND d.period = p._cell_period
)`;
  return `
WITH latest AS (
  ${latest}
),
filtered AS (SELECT * FROM latest ${where}),
cells AS (
  SELECT a.ancestor AS _cell_region, ${cellPeriod} AS _cell_period, f.*${rank}
  FROM filtered f
  JOIN region_ancestor a ON a.code = f._region AND a.level IN (${levels})
  ${stockJoin}
  ${inScope}
)`;
}

/**
 * The cells of `dirty`, each once (a stock's expanded years can repeat, and a join must keep one row per record and
 * cell as SEMI JOIN does), numbered in their order: the same numbers each time the query reads it.
 */
const numberedCells = (dirty: string): string =>
  `(SELECT region_code, period, row_number() OVER (ORDER BY region_code, period) AS _cell
    FROM (SELECT DISTINCT region_code, period FROM ${dirty}))`;

/** The cells the dirty scope covers: those in `dirty_cell`; for a stock, every year-end from a changed year on. */
function dirtySql(d: Derivation, spec: RecordFeedSpec): string {
  if (d.period.kind !== "stock") return "dirty_cell";
  // A record's change reaches every year-end from its start on.
  const { lastYear } = stockSql(spec, recordTable(spec.id), d.period.end, d.period.from);
  return `(SELECT region_code, CAST(unnest(range(CAST(period AS BIGINT), ${lastYear} + 1)) AS VARCHAR) AS period FROM dirty_cell)`;
}

/** A date, timestamp or year column as the day it stands for (a year: its last day), for "live at the end of y". */
function dayOf(spec: RecordFeedSpec, column: string, alias = ""): string {
  const expr = `${alias}${column}`;
  switch (spec.records.columns[column]?.type) {
    case "integer":
      return `make_date(CAST(${expr} AS BIGINT), 12, 31)`;
    case "timestamp":
      return `CAST(timezone('Asia/Shanghai', ${expr}) AS DATE)`;
    default:
      return `CAST(${expr} AS DATE)`;
  }
}

/**
 * A stock's years (from the first start, or `from` if later, to the last start or end in the table) and when a
 * record is live at the end of year y: begun by then, and not ended by then. An entity ended during a year is not in
 * that year's stock.
 */
function stockSql(
  spec: RecordFeedSpec,
  table: string,
  end: string,
  from: number | undefined,
): { firstYear: string; lastYear: string; live: string } {
  const start = spec.records.eventTime;
  const endYear = `year(${dayOf(spec, end)})`;
  const first = `(SELECT coalesce(min(CAST(_period AS BIGINT)), 0) FROM ${table})`;
  return {
    firstYear: from === undefined ? first : `greatest(${first}, ${from})`,
    lastYear: `(SELECT coalesce(greatest(max(CAST(_period AS BIGINT)), max(${endYear})), 0) FROM ${table})`,
    live: `${dayOf(spec, start, "f.")} <= make_date(y.y, 12, 31)
    AND (f.${end} IS NULL OR ${dayOf(spec, end, "f.")} > make_date(y.y, 12, 31))`,
  };
}

/**
 * The SELECT that computes a derivation for the cells in scope (those in the temp table
 * `dirty_cell (region_code, period)`, or one cell): one row per cell with its value (in the measure's own scale), the records
 * it is built from, the newest vintage among them and, for a share in a band over the dirty cells, the records in
 * the band.
 */
export function derivationSql(d: Derivation, spec: RecordFeedSpec, scope: CellScope): string {
  const m = d.measure;
  const cells = cellRowsSql(d, spec, scope);
  if (m.kind === "share_of_days" || m.kind === "mean_of_days") {
    const day =
      spec.records.columns[spec.records.eventTime]?.type === "timestamp"
        ? `CAST(timezone('Asia/Shanghai', ${spec.records.eventTime}) AS DATE)`
        : `CAST(${spec.records.eventTime} AS DATE)`;
    return `${cells},
days AS (
  SELECT _cell_region, _cell_period, ${m.placeColumn}, ${day} AS _day, ${orderedMean(m.column)} AS _daily,
         count(${m.column}) AS _n, max(_vintage) AS _vintage
  FROM cells WHERE ${m.column} IS NOT NULL GROUP BY ALL
)
SELECT _cell_region AS region_code, _cell_period AS period, ${measureSql(m)} AS value, ${recordsSql(m)} AS records,
       max(_vintage) AS vintage, NULL::BIGINT AS in_band
FROM days GROUP BY _cell_region, _cell_period`;
  }
  if (m.kind === "gini" && scope.kind === "dirty")
    // The rank window sorts only a cell's number, the value and the vintage, and the cells get their names back
    // after the aggregate: the window carried the cell's region and period as strings before, which cost 25-30%
    // more CPU at 10^6 households (and partitioning by them another 30-40%). The same ranks, so the same values.
    return `${cells},
ranked AS (
  SELECT _cell, ${m.column}, _vintage, CASE WHEN ${m.column} IS NOT NULL THEN row_number()
         OVER (PARTITION BY _cell ORDER BY ${m.column} NULLS LAST) END AS _rank
  FROM cells
),
per_cell AS (
  SELECT _cell, ${measureSql(m)} AS value, ${recordsSql(m)} AS records, max(_vintage) AS vintage
  FROM ranked GROUP BY _cell
)
SELECT n.region_code, n.period, p.value, p.records, p.vintage, NULL::BIGINT AS in_band
FROM per_cell p JOIN ${numberedCells(dirtySql(d, spec))} n ON n._cell = p._cell`;
  const summed = scope.kind === "dirty" ? summedSql(m) : undefined;
  return `${cells}
SELECT _cell_region AS region_code, _cell_period AS period, ${summed?.value ?? measureSql(m)} AS value,
       ${summed?.records ?? recordsSql(m)} AS records, max(_vintage) AS vintage,
       ${summed?.inBand ?? "NULL::BIGINT"} AS in_band
FROM cells GROUP BY _cell_region, _cell_period`;
}
