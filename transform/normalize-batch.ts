import {
  ABSENT,
  type Catalog,
  type DeadLetterReason,
  type FeedSpec,
  type ObservationBatch,
  ObservationBatchBuilder,
  type RawBatch,
  type Region,
  type RegionResolver,
  type TextColumn,
} from "../schemas/index.ts";
import { isMissing, type MissingCell, normalizeValue } from "./normalize-record.ts";
import { isReason, resolvePeriodText, resolveRegionText } from "./record-keys.ts";

export interface BatchContext {
  spec: FeedSpec;
  catalog: Catalog;
  regions: RegionResolver;
  ingestedAt: string;
}

/** A row that is, in whole or in part, not observations: the dead letter's reasons, as the record path gives them. */
export interface FailedRow {
  row: number;
  reasons: DeadLetterReason[];
}

export interface BatchResult {
  /** The observations, and the cells that held a missing marker (value NaN: see ObservationBatch.missing). */
  observations: ObservationBatch;
  failed: FailedRow[];
  /** Cells holding a missing-value marker: counted, never turned into zeros. */
  missing: number;
}

/**
 * A column's rule applied once per distinct value: `at(i)` is the rule's result for row i, looked up through the
 * row's dictionary code. An absent column, or a row without the field, gets the rule's result for `undefined`.
 */
function perValue<T>(column: TextColumn | undefined, rule: (text: string | undefined) => T): (i: number) => T {
  let absent: { v: T } | undefined;
  const ofAbsent = () => (absent ??= { v: rule(undefined) }).v;
  if (!column) return ofAbsent;
  const results = column.values.map((text) => rule(text));
  const codes = column.codes;
  return (i) => {
    const code = codes[i]!;
    return code === ABSENT ? ofAbsent() : results[code]!;
  };
}

/**
 * Normalises a raw batch with exactly the rules of normalizeRecord, but column-wise: regions, periods, indicator
 * names and units are resolved once per distinct value, rows follow through codes, and values are parsed in one
 * loop. No object is made per row or per observation; a failed row gets one FailedRow.
 */
