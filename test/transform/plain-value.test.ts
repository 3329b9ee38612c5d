import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultCatalog } from "../../schemas/index.ts";
import { normalizeValue } from "../../transform/normalize-record.ts";
import { createPlainRules } from "../../transform/plain-value.ts";

const catalog = defaultCatalog();
const names = [
  ...catalog.indicators.slice(0, 40).flatMap((i) => [i.code, i.nameZh]),
  "not_an_indicator",
  "居民人均可支配收入",
];
const units = [undefined, "", "元", "万元", "亿元", "%", "‰", "人", "万人", "年", "岁", "furlongs", "平方米", "个"];
const raws = fc.oneof(
  fc.integer({ min: 0, max: 10 ** 9 }).map(String),
  fc.double({ min: 0, max: 1e7, noNaN: true }).map((v) => v.toFixed(3)),
  fc.stringMatching(/^\d{1,17}(\.\d{0,6})?$/),
  fc.constantFrom(
    "0",
    "0.0",
    "00012",
    "100",
    "100.5",
    "101",
    "-3",
    "１２３",
    "1,234",
    "—",
    "",
    " 7 ",
    "7万元",
    "1e3",
    ".5",
  ),
);

describe("the plain-value fast path", () => {
  // The fast path must give exactly the general path's observation, and nothing where the general path refuses,
  // marks a cell missing or needs a suffix: normalize-batch uses it first and falls back to normalizeValue.
  it("gives normalizeValue's value wherever it gives one, and defers everything else to it", () => {
    const rules = createPlainRules(catalog);
    let fast = 0;
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.constantFrom(...units), raws, (name, unit, raw) => {
        const rule = rules(name, unit);
        const value = rule ? rule.value(raw) : Number.NaN;
        if (Number.isNaN(value)) return;
        fast++;
        const general = normalizeValue(name, raw, unit, "value", "fields.indicator", catalog);
        expect(general).toEqual({ indicator: rule!.indicator, unit: rule!.unit, value });
      }),
      { numRuns: 5000 },
    );
    // The property would pass vacuously if the fast path never fired.
    expect(fast).toBeGreaterThan(200);
  });

  it("takes no cell that is not a plain decimal", () => {
    const rules = createPlainRules(catalog);
    const rule = rules(catalog.indicators[0]!.code, undefined)!;
    for (const raw of ["-3", "1,234", "１２３", "7万元", "1e3", ".5", " 7", "—", "", "1234567890123456"])
      expect(rule.value(raw), raw).toBeNaN();
  });
});
