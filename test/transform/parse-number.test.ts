import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCell, toHalfWidth } from "../../transform/index.ts";

const fullWidth = (text: string) => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe("parseCell", () => {
  it("reads any integer written with thousands separators, in half or full width, as itself", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.boolean(), (n, wide) => {
        const text = n.toLocaleString("en-US");
        expect(parseCell(wide ? fullWidth(text) : text)).toEqual({ kind: "number", value: n, suffix: "" });
      }),
    );
  });

  it("reads any decimal with a unit suffix as the decimal and the suffix", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.constantFrom("%", "万元", "‰", "亿元", "万人"),
        (x, unit) => {
          const text = `${x.toFixed(3)}${unit}`;
          expect(parseCell(text)).toEqual({ kind: "number", value: Number(x.toFixed(3)), suffix: unit });
        },
      ),
    );
  });

  it("never reads a missing marker as a number", () => {
    for (const marker of ["", "—", "-", "…", "/", "－", "／", "——", "...", "NULL"])
      expect(parseCell(marker).kind).toBe("missing");
  });

  it("says why an ambiguous cell is rejected", () => {
    expect(parseCell("1,5")).toMatchObject({ kind: "invalid", reason: expect.stringContaining("decimal commas") });
  });
});

describe("toHalfWidth", () => {
  it("folds full-width digits, signs and the ideographic space", () => {
    expect(toHalfWidth("－１２，３４５．６％\u3000")).toBe("-12,345.6% ");
  });
});
