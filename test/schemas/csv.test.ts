import { describe, expect, it } from "vitest";
import { CsvSyntaxError, parseCsv, parseCsvLine } from "../../schemas/catalog-csv.ts";

describe("parseCsvLine", () => {
  it("splits plain fields on commas and keeps empty fields", () => {
    expect(parseCsvLine("a,,c,")).toEqual(["a", "", "c", ""]);
  });

  it("keeps commas and doubled quotes inside quoted fields", () => {
    expect(parseCsvLine('x,"a, ""b"", c",y')).toEqual(["x", 'a, "b", c', "y"]);
  });

  it("treats a quoted empty field as an empty string", () => {
    expect(parseCsvLine('"",1')).toEqual(["", "1"]);
  });

  it("rejects an unterminated quoted field", () => {
    expect(() => parseCsvLine('a,"oops')).toThrow(CsvSyntaxError);
  });

  it("rejects a quote in the middle of an unquoted field", () => {
    expect(() => parseCsvLine('a,b"c')).toThrow(/quote inside an unquoted field/);
  });

  it("rejects text after a closing quote", () => {
    expect(() => parseCsvLine('"a"b,c')).toThrow(/after closing quote/);
  });
});

describe("parseCsv", () => {
  it("numbers records by the line they start on, across CRLF, BOM, blank lines and quoted line breaks", () => {
    const records = parseCsv('\uFEFFh1,h2\r\n1,"two\nlines"\r\n\r\n3,4\n');
    expect(records).toEqual([
      { line: 1, fields: ["h1", "h2"] },
      { line: 2, fields: ["1", "two\nlines"] },
      { line: 5, fields: ["3", "4"] },
    ]);
  });

  it("reads a last record without a trailing newline", () => {
    expect(parseCsv("a,b\n1,2").map((r) => r.fields)).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });
});
