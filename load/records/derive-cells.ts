import type { DuckDBConnection } from "@duckdb/node-api";
import { WAREHOUSE, type Derivation, type RecordFeedSpec } from "../../schemas/index.ts";
import { deltaSql, updatedCellsSql } from "./derive-delta.ts";
import { derivationSql, sameRecordSql, type DirtyPeriods } from "./derive-sql.ts";
import { inList, literal, recordTable } from "./record-table.ts";

export interface DeriveResult {
  /** Cells computed (suppressed ones included). */
  cells: number;
  suppressed: number;
  /** Observations written: cells whose value is new or changed. */
  observations: number;
}

/** Where a derived observation comes from: the derivation, and the record snapshot it was computed on. */
export const derivationUri = (id: string): string => `derivation:${id}`;

/**
 * Recomputes one derivation for the cells in `dirty_cell` (whose periods markDirtyCells or markAllCells returned),
 * inside the caller's transaction. Every cell's state goes to derived_cell; a cell with fewer than `minRecords` records
 * is suppressed there and gets no observation; a cell whose value is new or changed is written to fact_observation as a
 * new vintage, its provenance naming the derivation and the snapshot. An unchanged cell writes nothing. The vintage is
 * the newest publication among the cell's records and the records loaded after snapshot `after` (the change): a
 * revision that takes a record out of a cell (a back-dated cancellation) dates the cell's new value too. After a load,
 * a count or a share in a band is updated from its stored counts by what the change adds and takes away
 * (derive-delta.ts), cell by cell the same as recomputing it; other measures are recomputed from the cells' records.
 */
