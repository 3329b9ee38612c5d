// The indicator, dimension and region catalog, loaded from the CSV files in ./catalog/.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { dimensionTable, indicatorTable, regionAliasTable, regionTable } from "./catalog-decode.ts";
import type { Dimension, Indicator, Region, RegionAlias } from "./catalog-schemas.ts";
import { CatalogError, readTable } from "./catalog-table.ts";
import type { Lined } from "./catalog-table.ts";
import { unitByCode } from "./units.ts";

export {
  CountyType,
  Dimension,
  DimensionCode,
  Direction,
  Frequency,
  Indicator,
  IndicatorKind,
  Region,
  RegionAlias,
  RegionCode,
  RegionLevel,
  TargetOp,
} from "./catalog-schemas.ts";
export { CatalogError } from "./catalog-table.ts";

/** The loaded catalog; lookups are by code, lists keep file order. */
export interface Catalog {
  readonly indicators: readonly Indicator[];
  indicator(code: string): Indicator | undefined;
  readonly dimensions: readonly Dimension[];
  dimension(code: string): Dimension | undefined;
  readonly regions: readonly Region[];
  region(code: string): Region | undefined;
  /** Historical names and codes of regions (region-aliases.csv), each with the current code and its source. */
  readonly regionAliases: readonly RegionAlias[];
  /** Direct children of a region (prefectures of the province, counties of a prefecture). */
  childrenOf(code: string): readonly Region[];
}

/** The catalog folder shipped next to this module. */
export const CATALOG_DIR: string = fileURLToPath(new URL("./catalog/", import.meta.url));

const PARENT_LEVEL = { province: null, prefecture: "province", county: "prefecture" } as const;

function indexUnique<T extends { code: string }>(file: string, rows: readonly Lined<T>[]): Map<string, T> {
  const byCode = new Map<string, T>();
  for (const { line, value } of rows) {
    if (byCode.has(value.code)) throw new CatalogError(file, line, "code", `duplicate code ${value.code}`);
    byCode.set(value.code, value);
  }
  return byCode;
}

/** Reads and validates the catalog in `dir` (default: the shipped catalog); throws CatalogError on the first bad row. */
export function loadCatalog(dir?: string | URL): Catalog {
  const root = dir === undefined ? CATALOG_DIR : dir instanceof URL ? fileURLToPath(dir) : dir;
  const dimensionRows = readTable(root, "dimensions.csv", dimensionTable);
  const indicatorRows = readTable(root, "indicators.csv", indicatorTable);
  const regionRows = readTable(root, "regions.csv", regionTable);
  const dimensions = indexUnique("dimensions.csv", dimensionRows);
  const indicators = indexUnique("indicators.csv", indicatorRows);
  const regions = indexUnique("regions.csv", regionRows);
  const aliasRows = existsSync(join(root, "region-aliases.csv"))
    ? readTable(root, "region-aliases.csv", regionAliasTable)
    : [];
  for (const { line, value } of aliasRows) {
    if (!regions.has(value.code))
      throw new CatalogError("region-aliases.csv", line, "code", `unknown region ${value.code}`);
  }

  for (const { line, value } of indicatorRows) {
    if (!dimensions.has(value.dimension)) {
      throw new CatalogError("indicators.csv", line, "dimension", `unknown dimension ${value.dimension}`);
    }
    if (unitByCode(value.unit) === undefined) {
      throw new CatalogError("indicators.csv", line, "unit", `unit ${value.unit} is not a code of the unit registry`);
    }
  }
  const children = new Map<string, Region[]>();
  for (const { line, value } of regionRows) {
    if (value.parentCode === null) continue;
    const parent = regions.get(value.parentCode);
    if (parent === undefined)
      throw new CatalogError("regions.csv", line, "parent_code", `unknown parent ${value.parentCode}`);
    if (parent.level !== PARENT_LEVEL[value.level]) {
      throw new CatalogError("regions.csv", line, "parent_code", `a ${value.level} cannot sit under a ${parent.level}`);
    }
    const list = children.get(parent.code) ?? [];
    list.push(value);
    children.set(parent.code, list);
  }

  const freeze = <T>(rows: readonly Lined<T>[]): readonly T[] => Object.freeze(rows.map((r) => Object.freeze(r.value)));
  const empty: readonly Region[] = Object.freeze([]);
  const frozenChildren = new Map([...children].map(([code, list]) => [code, Object.freeze(list)] as const));
  return Object.freeze({
    indicators: freeze(indicatorRows),
    indicator: (code: string) => indicators.get(code),
    dimensions: freeze(dimensionRows),
    dimension: (code: string) => dimensions.get(code),
    regions: freeze(regionRows),
    region: (code: string) => regions.get(code),
    regionAliases: freeze(aliasRows),
    childrenOf: (code: string) => frozenChildren.get(code) ?? empty,
  });
}

let cached: Catalog | undefined;

/** The shipped catalog, loaded once per process. */
export function defaultCatalog(): Catalog {
  cached ??= loadCatalog();
  return cached;
}
