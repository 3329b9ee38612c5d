import { type PositionColumns, PositionBuilder } from "./positions.ts";
import { type TextColumn, TextColumnBuilder } from "./text-column.ts";

/**
 * What transform hands on: the observations of one raw batch in the indicator model, as columns. Feed, source and
 * the time of normalisation are the batch's; indicator, region, period and unit are dictionary-encoded codes from
 * the catalogs, values are doubles in the indicator's catalog unit.
 */
export interface ObservationBatch {
  readonly kind: "observations";
  readonly feed: string;
  readonly uri: string;
  /** The raw batch it came from: sha256 of the source and the batch's index in it. */
  readonly checksum: string;
  readonly seq: number;
  readonly ingestedAt: string;
  readonly rows: number;
  readonly indicator: TextColumn;
  readonly region: TextColumn;
  readonly period: TextColumn;
  readonly unit: TextColumn;
  readonly vintage: TextColumn;
  /** NaN exactly where the cell held a missing-value marker ("—", "…", empty): see `missing`. */
  readonly value: Float64Array;
  /**
   * The count of rows whose cell held a missing-value marker. Such a row is not an observation: it records that the
   * department sent the cell without a value ("not reported", as against "not received"), and its value is NaN.
   */
  readonly missing: number;
  /** Each observation's position in the source; a wide row's observations name their value column. */
  readonly position: PositionColumns;
}

/** Collects observations, in order, into an ObservationBatch. */
export class ObservationBatchBuilder {
  private readonly indicator: TextColumnBuilder;
  private readonly region: TextColumnBuilder;
  private readonly period: TextColumnBuilder;
  private readonly unit: TextColumnBuilder;
  private readonly vintage: TextColumnBuilder;
  private readonly position: PositionBuilder;
  private value: Float64Array;
  private length = 0;
  private missing = 0;
  private readonly source: { feed: string; uri: string; checksum: string; seq: number; ingestedAt: string };

  constructor(source: ObservationBatchBuilder["source"], capacity = 4096) {
    this.source = source;
    this.indicator = new TextColumnBuilder(capacity);
    this.region = new TextColumnBuilder(capacity);
    this.period = new TextColumnBuilder(capacity);
    this.unit = new TextColumnBuilder(capacity);
    this.vintage = new TextColumnBuilder(capacity);
    this.position = new PositionBuilder(capacity);
    this.value = new Float64Array(capacity);
  }

  get rows(): number {
    return this.length;
  }

  /** One observation; its position is row `at` of the raw batch's positions (no object per observation). */
  add(
    indicator: string,
    region: string,
    period: string,
    unit: string,
    value: number,
    vintage: string,
    positions: PositionColumns,
    at: number,
    column?: string,
  ): void {
    if (this.length === this.value.length) {
      const next = new Float64Array(this.value.length * 2);
      next.set(this.value);
      this.value = next;
    }
    this.value[this.length++] = value;
    if (Number.isNaN(value)) this.missing++;
    this.indicator.push(indicator);
    this.region.push(region);
    this.period.push(period);
    this.unit.push(unit);
    this.vintage.push(vintage);
    this.position.pushFrom(positions, at, column);
  }

  build(): ObservationBatch {
    return {
      kind: "observations",
      feed: this.source.feed,
      uri: this.source.uri,
      checksum: this.source.checksum,
      seq: this.source.seq,
      ingestedAt: this.source.ingestedAt,
      rows: this.length,
      missing: this.missing,
      indicator: this.indicator.build(),
      region: this.region.build(),
      period: this.period.build(),
      unit: this.unit.build(),
      vintage: this.vintage.build(),
      value: this.value.subarray(0, this.length),
      position: this.position.build(),
    };
  }
}