export async function deriveCells(
  connection: DuckDBConnection,
  d: Derivation,
  spec: RecordFeedSpec,
  periods: DirtyPeriods,
  snapshot: number,
  after?: number,
): Promise<DeriveResult> {
  const id = literal(d.id);
  const changedBy =
    after === undefined ? "NULL" : `(SELECT max(_vintage) FROM ${recordTable(spec.id)} WHERE _snapshot > ${after})`;
  const cells = (await updatable(connection, d, spec, after))
    ? updatedCellsSql(d)
    : derivationSql(d, spec, { kind: "dirty", periods });
  await connection.run(`CREATE OR REPLACE TEMP TABLE derived_now AS
SELECT region_code, period, CASE WHEN records >= ${d.minRecords} THEN value * ${d.scale} END AS value, records,
       records < ${d.minRecords} AS suppressed, greatest(vintage, ${changedBy}) AS vintage, in_band
FROM (${cells})`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE derived_changed AS
SELECT n.* FROM derived_now n
LEFT JOIN derived_cell c ON c.derivation = ${id} AND c.region_code = n.region_code AND c.period = n.period
WHERE NOT n.suppressed AND n.value IS NOT NULL AND (c.derivation IS NULL OR c.value IS DISTINCT FROM n.value)`);
  const position = `'snapshot ' || ${snapshot} || ', ' || records || ' records'`;
  const uri = literal(derivationUri(d.id));
  await connection.run(`INSERT INTO fact_observation
  (obs_key, indicator_code, region_code, period, value, unit, vintage, source_feed, source_uri, source_position, ingested_at)
SELECT md5_number(concat_ws('|', ${literal(d.indicator)}, region_code, period, vintage, ${literal(spec.id)}, ${uri}, ${position})),
       ${literal(d.indicator)}, region_code, period, value, i.unit, vintage, ${literal(spec.id)}, ${uri}, ${position},
       current_timestamp
FROM derived_changed JOIN dim_indicator i ON i.code = ${literal(d.indicator)}`);
  await connection.run(`INSERT OR IGNORE INTO _lake_dirty (table_name, part)
SELECT DISTINCT 'fact_observation', 'year=' || left(period, 4) FROM derived_changed`);
  await connection.run(`INSERT OR REPLACE INTO derived_cell
  (derivation, indicator_code, region_code, period, value, records, suppressed, feed, snapshot, vintage, computed_at, in_band)
SELECT ${id}, ${literal(d.indicator)}, region_code, period, value, records, suppressed, ${literal(spec.id)}, ${snapshot},
       vintage, current_timestamp, in_band
FROM derived_now`);
  const counts = (
    await connection.runAndReadAll(`SELECT
  (SELECT count(*) FROM derived_now) AS cells,
  (SELECT count(*) FROM derived_now WHERE suppressed) AS suppressed,
  (SELECT count(*) FROM derived_changed) AS observations`)
  ).getRowObjects()[0];
  return {
    cells: Number(counts?.["cells"] ?? 0),
    suppressed: Number(counts?.["suppressed"] ?? 0),
    observations: Number(counts?.["observations"] ?? 0),
  };
}

/** A change of more than 1 record in this many is derived in full, not updated. */
const UPDATE_AT_MOST = 10;

/**
 * Whether a pass can update this derivation's cells from their stored counts (derive-delta.ts) instead of
 * recomputing them: a count or a share in a band, after a load of at most a tenth of the records (not a full
 * derivation), and every cell the change reaches holding its counts (a share's cell computed before migration 9
 * lacks `in_band`: it is recomputed once). Leaves the changes in the temp table `derived_delta`.
 */
async function updatable(
  connection: DuckDBConnection,
  d: Derivation,
  spec: RecordFeedSpec,
  after: number | undefined,
): Promise<boolean> {
  const delta = after === undefined ? undefined : deltaSql(d, spec, after);
  if (delta === undefined) return false;
  // A first load, or a change of a large part of the records, is counted in full: the update's latest-version
  // window over every changed key would cost more than the full derivation, which skips it in periods without
  // revisions (10^6 households loaded at once: 4.5 s with the update, 3.9 s without).
  const [fresh, all] = (
    await connection.runAndReadAll(
      `SELECT count(*) FILTER (WHERE _snapshot > ${after}), count(*) FROM ${recordTable(spec.id)}`,
    )
  ).getRows()[0] ?? [0, 0];
  if (Number(fresh) * UPDATE_AT_MOST > Number(all)) return false;
  await connection.run(`CREATE OR REPLACE TEMP TABLE derived_delta AS ${delta}`);
  if (d.measure.kind !== "share_in_band") return true;
  const lacking = (
    await connection.runAndReadAll(`SELECT count(*) FROM derived_delta dl
JOIN derived_cell s ON s.derivation = ${literal(d.id)} AND s.region_code = dl.region_code AND s.period = dl.period
WHERE s.in_band IS NULL`)
  ).getRows()[0]?.[0];
  return Number(lacking ?? 0) === 0;
}

/**
 * Marks dirty the cells, at every level, that the records loaded after snapshot `after` touch: their own cells, and
 * the cells of the earlier versions they revise (a household that moved county leaves its old county's cell). Only
 * rows loaded up to `after` are looked up as earlier versions: a fresh row would only find itself (or another fresh
 * one), whose cells are in already, and on a first load that lookup joined every record with itself. Versions of a
 * record share its period, so only the fresh records' periods are searched (as literals, which the scan filters on).
 * Returns the dirty cells' periods with whether each holds revised records, which it keeps in _record_period.
 */
export async function markDirtyCells(
  connection: DuckDBConnection,
  spec: RecordFeedSpec,
  after: number,
): Promise<DirtyPeriods> {
  const table = recordTable(spec.id);
  const fresh = `(SELECT * FROM ${table} WHERE _snapshot > ${after})`;
  // The fresh rows are the table's last ones, which zone maps on _snapshot find without reading the others.
  const periods = (await connection.runAndReadAll(`SELECT DISTINCT _period FROM ${fresh} ORDER BY 1`))
    .getRows()
    .map(([p]) => String(p));
  const inPeriods = periods.length === 0 ? "false" : `_period IN ${inList(periods)}`;
  await connection.run(`CREATE OR REPLACE TEMP TABLE earlier_version AS
SELECT DISTINCT o._region, o._period FROM ${table} o SEMI JOIN ${fresh} n ON ${sameRecordSql(spec, "o", "n")}
WHERE o._snapshot <= ${after} AND o.${inPeriods}`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE dirty_cell AS
WITH touched AS (SELECT _region, _period FROM ${fresh} UNION SELECT _region, _period FROM earlier_version)
SELECT DISTINCT a.ancestor AS region_code, s._period AS period
FROM touched s JOIN region_ancestor a ON a.code = s._region`);
  const known = await storedRevised(connection, spec, periods);
  // A known period is revised if it was, or if a fresh record has an earlier version in it or a fresh twin.
  const nowRevised = known.size === 0 ? new Set<string>() : await revisedByFresh(connection, spec, fresh);
  const unknown = periods.filter((p) => !known.has(p));
  const checked = await revisedPeriods(connection, spec, unknown);
  const revised = new Set(
    periods.filter((p) => (known.has(p) ? known.get(p) === true || nowRevised.has(p) : checked.has(p))),
  );
  return storeRevised(connection, spec, periods, revised);
}

