import { unitByCode, type Indicator, type UnitDimension } from "../schemas/index.ts";

/** The plan's horizon: periods outside it are typos, not data. */
export const HORIZON = { from: 2015, to: 2035 } as const;

/** Dimensions whose values cannot be negative: counts, money levels, rates per population, ages, concentrations. */
const NON_NEGATIVE: ReadonlySet<UnitDimension> = new Set<UnitDimension>([
  "currency",
  "persons",
  "households",
  "count",
  "buildings",
  "dwellings",
  "person_times",
  "percent",
  "age",
  "years",
  "concentration",
  "ratio",
  "currency_per_person",
  "per_population",
  "per_gdp",
]);

/** Indicators that measure a change, so a fall is a negative value rather than a typo. */
const MAY_BE_NEGATIVE: ReadonlySet<string> = new Set(["hightech_value_added_annual_increase"]);

/** Why a period's year cannot be right, or undefined when it lies within the plan's horizon. */
export function outsideHorizon(year: number): string | undefined {
  return year < HORIZON.from || year > HORIZON.to
    ? `period year ${year} is outside the plan's horizon ${HORIZON.from}-${HORIZON.to}`
    : undefined;
}

/** Why a value (already in the catalog unit) cannot be right for its indicator, or undefined when it is plausible. */
export function implausibility(indicator: Indicator, value: number): string | undefined {
  const dimension = unitByCode(indicator.unit)?.dimension;
  // Every catalog percentage is a share or a rate; none can pass 100.
  if (dimension === "percent" && value > 100) return `${value}${indicator.unit} of ${indicator.code} is over 100`;
  if (dimension !== undefined && NON_NEGATIVE.has(dimension) && !MAY_BE_NEGATIVE.has(indicator.code) && value < 0) {
    return `${value} ${indicator.unit} of ${indicator.code} cannot be negative`;
  }
  return undefined;
}
