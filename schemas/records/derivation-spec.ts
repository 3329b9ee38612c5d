import { z } from "zod";
import { FeedId } from "../source.ts";
import { RecordColumnName } from "./record-feed-spec.ts";
import { RegionLevel } from "../catalog-schemas.ts";

/**
 * A derivation (feeds/derivations/<id>.yaml): how one indicator is computed from a record feed. Which records
 * (filters), how they are grouped (region levels, period), and the measure. Computed in DuckDB SQL over the record
 * table; each cell is written as an observation whose provenance names the derivation and the record snapshot.
 */

export const FilterOp = z.enum(["=", "!=", "<", "<=", ">", ">=", "in", "not in", "is null", "is not null"]);
export type FilterOp = z.infer<typeof FilterOp>;

const Scalar = z.union([z.string(), z.number()]);

export const RecordFilter = z
  .object({
    column: RecordColumnName,
    op: FilterOp,
    value: z.union([Scalar, z.array(Scalar).min(1)]).optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const nullary = f.op === "is null" || f.op === "is not null";
    const list = f.op === "in" || f.op === "not in";
    if (nullary && f.value !== undefined)
      ctx.addIssue({ code: "custom", path: ["value"], message: `${f.op} takes no value; remove value` });
    if (!nullary && f.value === undefined)
      ctx.addIssue({ code: "custom", path: ["value"], message: `${f.op} needs a value` });
    if (!nullary && f.value !== undefined && list !== Array.isArray(f.value))
      ctx.addIssue({
        code: "custom",
        path: ["value"],
        message: list ? `${f.op} needs a list of values, e.g. [a, b]` : `${f.op} compares with one value, not a list`,
      });
  });
export type RecordFilter = z.infer<typeof RecordFilter>;

const column = { column: RecordColumnName };
export const Measure = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("count") }).strict(),
  z.object({ kind: z.literal("sum"), ...column }).strict(),
  z.object({ kind: z.literal("mean"), ...column }).strict(),
  z.object({ kind: z.literal("median"), ...column }).strict(),
  z.object({ kind: z.literal("quantile"), ...column, q: z.number().gt(0).lt(1) }).strict(),
  z.object({ kind: z.literal("distinct_count"), ...column }).strict(),
  z.object({ kind: z.literal("gini"), ...column }).strict(),
  /** Percent of records with min <= value < max (either bound may be left open). */
  z
    .object({ kind: z.literal("share_in_band"), ...column, min: z.number().optional(), max: z.number().optional() })
    .strict()
    .refine((m) => m.min !== undefined || m.max !== undefined, "a band needs min, max or both"),
  /**
   * Percent of days whose daily mean meets the threshold (`good` <=, e.g. PM2.5 at most 75; or >=): readings are
   * averaged per day and place (`placeColumn`, e.g. the station) first, then days are counted over the cell.
   */
  z
    .object({
      kind: z.literal("share_of_days"),
      ...column,
      placeColumn: RecordColumnName,
      threshold: z.number(),
      good: z.enum(["<=", ">="]).default("<="),
    })
    .strict(),
  /**
   * Mean of daily means: readings averaged per day and place (`placeColumn`) first, then those daily values averaged
   * over the cell, as an annual PM2.5 concentration is (a day with many readings weighs no more than one with few).
   */
  z.object({ kind: z.literal("mean_of_days"), ...column, placeColumn: RecordColumnName }).strict(),
]);
export type Measure = z.infer<typeof Measure>;

export const Derivation = z
  .object({
    id: FeedId,
    /** The catalog indicator the results are observations of. */
    indicator: z.string().min(1),
    /** The record feed the derivation reads. */
    records: FeedId,
    filters: z.array(RecordFilter).default([]),
    /**
     * The region levels to publish: a record's county rolls up to its city and the province. A sample survey is
     * often representative for cities and the province only, so its county cells are left out.
     */
    levels: z.array(RegionLevel).min(1).default(["county", "prefecture", "province"]),
    /**
     * `flow` (default): a cell holds the records whose event falls in its year. `stock`: a cell holds the records
     * live at the end of its year: begun (event time) by then and not ended (`end`, a date or year column, empty
     * while live) by then; for example the market entities registered and not cancelled. Annual periods only.
     */
    period: z
      .discriminatedUnion("kind", [
        z.object({ kind: z.literal("flow"), grain: z.literal("year").default("year") }).strict(),
        z
          .object({
            kind: z.literal("stock"),
            grain: z.literal("year").default("year"),
            end: RecordColumnName,
            /**
             * The first year-end to compute. A registry extract that starts with the entities live on a date holds
             * none of those ended before it, so the year-ends before that date would count survivors only.
             */
            from: z.int().min(1900).max(2100).optional(),
          })
          .strict(),
      ])
      .default({ kind: "flow", grain: "year" }),
    measure: Measure,
    /** Multiplies the measure, into the indicator's catalog unit (0.0001 turns a count into 万户). */
    scale: z.number().positive().default(1),
    /** Cells built from fewer records than this are suppressed (k-anonymity), as statistical offices do. */
    minRecords: z.int().positive().default(10),
  })
  .strict();
export type Derivation = z.infer<typeof Derivation>;

/** The record column the measure reads, if any. */
export function measureColumn(measure: Measure): string | undefined {
  return measure.kind === "count" ? undefined : measure.column;
}
