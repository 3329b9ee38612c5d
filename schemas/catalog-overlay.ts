// Indicators a deployment adds beside its feeds (a department's supporting series), on top of the shipped catalog.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { Catalog } from "./catalog.ts";
import { DimensionCode, Direction, Frequency, Indicator } from "./catalog-schemas.ts";
import type { CsvTable } from "./catalog-decode.ts";
import { CatalogError, readTable } from "./catalog-table.ts";
import { unitByCode } from "./units.ts";

/** The overlay file, read from the feeds folder when it is there. */
export const OVERLAY_FILE = "indicators.csv";

const text = z.string().trim();

/** An overlay row: a supporting series only (no target), with where its definition comes from. */
const overlayTable: CsvTable<Indicator> = {
  columns: {
    code: "code",
    nameZh: "name_zh",
    nameEn: "name_en",
    dimension: "dimension",
    unit: "unit",
    direction: "direction",
    frequency: "frequency",
    source: "source",
  },
  decode: z
    .object({
      code: text,
      nameZh: text,
      nameEn: text,
      dimension: DimensionCode,
      unit: text,
      direction: Direction,
      frequency: Frequency,
      source: text.min(1, "an added indicator needs its source (who defines it, which publication)"),
    })
    .transform((row, ctx): Indicator => {
      const { source, ...i } = row;
      const indicator = {
        ...i,
        targetOp: null,
        targetValue: null,
        targetYear: null,
        seedSection: "overlay",
        note: source,
        kind: "supporting" as const,
        baseline2020: null,
        baselineSource: "",
      };
      const checked = Indicator.safeParse(indicator);
      for (const issue of checked.success ? [] : checked.error.issues)
        ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
      return indicator;
    }),
};

/**
 * The catalog with the indicators of `<dir>/indicators.csv` added (the catalog itself when there is none).
 * They are supporting series; a code the catalog already has is refused, so the plan's targets stay as shipped.
 * In dim_indicator their seed_section is `overlay` and their note the source the file gives.
 */
export function withIndicatorOverlay(catalog: Catalog, dir: string): Catalog {
  const path = join(dir, OVERLAY_FILE);
  if (!existsSync(path)) return catalog;
  const rows = readTable(dir, OVERLAY_FILE, overlayTable);
  const seen = new Set<string>();
  for (const { line, value } of rows) {
    const fail = (field: string, detail: string) => new CatalogError(path, line, field, detail);
    if (catalog.indicator(value.code))
      throw fail("code", `${value.code} is in the shipped catalog; the plan's indicators cannot be redefined`);
    if (seen.has(value.code)) throw fail("code", `duplicate code ${value.code}`);
    if (unitByCode(value.unit) === undefined)
      throw fail("unit", `unit ${value.unit} is not a code of the unit registry (schemas/unit-registry.ts)`);
    seen.add(value.code);
  }
  if (rows.length === 0) return catalog;
  const indicators = Object.freeze([...catalog.indicators, ...rows.map((r) => Object.freeze(r.value))]);
  const byCode = new Map(indicators.map((i) => [i.code, i] as const));
  return Object.freeze({ ...catalog, indicators, indicator: (code: string) => byCode.get(code) });
}
