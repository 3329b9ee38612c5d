// Every unit the catalog and the sources use, with its dimension and factor to that dimension's base unit.
import { z } from "zod";

// Nouns stay apart (幢 is not 套 is not 人次) so that converting between them is an error, not a number.
export const UnitDimension = z.enum([
  "currency",
  "persons",
  "households",
  "count",
  "buildings",
  "dwellings",
  "person_times",
  "percent",
  "percentage_point",
  "age",
  "years",
  "concentration",
  "ratio",
  "currency_per_person",
  "per_population",
  "per_gdp",
]);
export type UnitDimension = z.infer<typeof UnitDimension>;

export const Unit = z.object({
  /** The canonical spelling, as written in indicators.csv. */
  code: z.string().min(1),
  nameZh: z.string().min(1),
  nameEn: z.string().min(1),
  dimension: UnitDimension,
  /** value in this unit x factor = value in the dimension's base unit (factor 1). */
  factor: z.number().positive(),
  aliases: z.array(z.string().min(1)).readonly(),
});
export type Unit = z.infer<typeof Unit>;

type Row = readonly [
  code: string,
  nameZh: string,
  nameEn: string,
  dimension: UnitDimension,
  factor: number,
  aliases: readonly string[],
];

const ROWS: readonly Row[] = [
  ["元", "元", "yuan", "currency", 1, ["yuan", "rmb", "cny", "元人民币"]],
  ["千元", "千元", "thousand yuan", "currency", 1e3, ["1000 yuan", "1k yuan"]],
  ["万元", "万元", "10k yuan", "currency", 1e4, ["ten thousand yuan", "wan yuan", "10000 yuan"]],
  ["亿元", "亿元", "100m yuan", "currency", 1e8, ["100 million yuan", "hundred million yuan", "yi yuan"]],
  ["人", "人", "persons", "persons", 1, ["person", "people", "名"]],
  ["万人", "万人", "10k persons", "persons", 1e4, ["10k people", "ten thousand persons", "10000 persons"]],
  ["万名", "万名", "10k persons (counted by name)", "persons", 1e4, []],
  ["户", "户", "households", "households", 1, ["household"]],
  ["万户", "万户", "10k households", "households", 1e4, ["ten thousand households"]],
  ["个", "个", "items", "count", 1, ["item", "count"]],
  ["万个", "万个", "10k items", "count", 1e4, []],
  ["张", "张", "beds", "count", 1, ["bed", "beds", "床"]],
  ["幢", "幢", "buildings", "buildings", 1, ["栋", "building"]],
  ["万幢", "万幢", "10k buildings", "buildings", 1e4, ["万栋"]],
  ["套", "套", "dwellings", "dwellings", 1, ["dwelling", "housing units"]],
  ["万套", "万套", "10k dwellings", "dwellings", 1e4, ["10k housing units"]],
  ["人次", "人次", "person-times", "person_times", 1, ["person times", "persontimes"]],
  ["万人次", "万人次", "10k person-times", "person_times", 1e4, ["10k person times"]],
  ["%", "%", "percent", "percent", 1, ["percent", "pct", "per cent", "百分比"]],
  ["‰", "‰", "per mille", "percent", 0.1, ["permille", "per mil", "千分比"]],
  ["百分点", "百分点", "percentage points", "percentage_point", 1, ["个百分点", "pp", "percentage point", "pct pt"]],
  ["岁", "岁", "years of age", "age", 1, ["years old", "years of age"]],
  ["年", "年", "years", "years", 1, ["year", "yrs"]],
  [
    "μg/m³",
    "微克/立方米",
    "micrograms per cubic metre",
    "concentration",
    1,
    ["ug/m3", "µg/m³", "微克每立方米", "mcg/m3"],
  ],
  ["mg/m³", "毫克/立方米", "milligrams per cubic metre", "concentration", 1e3, ["mg/m3"]],
  ["ratio", "比值", "ratio", "ratio", 1, ["比"]],
  ["倍", "倍", "times", "ratio", 1, ["fold"]],
  ["元/人", "元/人", "yuan per person", "currency_per_person", 1, ["yuan per person", "yuan/person", "元每人"]],
  ["万元/人", "万元/人", "10k yuan per person", "currency_per_person", 1e4, ["10k yuan per person"]],
  [
    "per_1k",
    "每千人",
    "per 1,000 population",
    "per_population",
    10,
    ["per 1000", "per 1k", "每千人口", "/千人", "个/千人"],
  ],
  [
    "per_10k",
    "每万人",
    "per 10,000 population",
    "per_population",
    1,
    ["per 10k", "per 10000", "每万人口", "/万人", "人/万人", "件/万人"],
  ],
  [
    "per_100m_gdp",
    "人/亿元GDP",
    "per 100m yuan of GDP",
    "per_gdp",
    1,
    ["per 100m yuan gdp", "per 100m gdp", "人/亿元", "每亿元GDP"],
  ],
];

/** The registry, validated once at load so a typo in a row fails loudly. */
export const UNITS: readonly Unit[] = Object.freeze(
  ROWS.map(([code, nameZh, nameEn, dimension, factor, aliases]) =>
    Object.freeze(Unit.parse({ code, nameZh, nameEn, dimension, factor, aliases })),
  ),
);
