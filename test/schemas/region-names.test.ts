import { describe, expect, it } from "vitest";
import { codeKey, editDistance, nameKey, similarity, stripSuffix } from "../../schemas/region-names.ts";

describe("region name keys", () => {
  it("folds width, case, spaces and apostrophes into one key", () => {
    expect(nameKey("\u3000Chun’an  County ")).toBe("chunancounty");
    expect(nameKey("３３０１００")).toBe("330100");
  });

  it("strips one administrative suffix but never shortens a name below two characters", () => {
    expect(stripSuffix("景宁畲族自治县")).toBe("景宁");
    expect(stripSuffix("hangzhoushi")).toBe("hangzhou");
    expect(stripSuffix("市")).toBeNull();
    expect(stripSuffix("xihu")).toBeNull();
  });

  it("reads 6- and 12-digit statistical codes and nothing else", () => {
    expect([codeKey("330100"), codeKey("330100000000"), codeKey("330100001000"), codeKey("33010")]).toEqual([
      "330100",
      "330100",
      null,
      null,
    ]);
  });

  it("counts one edit per changed hanzi or letter", () => {
    expect(editDistance("杭州", "杭洲")).toBe(1);
    expect(editDistance("hangzhou", "hanzhou")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(similarity("abc", "abc")).toBe(1);
    expect(similarity("", "")).toBe(1);
  });
});
