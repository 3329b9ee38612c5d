// Numbers as people read them: each indicator at the precision it is published with, and with its unit.
import { roundSignificant, unitByCode } from "../../schemas/index.ts";

const MAX_DECIMALS = 4;

/** Decimal places of `x` as written (binary noise such as 0.1 * 3 absorbed), at most 4. */
export function decimalsOf(x: number): number {
  if (!Number.isFinite(x)) return 0;
  const text = String(roundSignificant(x, 10));
  const exp = /e-(\d+)$/.exec(text);
  if (exp) return MAX_DECIMALS;
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : Math.min(MAX_DECIMALS, text.length - dot - 1);
}

/** The precision of an indicator: the most decimals any of its values (or its target) is published with. */
export function indicatorDecimals(values: readonly (number | null)[]): number {
  return values.reduce<number>((d, v) => (v === null ? d : Math.max(d, decimalsOf(v))), 0);
}

/** 82,813 · 1.84 · 0.0132: thousands separated, exactly `decimals` places. */
export function formatNumber(x: number | null, decimals: number): string {
  if (x === null || !Number.isFinite(x)) return "—";
  return x.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** "%" sticks to the number; other units follow a space in their Chinese name (元, 每万人, 比值). */
export function withUnit(text: string, unit: string | null | undefined): string {
  if (text === "—" || !unit) return text;
  const u = unitByCode(unit);
  if (u?.dimension === "percent") return `${text}${u.code}`;
  return `${text} ${u?.nameZh ?? unit}`;
}

/** A value as written by its source (up to 6 significant digits below 1,000), with its unit. */
export function formatQuantity(x: number | null, unit: string | null | undefined): string {
  if (x === null || !Number.isFinite(x)) return "—";
  const text =
    Math.abs(x) >= 1000 ? x.toLocaleString("en-US", { maximumFractionDigits: 2 }) : String(Number(x.toPrecision(6)));
  return withUnit(text, unit);
}
