// Where a period sits on the 2020-2025 path: an annual value counts at its year, a month at its share of the year.
import { periodParts } from "../../schemas/index.ts";

/** 2024 -> 2024, 2025Q3 -> 2024.75, 2025-12 -> 2025: the year-end of an annual period is the year itself. */
export function fractionalYear(period: string): number {
  const p = periodParts(period);
  if (p.frequency === "annual") return p.year;
  const endMonth = p.frequency === "quarterly" ? p.index * 3 : p.index;
  return p.year - 1 + endMonth / 12;
}
