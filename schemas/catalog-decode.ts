// Maps CSV columns (snake_case strings) onto the canonical catalog schemas.
import { z } from "zod";
import {
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

const text = z.string().trim();
const number = text.regex(/^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i, "expected a number").transform(Number);
const emptyAsNull = text.transform((v) => (v === "" ? null : v));
const optionalNumber = emptyAsNull.pipe(z.union([z.null(), z.string().pipe(number)]));
const flag = z.enum(["0", "1"], { error: "expected 0 or 1" }).transform((v) => v === "1");
const nullable = <T extends z.ZodType<unknown, string>>(schema: T) => emptyAsNull.pipe(z.union([z.null(), schema]));

/** How one catalog file maps onto its schema: TS field -> CSV column, and a string decoder per field. */
export interface CsvTable<T> {
  readonly columns: Readonly<Record<string, string>>;
  readonly decode: z.ZodType<T>;
}

export const indicatorTable: CsvTable<Indicator> = {
  columns: {
    code: "code",
    nameZh: "name_zh",
    nameEn: "name_en",
    dimension: "dimension",
    unit: "unit",
    direction: "direction",
    targetOp: "target_op",
    targetValue: "target_value",
    targetYear: "target_year",
    seedSection: "seed_section",
    note: "note",
    kind: "kind",
    frequency: "frequency",
    baseline2020: "baseline_2020",
    baselineSource: "baseline_source",
  },
  decode: z
    .object({
      code: text,
      nameZh: text,
      nameEn: text,
      dimension: DimensionCode,
      unit: text,
      direction: Direction,
      targetOp: nullable(TargetOp),
      targetValue: optionalNumber,
      targetYear: optionalNumber,
      seedSection: text,
      note: text,
      kind: IndicatorKind,
      frequency: Frequency,
      baseline2020: optionalNumber,
      baselineSource: text,
    })
    .pipe(Indicator),
};

export const dimensionTable: CsvTable<Dimension> = {
  columns: { code: "code", nameZh: "name_zh", nameEn: "name_en", seedSection: "seed_section" },
  decode: z.object({ code: DimensionCode, nameZh: text, nameEn: text, seedSection: text }).pipe(Dimension),
};

export const regionTable: CsvTable<Region> = {
  columns: {
    code: "code",
    nameZh: "name_zh",
    nameShort: "name_short",
    pinyin: "pinyin",
    level: "level",
    parentCode: "parent_code",
    countyType: "county_type",
    mountain26: "mountain26_2021",
    eco11: "eco11",
    notes: "notes",
  },
  decode: z
    .object({
      code: text,
      nameZh: text,
      nameShort: text,
      pinyin: text,
      level: RegionLevel,
      parentCode: nullable(RegionCode),
      countyType: nullable(CountyType),
      mountain26: flag,
      eco11: flag,
      notes: text,
    })
    .pipe(Region),
};

export const regionAliasTable: CsvTable<RegionAlias> = {
  columns: { alias: "alias", code: "code", changed: "changed", source: "source" },
  decode: z.object({ alias: text, code: text, changed: text, source: text }).pipe(RegionAlias),
};
