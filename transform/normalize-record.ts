import {
  convertValue,
  resolveUnit,
  type Catalog,
  type DeadLetterReason,
  type FeedSpec,
  type Observation,
  type RawRecord,
  type Region,
  type RegionResolver,
} from "../schemas/index.ts";
import { closestIndicators } from "./closest-indicators.ts";
import { parseCell } from "./parse-number.ts";
import { implausibility } from "./plausibility.ts";
import { recordCells, type Cell } from "./record-cells.ts";
import { resolveRecordKeys } from "./record-keys.ts";

export interface NormalizeContext {
  spec: FeedSpec;
  catalog: Catalog;
  regions: RegionResolver;
  ingestedAt: string;
}

/** A cell that could not become an observation, with why; the rest of the record still flows. */
export interface RejectedCell {
  column: string;
  reasons: DeadLetterReason[];
}

export interface NormalizeResult {
  observations: Observation[];
  /** Reasons the whole record failed (its region, period or value columns); no observation is emitted then. */
  recordReasons: DeadLetterReason[];
  /** Bad cells of a record whose other cells became observations: a wide row never loses its good cells. */
  rejectedCells: RejectedCell[];
  /** Cells holding a missing-value marker: counted, never turned into zeros. */
  missing: number;
}

/** Turns one raw record into observations in catalog units: long or wide layout, regions and periods resolved, values checked. */
export function normalizeRecord(record: RawRecord, ctx: NormalizeContext): NormalizeResult {
  const result: NormalizeResult = { observations: [], recordReasons: [], rejectedCells: [], missing: 0 };
  const layout = ctx.spec.layout;
  const keys = resolveRecordKeys(record, layout, ctx.regions);
  const cells = recordCells(record, layout);
  if (!keys.ok) result.recordReasons.push(...keys.reasons);
  if (!Array.isArray(cells)) result.recordReasons.push(cells);
  if (!keys.ok || !Array.isArray(cells)) return result;

  for (const cell of cells) {
    const outcome = normalizeCell(cell, ctx.catalog);
    if (isMissing(outcome)) result.missing++;
    else if (Array.isArray(outcome)) result.rejectedCells.push({ column: cell.column, reasons: outcome });
    else result.observations.push(observation(record, keys.region, keys.period, outcome, cell, ctx));
  }
  return result;
}

/** A cell holding a missing-value marker, of a known indicator: recorded as not reported, never a zero. */
export interface MissingCell {
  missing: true;
  indicator: string;
  unit: string;
}

type CellOutcome = { indicator: string; unit: string; value: number } | MissingCell | DeadLetterReason[];

export const isMissing = (outcome: CellOutcome): outcome is MissingCell => "missing" in outcome;

function normalizeCell(cell: Cell, catalog: Catalog): CellOutcome {
  return normalizeValue(cell.indicatorName, cell.raw, cell.unit, cell.column, cell.indicatorPath, catalog);
}

/**
 * One value cell in catalog units, a missing marker, or every reason it is not an observation. Positional
 * arguments, not a cell object: a batch calls this for every value cell and makes no object for the good ones.
 */
export function normalizeValue(
  indicatorName: string,
  raw: string,
  unit: string | undefined,
  column: string,
  indicatorPath: string,
  catalog: Catalog,
): CellOutcome {
  const indicator = catalog.indicator(indicatorName);
  const parsed = parseCell(raw);
  // Reasons and paths are built only when there is one: this runs for every cell and most have none.
  let reasons: DeadLetterReason[] | undefined;
  if (!indicator) {
    reasons = [];
    const candidates = closestIndicators(indicatorName, catalog);
    const hint = candidates.length > 0 ? `; closest: ${candidates.join(", ")}` : "";
    reasons.push({
      path: indicatorPath,
      code: "unknown_indicator",
      message: `indicator "${indicatorName}" is not in the catalog${hint}`,
      candidates,
    });
  }
  if (parsed.kind === "missing")
    return reasons ?? (indicator ? { missing: true, indicator: indicator.code, unit: indicator.unit } : []);
  if (parsed.kind === "invalid")
    (reasons ??= []).push({ path: `fields.${column}`, code: "not_a_number", message: parsed.reason });
  if (!indicator || parsed.kind !== "number") return reasons ?? [];

  const fromUnit = parsed.suffix || unit || indicator.unit;
  if (resolveUnit(fromUnit) === undefined)
    return [
      {
        path: `fields.${column}`,
        code: "unknown_unit",
        message: `unit "${fromUnit}" of "${raw}" is not a known unit`,
      },
    ];
  const converted = convertValue(parsed.value, fromUnit, indicator.unit);
  if (!converted.ok)
    return [
      {
        path: `fields.${column}`,
        code: "unit_mismatch",
        message: `"${raw}" for ${indicator.code}: ${converted.reason}`,
      },
    ];
  const why = implausibility(indicator, converted.value);
  if (why) return [{ path: `fields.${column}`, code: "implausible", message: `"${raw}": ${why}` }];
  return { indicator: indicator.code, unit: indicator.unit, value: converted.value };
}

function observation(
  record: RawRecord,
  region: Region,
  period: string,
  cell: { indicator: string; unit: string; value: number },
  source: Cell,
  ctx: NormalizeContext,
): Observation {
  const wide = ctx.spec.layout.kind === "wide";
  return {
    indicator: cell.indicator,
    region: region.code,
    period,
    value: cell.value,
    unit: cell.unit,
    vintage: record.vintage,
    // A long row's observation has the record's own source (shared, never mutated); a wide row's names its column.
    source: wide ? { ...record.source, position: { ...record.source.position, column: source.column } } : record.source,
    ingestedAt: ctx.ingestedAt,
  };
}
