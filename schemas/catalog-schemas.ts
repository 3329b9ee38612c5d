// The canonical shapes of catalog entries; CSV decoding lives in catalog-decode.ts.
import { z } from "zod";

export const DimensionCode = z.enum(["D1", "D2", "D3", "D4", "D5", "D6", "D7"]);
export type DimensionCode = z.infer<typeof DimensionCode>;

export const TargetOp = z.enum([">=", ">", "<=", "<", "trend_up", "trend_down"]);
export type TargetOp = z.infer<typeof TargetOp>;

export const Frequency = z.enum(["annual", "quarterly", "monthly"]);
export type Frequency = z.infer<typeof Frequency>;

export const IndicatorKind = z.enum(["target", "supporting"]);
export type IndicatorKind = z.infer<typeof IndicatorKind>;

export const Direction = z.enum(["higher", "lower"]);
export type Direction = z.infer<typeof Direction>;

export const RegionLevel = z.enum(["province", "prefecture", "county"]);
export type RegionLevel = z.infer<typeof RegionLevel>;

export const CountyType = z.enum(["district", "county", "county-level city", "autonomous county"]);
export type CountyType = z.infer<typeof CountyType>;

export const RegionCode = z.string().regex(/^\d{6}$/, "expected a 6-digit GB/T 2260 code");

export const Indicator = z
  .object({
    code: z.string().regex(/^[a-z][a-z0-9_]*$/, "expected a snake_case code"),
    nameZh: z.string().min(1),
    nameEn: z.string().min(1),
    dimension: DimensionCode,
    unit: z.string().min(1),
    direction: Direction,
    targetOp: TargetOp.nullable(),
    targetValue: z.number().nullable(),
    targetYear: z.number().int().min(2000).max(2100).nullable(),
    seedSection: z.string(),
    note: z.string(),
    kind: IndicatorKind,
    frequency: Frequency,
    baseline2020: z.number().nullable(),
    baselineSource: z.string(),
  })
  .superRefine((v, ctx) => {
    const trend = v.targetOp === "trend_up" || v.targetOp === "trend_down";
    if (v.kind === "target") {
      if (v.targetOp === null)
        ctx.addIssue({ code: "custom", path: ["targetOp"], message: "a target needs a comparison" });
      if (v.targetYear === null)
        ctx.addIssue({ code: "custom", path: ["targetYear"], message: "a target needs a year" });
      if (!trend && v.targetOp !== null && v.targetValue === null) {
        ctx.addIssue({ code: "custom", path: ["targetValue"], message: `comparison ${v.targetOp} needs a value` });
      }
      if (trend && v.targetValue !== null) {
        ctx.addIssue({ code: "custom", path: ["targetValue"], message: "trend targets carry no value" });
      }
    } else {
      if (v.targetOp !== null)
        ctx.addIssue({ code: "custom", path: ["targetOp"], message: "a supporting series has no target" });
      if (v.targetValue !== null)
        ctx.addIssue({ code: "custom", path: ["targetValue"], message: "a supporting series has no target" });
    }
    if (v.baseline2020 !== null && v.baselineSource === "") {
      ctx.addIssue({ code: "custom", path: ["baselineSource"], message: "a baseline needs its source" });
    }
  });
export type Indicator = z.infer<typeof Indicator>;

export const Dimension = z.object({
  code: DimensionCode,
  nameZh: z.string().min(1),
  nameEn: z.string().min(1),
  seedSection: z.string(),
});
export type Dimension = z.infer<typeof Dimension>;

export const Region = z
  .object({
    code: RegionCode,
    nameZh: z.string().min(2),
    nameShort: z.string().min(1),
    // Toneless pinyin, capitalised, with an apostrophe only at syllable breaks (Chun'an).
    pinyin: z.string().regex(/^[A-Z][a-z]+(?:'[a-z]+)*$/, "expected toneless pinyin such as Chun'an"),
    level: RegionLevel,
    parentCode: RegionCode.nullable(),
    countyType: CountyType.nullable(),
    mountain26: z.boolean(),
    eco11: z.boolean(),
    notes: z.string(),
  })
  .superRefine((v, ctx) => {
    if (v.level === "province" && v.parentCode !== null) {
      ctx.addIssue({ code: "custom", path: ["parentCode"], message: "the province has no parent" });
    }
    if (v.level !== "province" && v.parentCode === null) {
      ctx.addIssue({ code: "custom", path: ["parentCode"], message: `a ${v.level} needs a parent` });
    }
    if (v.level === "county" && v.countyType === null) {
      ctx.addIssue({ code: "custom", path: ["countyType"], message: "a county-level unit needs a type" });
    }
    if (v.level !== "county" && v.countyType !== null) {
      ctx.addIssue({ code: "custom", path: ["countyType"], message: "only county-level units have a type" });
    }
    if (!v.nameZh.startsWith(v.nameShort)) {
      ctx.addIssue({ code: "custom", path: ["nameShort"], message: "the short name must prefix the full name" });
    }
  });
export type Region = z.infer<typeof Region>;

/** Another name or code of a region: a historical one (GB/T 2260 changes), with when it changed and the source. */
export const RegionAlias = z.object({
  alias: z.string().min(1),
  code: RegionCode,
  changed: z.string().regex(/^\d{4}(-\d{2})?$/, "expected YYYY or YYYY-MM"),
  source: z.string().min(1, "an alias needs its source"),
});
export type RegionAlias = z.infer<typeof RegionAlias>;
