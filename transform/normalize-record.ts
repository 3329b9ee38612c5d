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
    if (outcome === "missing") result.missing++;
    else if (Array.isArray(outcome)) result.rejectedCells.push({ column: cell.column, reasons: outcome });
    else result.observations.push(observation(record, keys.region, keys.period, outcome, cell, ctx));
  }
  return result;
}

/** A cell's path in reasons, built only when there is a reason: this runs for every cell and most have none. */
const cellPath = (cell: Cell): string => `fields.${cell.column}`;

type CellOutcome = { indicator: string; unit: string; value: number } | "missing" | DeadLetterReason[];

function normalizeCell(cell: Cell, catalog: Catalog): CellOutcome {
  const indicator = catalog.indicator(cell.indicatorName);
  const parsed = parseCell(cell.raw);
  const reasons: DeadLetterReason[] = [];
  if (!indicator) {
    const candidates = closestIndicators(cell.indicatorName, catalog);
    const hint = candidates.length > 0 ? `; closest: ${candidates.join(", ")}` : "";
    reasons.push({
      path: cell.indicatorPath,
      code: "unknown_indicator",
      message: `indicator "${cell.indicatorName}" is not in the catalog${hint}`,
      candidates,
    });
  }
  if (parsed.kind === "missing") return reasons.length > 0 ? reasons : "missing";
  if (parsed.kind === "invalid") reasons.push({ path: cellPath(cell), code: "not_a_number", message: parsed.reason });
  if (!indicator || parsed.kind !== "number") return reasons;

  const fromUnit = parsed.suffix || cell.unit || indicator.unit;
  if (resolveUnit(fromUnit) === undefined)
    return [
      {
        path: cellPath(cell),
        code: "unknown_unit",
        message: `unit "${fromUnit}" of "${cell.raw}" is not a known unit`,
      },
    ];
  const converted = convertValue(parsed.value, fromUnit, indicator.unit);
  if (!converted.ok)
    return [
      {
        path: cellPath(cell),
        code: "unit_mismatch",
        message: `"${cell.raw}" for ${indicator.code}: ${converted.reason}`,
      },
    ];
  const why = implausibility(indicator, converted.value);
  if (why) return [{ path: cellPath(cell), code: "implausible", message: `"${cell.raw}": ${why}` }];
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