/** Marks every cell of a feed dirty: a full derivation (a derivation added or changed after the records loaded). */
export async function markAllCells(connection: DuckDBConnection, spec: RecordFeedSpec): Promise<DirtyPeriods> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE dirty_cell AS
SELECT DISTINCT a.ancestor AS region_code, s._period AS period
FROM (SELECT DISTINCT _region, _period FROM ${recordTable(spec.id)}) s
JOIN region_ancestor a ON a.code = s._region`);
  const periods = (await connection.runAndReadAll("SELECT DISTINCT period FROM dirty_cell ORDER BY 1"))
    .getRows()
    .map(([p]) => String(p));
  return storeRevised(connection, spec, periods, await revisedPeriods(connection, spec, periods));
}

/** The revision status kept for these periods of the feed (periods never checked are absent). */
async function storedRevised(
  connection: DuckDBConnection,
  spec: RecordFeedSpec,
  periods: readonly string[],
): Promise<Map<string, boolean>> {
  if (periods.length === 0) return new Map();
  const rows = await connection.runAndReadAll(
    `SELECT period, revised FROM ${WAREHOUSE.recordPeriod} WHERE feed = ${literal(spec.id)} AND period IN ${inList(periods)}`,
  );
  return new Map(rows.getRows().map(([p, revised]) => [String(p), revised === true]));
}

/** Periods where a fresh record has an earlier version (earlier_version) or shares its key with another fresh one. */
async function revisedByFresh(connection: DuckDBConnection, spec: RecordFeedSpec, fresh: string): Promise<Set<string>> {
  const rows = await connection.runAndReadAll(
    `SELECT DISTINCT _period FROM earlier_version UNION ${periodsWithTwins(spec, fresh)}`,
  );
  return new Set(rows.getRows().map(([p]) => String(p)));
}

/**
 * Which of these periods hold a record in more than one version (a key loaded twice in a period), from all their
 * records. A derivation picks each record's latest version with a window over every record of the periods it reads,
 * and a period without revisions has nothing to pick: that window cost more CPU per derivation (0.7-0.8 s at 10^6
 * households) than this check does (0.3 s), and the check runs once per period (its result is kept). Periods not
 * checked (a stock reads them all) keep the window. The check groups by a 64-bit hash of the key, not the key: a
 * collision can only take a period as revised (then the window runs, as before), and grouping 10^7 pseudonymised
 * identifiers (64-character strings) within the warehouse's memory limit took 10 s, their hashes 3 s.
 */
async function revisedPeriods(
  connection: DuckDBConnection,
  spec: RecordFeedSpec,
  periods: readonly string[],
): Promise<Set<string>> {
  if (periods.length === 0) return new Set();
  const rows = await connection.runAndReadAll(
    periodsWithTwins(spec, `(SELECT * FROM ${recordTable(spec.id)} WHERE _period IN ${inList(periods)})`),
  );
  return new Set(rows.getRows().map(([p]) => String(p)));
}

/**
 * The periods of `rows` in which a key occurs more than once, grouped by a 64-bit hash of the key (see
 * revisedPeriods: a collision can only take a period as revised).
 */
const periodsWithTwins = (spec: RecordFeedSpec, rows: string): string =>
  `SELECT DISTINCT _period FROM ${rows} GROUP BY hash(${spec.records.key.join(", ")}), _period HAVING count(*) > 1`;

/** Keeps the periods' status in _record_period (in the caller's transaction) and returns it for the derivations. */
async function storeRevised(
  connection: DuckDBConnection,
  spec: RecordFeedSpec,
  periods: readonly string[],
  revised: ReadonlySet<string>,
): Promise<DirtyPeriods> {
  if (periods.length > 0)
    await connection.run(
      `INSERT OR REPLACE INTO ${WAREHOUSE.recordPeriod} (feed, period, revised) VALUES ${periods
        .map((p) => `(${literal(spec.id)}, ${literal(p)}, ${revised.has(p)})`)
        .join(", ")}`,
    );
  return { clean: periods.filter((p) => !revised.has(p)), revised: periods.filter((p) => revised.has(p)) };
}
