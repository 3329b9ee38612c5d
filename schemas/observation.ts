import { z } from "zod";
import { SourceRef } from "./source.ts";

export const IndicatorCode = z.string().regex(/^[a-z][a-z0-9_]*$/, "an indicator code is snake_case");
const RegionCodeString = z.string().regex(/^\d{6}$/, "a region code is six digits (GB/T 2260)");
/** Canonical period strings: a year `2025`, a quarter `2025Q3` or a month `2025-09`. */
export const PeriodString = z
  .string()
  .regex(/^\d{4}(Q[1-4]|-(0[1-9]|1[0-2]))?$/, "a period is 2025, 2025Q3 or 2025-09");

/**
 * One value of one indicator for one region and period, as one source published it at one time (its vintage).
 * The unit is always the catalog unit of the indicator: transform converts before it emits.
 */
export const Observation = z.object({
  indicator: IndicatorCode,
  region: RegionCodeString,
  period: PeriodString,
  value: z.number().finite(),
  unit: z.string().min(1),
  /** When the source published this value (ISO timestamp); later vintages revise earlier ones. */
  vintage: z.iso.datetime({ offset: true }),
  source: SourceRef,
  ingestedAt: z.iso.datetime({ offset: true }),
});
export type Observation = z.infer<typeof Observation>;

/** The Kafka key: revisions of one cell land in one partition and stay in order. */
export function observationKey(o: Pick<Observation, "indicator" | "region" | "period">): string {
  return `${o.indicator}|${o.region}|${o.period}`;
}