export function normalizeBatch(batch: RawBatch, ctx: BatchContext): BatchResult {
  const { layout } = ctx.spec;
  const columns = new Map(batch.fields.map((f) => [f.name, f.column] as const));
  const out = new ObservationBatchBuilder(
    { feed: batch.feed, uri: batch.uri, checksum: batch.checksum, seq: batch.seq, ingestedAt: ctx.ingestedAt },
    batch.rows,
  );
  const failed: FailedRow[] = [];
  let missing = 0;

  const regionAt = perValue(columns.get(layout.region), (t) => resolveRegionText(t, layout.region, ctx.regions));
  const periodAt =
    layout.fixedPeriod !== undefined
      ? perValue(undefined, () => resolvePeriodText(layout.fixedPeriod, layout))
      : perValue(layout.period === undefined ? undefined : columns.get(layout.period), (t) =>
          resolvePeriodText(t, layout),
        );
  const vintage = batch.vintage;
  const position = batch.position;

  const keysOf = (i: number): { region: Region; period: string } | DeadLetterReason[] => {
    const region = regionAt(i);
    const period = periodAt(i);
    if (!isReason(region) && typeof period === "string") return { region, period };
    const reasons: DeadLetterReason[] = [];
    if (isReason(region)) reasons.push(region);
    if (typeof period !== "string") reasons.push(period);
    return reasons;
  };

  /**
   * One cell of row i into the output, a wide row's naming its value column: a value, or a missing marker (value
   * NaN, `missing` set), which the loader records as not reported instead of as an observation.
   */
  const emit = (
    cell: { indicator: string; unit: string; value: number } | MissingCell,
    keys: { region: Region; period: string },
    i: number,
    column?: string,
  ) => {
    const v = vintage.values[vintage.codes[i]!]!;
    const value = "missing" in cell ? Number.NaN : cell.value;
    out.add(cell.indicator, keys.region.code, keys.period, cell.unit, value, v, position, i, column);
  };

  if (layout.kind === "wide") {
    const cells = Object.entries(layout.columns).map(([name, mapping]) => ({
      name,
      mapping,
      column: columns.get(name),
      // A wide column's cells differ only in their text: each distinct text is normalised once (unless the column
      // holds mostly distinct texts, where remembering them would cost more than it saves).
      memo:
        (columns.get(name)?.values.length ?? 0) * 2 <= batch.rows
          ? new Map<number, ReturnType<typeof normalizeValue>>()
          : undefined,
    }));
    const none: DeadLetterReason = {
      path: "fields",
      code: "missing_field",
      message: `none of the spec's value columns (${Object.keys(layout.columns).join(", ")}) is in the record`,
    };
    for (let i = 0; i < batch.rows; i++) {
      const keys = keysOf(i);
      const present = cells.some((c) => c.column !== undefined && c.column.codes[i] !== ABSENT);
      if (Array.isArray(keys) || !present) {
        failed.push({ row: i, reasons: [...(Array.isArray(keys) ? keys : []), ...(present ? [] : [none])] });
        continue;
      }
      let rejected: DeadLetterReason[] | undefined;
      for (const c of cells) {
        const code = c.column?.codes[i] ?? ABSENT;
        if (code === ABSENT || !c.column) continue;
        let outcome = c.memo?.get(code);
        if (outcome === undefined) {
          const raw = c.column.values[code]!;
          outcome = normalizeValue(c.mapping.indicator, raw, c.mapping.unit, c.name, `fields.${c.name}`, ctx.catalog);
          c.memo?.set(code, outcome);
        }
        if (isMissing(outcome)) {
          missing++;
          emit(outcome, keys, i, c.name);
        } else if (Array.isArray(outcome)) (rejected ??= []).push(...outcome);
        else emit(outcome, keys, i, c.name);
      }
      if (rejected) failed.push({ row: i, reasons: rejected });
    }
    return { observations: out.build(), failed, missing };
  }

  // Long layout: one value cell per row, its indicator named by the row.
  const indicatorMap = layout.indicatorMap;
  const indicatorAt = perValue(columns.get(layout.indicator), (name) => {
    if (name === undefined) return undefined;
    const trimmed = name.trim();
    // Own keys only: a source naming its indicator "valueOf" or "__proto__" must not reach Object.prototype.
    return (Object.hasOwn(indicatorMap, trimmed) ? indicatorMap[trimmed] : undefined) ?? trimmed;
  });
  const unitAt = perValue(
    layout.unit === undefined ? undefined : columns.get(layout.unit),
    (t) => t?.trim() || undefined,
  );
  const values = columns.get(layout.value);
  const indicatorPath = `fields.${layout.indicator}`;
  for (let i = 0; i < batch.rows; i++) {
    const keys = keysOf(i);
    const indicatorName = indicatorAt(i);
    const rawCode = values ? values.codes[i]! : ABSENT;
    let shape: DeadLetterReason | undefined;
    if (indicatorName === undefined)
      shape = {
        path: indicatorPath,
        code: "missing_field",
        message: `indicator column ${layout.indicator} is missing`,
      };
    else if (rawCode === ABSENT)
      shape = {
        path: `fields.${layout.value}`,
        code: "missing_field",
        message: `value column ${layout.value} is missing`,
      };
    if (Array.isArray(keys) || shape !== undefined || indicatorName === undefined || !values) {
      failed.push({ row: i, reasons: [...(Array.isArray(keys) ? keys : []), ...(shape ? [shape] : [])] });
      continue;
    }
    const raw = values.values[rawCode]!;
    const outcome = normalizeValue(indicatorName, raw, unitAt(i), layout.value, indicatorPath, ctx.catalog);
    if (isMissing(outcome)) {
      missing++;
      emit(outcome, keys, i);
    } else if (Array.isArray(outcome)) failed.push({ row: i, reasons: outcome });
    else emit(outcome, keys, i);
  }
  return { observations: out.build(), failed, missing };
}
