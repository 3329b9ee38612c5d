import type { Derivation, RecordFeedSpec } from "../../schemas/index.ts";
import { bandSql, latestVersionSql, placementSql, sameRecordSql } from "./derive-sql.ts";
import { literal, recordTable } from "./record-table.ts";

/**
 * What the records loaded after snapshot `after` change in a count or a share in a band, per cell at the
 * derivation's levels: `records` (the count, or the records with a value) and `in_band` (a share's records in the
 * band, else NULL) as differences, and the newest vintage among the records they add. Only the changed records'
 * keys are read: each key's latest version before the change is taken out of its cells and its latest version now
 * put in, so a back-dated cancellation moves one entity out of the year-ends it no longer reaches instead of
 * recounting every entity of them. Undefined for other measures (a Gini or a median is not a sum).
 *
 * Versions of a record share its key and period, and the latest is the one the full derivation keeps (newest
 * vintage, then snapshot, then line), so the stored counts plus these differences are the counts a full derivation
 * gives (test/load/records/derive-delta.test.ts).
 */
export function deltaSql(d: Derivation, spec: RecordFeedSpec, after: number): string | undefined {
  const m = d.measure;
  if (m.kind !== "count" && m.kind !== "share_in_band") return undefined;
  const table = recordTable(spec.id);
  const key = spec.records.key.join(", ");
  const latest = latestVersionSql(spec);
  const { where, cellPeriod, stockJoin } = placementSql(d, spec);
  const counts =
    m.kind === "count"
      ? "sum(f._sign) AS _n, NULL::BIGINT AS _nb"
      : `sum(f._sign) FILTER (WHERE f.${m.column} IS NOT NULL) AS _n, sum(f._sign) FILTER (WHERE ${bandSql(m)}) AS _nb`;
  return `
WITH changed AS (SELECT DISTINCT ${key}, _period FROM ${table} WHERE _snapshot > ${after}),
versions AS (SELECT t.* FROM ${table} t SEMI JOIN changed c ON ${sameRecordSql(spec, "t", "c")}),
signed AS (
  SELECT -1 AS _sign, * FROM (SELECT * FROM versions WHERE _snapshot <= ${after} ${latest})
  UNION ALL
  SELECT 1 AS _sign, * FROM (SELECT * FROM versions ${latest})
),
filtered AS (SELECT * FROM signed ${where}),
placed AS (
  SELECT f._region, ${cellPeriod} AS _cell_period, ${counts}, max(f._vintage) FILTER (WHERE f._sign = 1) AS _vintage
  FROM filtered f
  ${stockJoin}
  GROUP BY f._region, ${cellPeriod}
)
SELECT a.ancestor AS region_code, p._cell_period AS period, coalesce(sum(p._n), 0)::BIGINT AS records,
       ${m.kind === "count" ? "NULL::BIGINT" : "coalesce(sum(p._nb), 0)::BIGINT"} AS in_band, max(p._vintage) AS vintage
FROM placed p JOIN region_ancestor a ON a.code = p._region AND a.level IN (${d.levels.map(literal).join(", ")})
GROUP BY a.ancestor, p._cell_period`;
}

/**
 * The cells `derived_delta` (deltaSql's rows) changes, their counts now: the stored counts plus the differences, and
 * the value computed from them exactly as the full derivation computes it from its sums (same types, same
 * expression, so the same value). Columns as derivationSql's.
 */
export function updatedCellsSql(d: Derivation): string {
  const value = d.measure.kind === "count" ? "records" : "100.0 * in_band / records";
  return `
SELECT region_code, period, ${value} AS value, records, vintage, in_band
FROM (
  SELECT dl.region_code, dl.period, (coalesce(s.records, 0) + dl.records)::BIGINT AS records,
         (coalesce(s.in_band, 0) + dl.in_band)::BIGINT AS in_band, greatest(s.vintage, dl.vintage) AS vintage
  FROM derived_delta dl
  LEFT JOIN derived_cell s ON s.derivation = ${literal(d.id)} AND s.region_code = dl.region_code AND s.period = dl.period
)`;
}
