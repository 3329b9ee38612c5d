import {
  convertValue,
  parsePeriod,
  type Catalog,
  type DeadLetterReason,
  type FeedSpec,
  type Observation,
  type RawRecord,
  type RegionResolver,
} from "../schemas/index.ts";
import { parseCell } from "./parse-number.ts";
import { implausibility } from "./plausibility.ts";

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
  /** Reasons the whole record failed (its region or period); no observation is emitted then. */
  recordReasons: DeadLetterReason[];
  rejectedCells: RejectedCell[];
  /** Cells holding a missing-value marker: counted, never turned into zeros. */
  missing: number;
}

interface Cell {
  column: string;
  indicatorName: string;
  raw: string;
  unit: string | undefined;
}

/** Turns one raw record into observations in catalog units: long or wide layout, regions and periods resolved, values checked. */
export function normalizeRecord(record: RawRecord, ctx: NormalizeContext): NormalizeResult {
  const { spec } = ctx;
  const layout = spec.layout;
  const result: NormalizeResult = { observations: [], recordReasons: [], rejectedCells: [], missing: 0 };
  const field = (name: string | undefined): string | undefined => (name === undefined ? undefined : record.fields[name]);

  const regionText = field(layout.region);
  const region = regionText === undefined ? undefined : ctx.regions.resolve(regionText);
  if (regionText === undefined) result.recordReasons.push({ path: `fields.${layout.region}`, code: "missing_field", message: `column ${layout.region} is missing` });
  else if (region && !region.ok) {
    result.recordReasons.push({
      path: `fields.${layout.region}`,
      code: region.reason === "ambiguous" ? "ambiguous_region" : "unknown_region",
      message: `${region.reason} region "${regionText}"${region.candidates.length ? `; closest: ${region.candidates.map((c) => `${c.nameZh} (${c.code})`).join(", ")}` : ""}`,
      candidates: region.candidates.map((c) => c.code),
    });
  }
  const periodText = layout.fixedPeriod ?? field(layout.period);
  const period = periodText === undefined ? undefined : parsePeriod(periodText);
  if (periodText === undefined) result.recordReasons.push({ path: `fields.${layout.period}`, code: "missing_field", message: `column ${layout.period} is missing` });
  else if (period && !period.ok) result.recordReasons.push({ path: layout.period ? `fields.${layout.period}` : "layout.fixedPeriod", code: "bad_period", message: `period "${periodText}": ${period.reason}` });
  const cells = cellsOf(record, spec);
  if (typeof cells === "string") result.recordReasons.push({ code: "missing_field", message: cells });
  if (result.recordReasons.length > 0 || !region?.ok || !period?.ok || typeof cells === "string") return result;

  for (const cell of cells) {
    const reasons: DeadLetterReason[] = [];
    const path = `fields.${cell.column}`;
    const code = layout.kind === "long" ? (layout.indicatorMap[cell.indicatorName] ?? cell.indicatorName) : cell.indicatorName;
    const indicator = ctx.catalog.indicator(code);
    const parsed = parseCell(cell.raw);
    if (parsed.kind === "missing") {
      result.missing++;
      continue;
    }
    if (!indicator) reasons.push({ path, code: "unknown_indicator", message: `indicator "${cell.indicatorName}" is not in the catalog` });
    if (parsed.kind === "invalid") reasons.push({ path, code: "not_a_number", message: `"${cell.raw}" is not a number` });
    if (indicator && parsed.kind === "number") {
      const fromUnit = parsed.suffix || cell.unit || indicator.unit;
      const converted = convertValue(parsed.value, fromUnit, indicator.unit);
      if (!converted.ok) reasons.push({ path, code: "unit_mismatch", message: converted.reason });
      else {
        const why = implausibility(indicator, converted.value, Number(period.period.slice(0, 4)));
        if (why) reasons.push({ path, code: "implausible", message: why });
        else {
          result.observations.push({
            indicator: indicator.code,
            region: region.region.code,
            period: period.period,
            value: converted.value,
            unit: indicator.unit,
            vintage: record.vintage,
            source: { ...record.source, position: layout.kind === "wide" ? { ...record.source.position, column: cell.column } : record.source.position },
            ingestedAt: ctx.ingestedAt,
          });
        }
      }
    }
    if (reasons.length > 0) result.rejectedCells.push({ column: cell.column, reasons });
  }
  return result;
}

/** The value cells of a record, or why it has none (a layout column missing from the source). */
function cellsOf(record: RawRecord, spec: FeedSpec): Cell[] | string {
  const layout = spec.layout;
  if (layout.kind === "wide") {
    const cells = Object.entries(layout.columns)
      .filter(([column]) => record.fields[column] !== undefined)
      .map(([column, mapping]) => ({ column, indicatorName: mapping.indicator, raw: record.fields[column]!, unit: mapping.unit }));
    return cells.length > 0 ? cells : `none of the spec's value columns (${Object.keys(layout.columns).join(", ")}) is in the record`;
  }
  const name = record.fields[layout.indicator];
  const raw = record.fields[layout.value];
  if (name === undefined) return `indicator column ${layout.indicator} is missing`;
  if (raw === undefined) return `value column ${layout.value} is missing`;
  const unit = layout.unit === undefined ? undefined : record.fields[layout.unit]?.trim() || undefined;
  return [{ column: layout.value, indicatorName: name.trim(), raw, unit }];
}

