// Unit lookup, conversion and quantity parsing over the registry in unit-registry.ts.
import { memoize } from "./memo.ts";
import { UNITS } from "./unit-registry.ts";
import type { Unit, UnitDimension } from "./unit-registry.ts";

export { Unit, UnitDimension, UNITS } from "./unit-registry.ts";

export type ConversionResult =
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly reason: string };

export type QuantityResult =
  | { readonly ok: true; readonly value: number; readonly unit: Unit | null }
  | { readonly ok: false; readonly reason: string };

/** Folds width (％, （万元）), case, spaces, a "单位:" label and enclosing brackets so spellings compare equal. */
export function unitKey(text: string): string {
  let key = text.normalize("NFKC").toLowerCase().replace(/\s+/gu, "");
  key = key.replace(/^单位[:：]?/u, "");
  while (/^[([【].*[)\]】]$/u.test(key)) key = key.slice(1, -1);
  return key;
}

function buildIndex(units: readonly Unit[]): Map<string, Unit> {
  const index = new Map<string, Unit>();
  for (const unit of units) {
    for (const spelling of [unit.code, unit.nameZh, unit.nameEn, ...unit.aliases]) {
      const key = unitKey(spelling);
      const taken = index.get(key);
      if (taken !== undefined && taken !== unit)
        throw new Error(`unit spelling ${spelling} names both ${taken.code} and ${unit.code}`);
      index.set(key, unit);
    }
  }
  return index;
}

const INDEX = buildIndex(UNITS);
const BY_CODE = new Map(UNITS.map((u) => [u.code, u] as const));

/** The registry entry for any known spelling ("万元", "(万元)", "10k yuan"), else undefined. */
export const resolveUnit: (text: string) => Unit | undefined = memoize((text) => INDEX.get(unitKey(text)));

/** The registry entry whose canonical code is exactly `code` (no alias folding). */
export function unitByCode(code: string): Unit | undefined {
  return BY_CODE.get(code);
}

export function unitsOfDimension(dimension: UnitDimension): readonly Unit[] {
  return UNITS.filter((u) => u.dimension === dimension);
}

/** Rounds to 12 significant digits, which absorbs binary noise such as 0.1 * 3 without losing real precision. */
export function roundSignificant(value: number, digits = 12): number {
  return value === 0 || !Number.isFinite(value) ? value : Number(value.toPrecision(digits));
}

function asUnit(unit: string | Unit): Unit | undefined {
  return typeof unit === "string" ? resolveUnit(unit) : unit;
}

/** Converts between units of one dimension; anything else is an error naming both units, never a number. */
export function convertValue(value: number, fromUnit: string | Unit, toUnit: string | Unit): ConversionResult {
  const from = asUnit(fromUnit);
  const to = asUnit(toUnit);
  if (from === undefined) return { ok: false, reason: `unknown unit ${JSON.stringify(fromUnit)}` };
  if (to === undefined) return { ok: false, reason: `unknown unit ${JSON.stringify(toUnit)}` };
  if (!Number.isFinite(value)) return { ok: false, reason: `cannot convert the non-finite value ${value}` };
  if (from.dimension !== to.dimension) {
    return { ok: false, reason: `cannot convert ${from.code} (${from.dimension}) to ${to.code} (${to.dimension})` };
  }
  if (from === to) return { ok: true, value };
  return { ok: true, value: roundSignificant((value * from.factor) / to.factor) };
}

const NUMBER = /^([+\-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[+-]?\d+)?|[+\-−]?\.\d+)(.*)$/iu;

/** Splits "7.5万元", "75.2%" or "1,234 万人" into a number and a registry unit; no suffix gives unit null. */
export function parseQuantity(text: string): QuantityResult {
  const folded = text.normalize("NFKC").trim();
  const match = NUMBER.exec(folded);
  if (match === null) return { ok: false, reason: `no number at the start of ${JSON.stringify(text)}` };
  const value = Number((match[1] ?? "").replace(/,/g, "").replace("−", "-"));
  if (!Number.isFinite(value)) return { ok: false, reason: `number out of range in ${JSON.stringify(text)}` };
  const suffix = (match[2] ?? "").trim();
  if (suffix === "") return { ok: true, value, unit: null };
  const unit = resolveUnit(suffix);
  if (unit === undefined)
    return { ok: false, reason: `unknown unit ${JSON.stringify(suffix)} in ${JSON.stringify(text)}` };
  return { ok: true, value, unit };
}
