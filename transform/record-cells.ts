import type { DeadLetterReason, Layout, RawRecord } from "../schemas/index.ts";

/** One value cell of a record: which column, which indicator (as the source names it), its text and declared unit. */
export interface Cell {
  column: string;
  indicatorName: string;
  raw: string;
  unit: string | undefined;
  /** Where the indicator name came from: the cell itself (wide) or the row's indicator column (long). */
  indicatorPath: string;
}

/** The value cells of a record (one per mapped column present, or the one value of a long row), or why it has none. */
export function recordCells(record: RawRecord, layout: Layout): Cell[] | DeadLetterReason {
  if (layout.kind === "wide") {
    const cells = Object.entries(layout.columns)
      .filter(([column]) => record.fields[column] !== undefined)
      .map(([column, mapping]) => ({
        column,
        indicatorName: mapping.indicator,
        raw: record.fields[column]!,
        unit: mapping.unit,
        indicatorPath: `fields.${column}`,
      }));
    if (cells.length > 0) return cells;
    return {
      path: "fields",
      code: "missing_field",
      message: `none of the spec's value columns (${Object.keys(layout.columns).join(", ")}) is in the record`,
    };
  }
  const name = record.fields[layout.indicator];
  const raw = record.fields[layout.value];
  if (name === undefined)
    return {
      path: `fields.${layout.indicator}`,
      code: "missing_field",
      message: `indicator column ${layout.indicator} is missing`,
    };
  if (raw === undefined)
    return {
      path: `fields.${layout.value}`,
      code: "missing_field",
      message: `value column ${layout.value} is missing`,
    };
  const unit = layout.unit === undefined ? undefined : record.fields[layout.unit]?.trim() || undefined;
  const trimmed = name.trim();
  // Own keys only: a source naming its indicator "valueOf" or "__proto__" must not reach Object.prototype.
  const mapped = Object.hasOwn(layout.indicatorMap, trimmed) ? layout.indicatorMap[trimmed] : undefined;
  return [
    { column: layout.value, indicatorName: mapped ?? trimmed, raw, unit, indicatorPath: `fields.${layout.indicator}` },
  ];
}
