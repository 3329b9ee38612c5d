import { type Catalog, type Indicator, resolveUnit, roundSignificant } from "../schemas/index.ts";
import { PLAIN_DECIMAL } from "./parse-number.ts";
import { implausibility } from "./plausibility.ts";

/** What a plain value cell of one indicator in one unit becomes: the catalog's code and unit, and the conversion. */
export interface PlainRule {
  readonly indicator: string;
  readonly unit: string;
  /** The cell in catalog units, or NaN when the cell is not plain or not plausible: normalizeValue then says why. */
  value(raw: string): number;
}

/**
 * The common case of a value cell without an object per cell: a plain decimal (parse-number.ts's PLAIN_DECIMAL:
 * no sign, no separator, no suffix, at most 15 digits) of a catalog indicator, in a unit that converts to the
 * catalog's, and plausible. Everything else, every missing marker and every reason, is left to normalizeValue, whose
 * result this equals wherever it gives a number (test/transform/plain-value.test.ts checks the two against each
 * other). Rules are made once per indicator name and unit text, and looked up without building a key.
 */
export function createPlainRules(
  catalog: Catalog,
): (indicatorName: string, unit: string | undefined) => PlainRule | undefined {
  const byName = new Map<string, Map<string | undefined, PlainRule | undefined>>();
  return (indicatorName, unit) => {
    let byUnit = byName.get(indicatorName);
    if (byUnit === undefined) byName.set(indicatorName, (byUnit = new Map()));
    if (byUnit.has(unit)) return byUnit.get(unit);
    const indicator = catalog.indicator(indicatorName);
    const rule = indicator === undefined ? undefined : ruleOf(indicator, unit || indicator.unit);
    byUnit.set(unit, rule);
    return rule;
  };
}

function ruleOf(indicator: Indicator, fromText: string): PlainRule | undefined {
  // As convertValue: both units known and of one dimension, or the cell is the general path's to refuse.
  const from = resolveUnit(fromText);
  const to = resolveUnit(indicator.unit);
  if (from === undefined || to === undefined || from.dimension !== to.dimension) return undefined;
  const convert = from === to ? (v: number) => v : (v: number) => roundSignificant((v * from.factor) / to.factor);
  return {
    indicator: indicator.code,
    unit: indicator.unit,
    value(raw) {
      if (!PLAIN_DECIMAL.test(raw)) return Number.NaN;
      const value = convert(Number(raw));
      return Number.isFinite(value) && implausibility(indicator, value) === undefined ? value : Number.NaN;
    },
  };
}
