import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readRows, type ParsedRow } from "../../ingest/index.ts";
import { repeatedColumn } from "../../ingest/formats/header-check.ts";
import { runCli } from "../helpers/cli.ts";
import { testSpec } from "./helpers/specs.ts";

async function read(text: string, format: Record<string, unknown> = {}): Promise<ParsedRow[]> {
  const out: ParsedRow[] = [];
  for await (const row of readRows(
    Readable.from([Buffer.from(text)]),
    testSpec({ format: { kind: "csv", ...format } }),
  ))
    out.push(row);
  return out;
}

describe("a CSV header that names a column twice", () => {
  it("fails the file at its header line, naming the column and both places, and reads none of its rows", async () => {
    const rows = await read(
      "地区,年份,居民人均可支配收入,居民人均可支配收入\n杭州市,2024,79323,1\n宁波市,2024,76690,2\n",
    );
    expect(rows).toEqual([
      {
        ok: false,
        position: { line: 1 },
        code: "duplicate_column",
        reason:
          "the header names column 居民人均可支配收入 twice (columns 3 and 4); rename one of them; no line of the file was read",
        raw: "地区,年份,居民人均可支配收入,居民人均可支配收入",
      },
    ]);
  });

  it("counts names as the reader keys them: after a BOM and surrounding spaces are taken off, and below skipped title lines", async () => {
    const rows = await read("浙江省收入（样例）\n\uFEFF地区,年份, 地区 ,居民人均可支配收入\n杭州市,2024,x,1\n", {
      skipLines: 1,
    });
    expect(rows).toEqual([
      expect.objectContaining({
        ok: false,
        code: "duplicate_column",
        position: { line: 2 },
        reason: expect.stringContaining("column 地区 twice (columns 1 and 3)"),
      }),
    ]);
  });

  it("reads a header with several blank names (trailing delimiters): blank columns are not read by anyone", async () => {
    const rows = await read("地区,年份,居民人均可支配收入,,\n杭州市,2024,79323,,\n");
    expect(rows).toEqual([
      {
        ok: true,
        position: { line: 2 },
        fields: { 地区: "杭州市", 年份: "2024", 居民人均可支配收入: "79323", "": "" },
      },
    ]);
  });

  it("reports a header that does not fit the layout as that, even when its unreadable names repeat", async () => {
    expect((await read("�,�,�\n1,2,3\n")).map((r) => (r.ok ? "ok" : r.code))).toEqual(["header_mismatch"]);
  });

  it("names nothing for distinct names", () => {
    expect(repeatedColumn(["地区", "年份", "收入", "", ""])).toBeUndefined();
    expect(repeatedColumn(["a", "b", "a", "b"])).toMatch(/column a twice \(columns 1 and 3\)/);
  });

  it("shows in gongfu validate as the file, line 1, the code and the column, with exit code 1", async () => {
    const root = mkdtempSync(join(tmpdir(), "gongfu-repeated-"));
    mkdirSync(join(root, "feeds"));
    writeFileSync(join(root, "feeds", "income.yaml"), JSON.stringify(testSpec({ id: "income" })));
    const file = join(root, "2024-收入.csv");
    writeFileSync(file, "地区,年份,居民人均可支配收入,年份\n杭州市,2024,79323,2023\n");
    const r = await runCli([
      "validate",
      file,
      "--feed",
      "income",
      "--feeds",
      join(root, "feeds"),
      "--data",
      join(root, "data"),
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain(
      `${file}: line 1: duplicate_column: the header names column 年份 twice (columns 2 and 4)`,
    );
  });
});
