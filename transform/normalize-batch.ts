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
import { createPlainRules } from "./plain-value.ts";
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

  /** Why row i has no region or period, or undefined when it has both (no object is made for a good row). */
  const keyReasons = (i: number): DeadLetterReason[] | undefined => {
    const region = regionAt(i);
    const period = periodAt(i);
    if (!isReason(region) && typeof period === "string") return undefined;
    const reasons: DeadLetterReason[] = [];
    if (isReason(region)) reasons.push(region);
    if (typeof period !== "string") reasons.push(period);
    return reasons;
  };
  // Only called for a row keyReasons passed.
  const regionCodeAt = (i: number): string => (regionAt(i) as Region).code;
  const periodOf = (i: number): string => periodAt(i) as string;
  const plainRule = createPlainRules(ctx.catalog);

  /**
   * One cell of row i into the output, a wide row's naming its value column: a value, or a missing marker (value
   * NaN, `missing` set), which the loader records as not reported instead of as an observation.
   */
  const emit = (indicator: string, unit: string, value: number, i: number, column?: string) => {
    const v = vintage.values[vintage.codes[i]!]!;
    out.add(indicator, regionCodeAt(i), periodOf(i), unit, value, v, position, i, column);
  };
  const emitCell = (
    cell: { indicator: string; unit: string; value: number } | MissingCell,
    i: number,
    column?: string,
  ) => emit(cell.indicator, cell.unit, "missing" in cell ? Number.NaN : cell.value, i, column);

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
      rule: plainRule(mapping.indicator, mapping.unit),
    }));
    const none: DeadLetterReason = {
      path: "fields",
      code: "missing_field",
      message: `none of the spec's value columns (${Object.keys(layout.columns).join(", ")}) is in the record`,
    };
    for (let i = 0; i < batch.rows; i++) {
      const keys = keyReasons(i);
      const present = cells.some((c) => c.column !== undefined && c.column.codes[i] !== ABSENT);
      if (keys !== undefined || !present) {
        failed.push({ row: i, reasons: [...(keys ?? []), ...(present ? [] : [none])] });
        continue;
      }
      let rejected: DeadLetterReason[] | undefined;
      for (const c of cells) {
        const code = c.column?.codes[i] ?? ABSENT;
        if (code === ABSENT || !c.column) continue;
        let outcome = c.memo?.get(code);
        if (outcome === undefined) {
          const raw = c.column.values[code]!;
          const value = c.rule?.value(raw) ?? Number.NaN;
          if (!Number.isNaN(value)) {
            emit(c.rule!.indicator, c.rule!.unit, value, i, c.name);
            continue;
          }
          outcome = normalizeValue(c.mapping.indicator, raw, c.mapping.unit, c.name, `fields.${c.name}`, ctx.catalog);
          c.memo?.set(code, outcome);
        }
        if (isMissing(outcome)) {
          missing++;
          emitCell(outcome, i, c.name);
        } else if (Array.isArray(outcome)) (rejected ??= []).push(...outcome);
        else emitCell(outcome, i, c.name);
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
  // The fast path's rule of a row, found through its indicator and unit codes (a number key: no string per row).
  const indicatorCodes = columns.get(layout.indicator)?.codes;
  const unitCodes = layout.unit === undefined ? undefined : columns.get(layout.unit)?.codes;
  const unitWidth = (layout.unit === undefined ? 0 : (columns.get(layout.unit)?.values.length ?? 0)) + 1;
  const rules = new Map<number, ReturnType<typeof plainRule>>();
  const ruleAt = (i: number, indicatorName: string, unit: string | undefined) => {
    const key = ((indicatorCodes?.[i] ?? ABSENT) + 1) * (unitWidth + 1) + (unitCodes?.[i] ?? ABSENT) + 1;
    let rule = rules.get(key);
    if (rule === undefined && !rules.has(key)) rules.set(key, (rule = plainRule(indicatorName, unit)));
    return rule;
  };
  for (let i = 0; i < batch.rows; i++) {
    const keys = keyReasons(i);
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
    if (keys !== undefined || shape !== undefined || indicatorName === undefined || !values) {
      failed.push({ row: i, reasons: [...(keys ?? []), ...(shape ? [shape] : [])] });
      continue;
    }
    const raw = values.values[rawCode]!;
    const unit = unitAt(i);
    const rule = ruleAt(i, indicatorName, unit);
    const value = rule ? rule.value(raw) : Number.NaN;
    if (!Number.isNaN(value)) {
      emit(rule!.indicator, rule!.unit, value, i);
      continue;
    }
    const outcome = normalizeValue(indicatorName, raw, unit, layout.value, indicatorPath, ctx.catalog);
    if (isMissing(outcome)) {
      missing++;
      emitCell(outcome, i);
    } else if (Array.isArray(outcome)) failed.push({ row: i, reasons: outcome });
    else emitCell(outcome, i);
  }
  return { observations: out.build(), failed, missing };
}
