import type { Indicator } from "../schemas/index.ts";

/** The plan's horizon: periods outside it are typos, not data. */
export const HORIZON = { from: 2015, to: 2035 } as const;

/** Units whose values cannot be negative. */
const NON_NEGATIVE = /^(元|千元|万元|亿元|人|万人|万名|户|万户|个|万个|幢|万幢|套|万套|人次|万人次|岁|年|μg\/m³|元\/人|ratio)$/;

/** Why a value cannot be right for its indicator, or undefined when it is plausible. */
export function implausibility(indicator: Indicator, value: number, year: number): string | undefined {
  if (year < HORIZON.from || year > HORIZON.to) return `period year ${year} is outside the plan's horizon ${HORIZON.from}-${HORIZON.to}`;
  if (indicator.unit === "%" && (value < 0 || value > 100)) return `${value}% is not a percentage in 0..100`;
  if (NON_NEGATIVE.test(indicator.unit) && value < 0) return `${value} ${indicator.unit} cannot be negative`;
  return undefined;
}
