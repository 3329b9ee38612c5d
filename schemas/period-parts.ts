// The canonical period grammar (2025 | 2025Q3 | 2025-09) and its decomposition into parts.
import { z } from "zod";

export const PeriodFrequency = z.enum(["annual", "quarterly", "monthly"]);
export type PeriodFrequency = z.infer<typeof PeriodFrequency>;

/** A canonical period string: a year, a quarter or a month. */
export const Period = z
  .string()
  .regex(/^[1-9]\d{3}(?:Q[1-4]|-(?:0[1-9]|1[0-2]))?$/, "expected a period such as 2025, 2025Q3 or 2025-09");
export type Period = z.infer<typeof Period>;

/** A period as numbers: `index` is the quarter (1-4) or month (1-12), 1 for a year. */
export interface PeriodParts {
  readonly year: number;
  readonly frequency: PeriodFrequency;
  readonly index: number;
}

/** How many periods of each frequency make up a year. */
export const PERIODS_PER_YEAR = { annual: 1, quarterly: 4, monthly: 12 } as const;

/** Splits a canonical period; throws a RangeError on anything else, since callers pass stored values. */
export function periodParts(period: string): PeriodParts {
  if (!Period.safeParse(period).success) throw new RangeError(`not a canonical period: ${JSON.stringify(period)}`);
  const year = Number(period.slice(0, 4));
  if (period.length === 4) return { year, frequency: "annual", index: 1 };
  if (period[4] === "Q") return { year, frequency: "quarterly", index: Number(period.slice(5)) };
  return { year, frequency: "monthly", index: Number(period.slice(5)) };
}

/** Writes parts back as a canonical period string. */
export function formatPeriod(parts: PeriodParts): Period {
  const year = String(parts.year).padStart(4, "0");
  if (parts.frequency === "annual") return year;
  if (parts.frequency === "quarterly") return `${year}Q${parts.index}`;
  return `${year}-${String(parts.index).padStart(2, "0")}`;
}
