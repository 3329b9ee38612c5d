import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parseCell, toHalfWidth } from "../../transform/index.ts";
import { writeSection } from "../reliability/results-file.ts";

afterAll(async () => {
  const rows = ["-0", "－０", "9007199254740992", "9007199254740993", "12345678901234567890", "1e-400", "0.1"].map(
    (text) => {
      const cell = parseCell(text);
      const outcome =
        cell.kind === "number"
          ? `number ${Object.is(cell.value, -0) ? "-0" : String(cell.value)}`
          : cell.kind === "invalid"
            ? `refused: ${cell.reason}`
            : "missing";
      return `| \`${text}\` | ${outcome} |`;
    },
  );
  await writeSection(
    "numbers",
    [
      "## Numbers: negative zero and precision",
      "",
      "`test/transform/parse-number.test.ts` (with a property test over every double written the shortest way). A cell",
      "whose number a double cannot hold exactly is refused with a dead letter (quarantine keeps the text) rather than",
      "rounded; `-0` is stored as 0.",
      "",
      "| cell | read as |",
      "|---|---|",
      ...rows,
    ].join("\n"),
  );
});

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

  it("reads -0 as zero, not as a negative zero", () => {
    for (const text of ["-0", "-0.0", "－０", "-0.00%", "-0e5"]) {
      const cell = parseCell(text);
      expect(cell.kind, text).toBe("number");
      expect(Object.is(cell.kind === "number" ? cell.value : Number.NaN, 0), text).toBe(true);
    }
  });

  it("refuses a number a double cannot hold exactly, and keeps every one it can", () => {
    for (const text of [
      "9007199254740993",
      "-9007199254740993",
      "12345678901234567890",
      "9,007,199,254,740,993",
      "1e-400",
    ])
      expect(parseCell(text), text).toMatchObject({ kind: "invalid", reason: expect.stringMatching(/stored/) });
    expect(parseCell("9007199254740993")).toMatchObject({
      reason: expect.stringContaining("cannot be stored exactly (as 9007199254740992"),
    });
    for (const [text, value] of [
      ["9007199254740992", 2 ** 53],
      ["9007199254740994", 2 ** 53 + 2],
      ["123456789012345", 123456789012345],
      ["0.1", 0.1],
      ["1e21", 1e21],
      ["3.141592653589793", Math.PI],
      ["0.000000000000000001234", 1.234e-18],
    ] as const)
      expect(parseCell(text), text).toMatchObject({ kind: "number", value });
    // Any double written the shortest way (as JavaScript prints it) reads back as itself.
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        const cell = parseCell(String(d));
        return cell.kind === "number" && cell.value === (d === 0 ? 0 : d) && !Object.is(cell.value, -0);
      }),
    );
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

describe("parseCell's fast path for plain decimals", () => {
  it("gives what the full rules give (a leading space sends the same text through them)", () => {
    const plain = fc.oneof(
      fc.stringMatching(/^\d{1,18}$/),
      fc.tuple(fc.stringMatching(/^\d{1,10}$/), fc.stringMatching(/^\d{1,10}$/)).map(([a, b]) => `${a}.${b}`),
    );
    fc.assert(
      fc.property(plain, (raw) => {
        const fast = parseCell(raw);
        const full = parseCell(` ${raw}`);
        // An invalid result quotes the text it was given; the verdict and any value must agree.
        if (full.kind === "invalid") expect(fast.kind).toBe("invalid");
        else expect(fast).toEqual(full);
      }),
      { numRuns: 2000 },
    );
  });
});
