import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tableFromIPC } from "apache-arrow";
import ExcelJS from "exceljs";
import { syncCatalog, writeBatch } from "../../load/index.ts";
import { keyAsText } from "../../load/lake-layout.ts";
import { defaultCatalog } from "../../schemas/index.ts";
import { runCli } from "../helpers/cli.ts";
import { withWarehouse } from "../helpers/duckdb.ts";
import { delivered, observation, scratchWarehouse, tempDir } from "./fixtures.ts";

let data: string;
beforeAll(async () => {
  data = tempDir("export");
  const db = await scratchWarehouse(join(data, "gongfu.duckdb"));
  try {
    await syncCatalog(db.connection, defaultCatalog());
    await writeBatch(
      db.connection,
      "g",
      [
        delivered(observation(), 0),
        delivered(
          observation({ period: "2024Q3", region: "330200", value: 0.5, vintage: "2024-10-15T08:30:00.123Z" }),
          1,
        ),
      ],
      [],
      [],
    );
  } finally {
    db.close();
  }
});

const exportCli = (...args: string[]) => runCli(["export", "--data", data, "--no-metrics", ...args]);

describe("gongfu export", () => {
  it("writes an Arrow IPC file with typed columns, micro-second timestamps and 128-bit keys as text", async () => {
    const out = join(data, "facts.arrow");
    const r = await exportCli("--format", "arrow", "--table", "fact_observation", "--out", out);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ format: "arrow", rows: 2, out, source: "warehouse" });
    const table = tableFromIPC(readFileSync(out));
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types).toMatchObject({
      obs_key: "Utf8",
      value: "Float64",
      vintage: "Timestamp<MICROSECOND, UTC>",
      kafka_offset: "Int64",
      source_line: "Int32",
    });
    const rows = table.toArray().map((r) => r.toJSON());
    const ningbo = rows.find((r) => r["region_code"] === "330200")!;
    expect(ningbo["value"]).toBe(0.5);
    expect(ningbo["vintage"]).toBe(Date.parse("2024-10-15T08:30:00.123Z"));
    const keys = await withWarehouse(join(data, "gongfu.duckdb"), (q) =>
      q(`SELECT ${keyAsText("obs_key")} AS k FROM fact_observation ORDER BY k`),
    );
    expect(keys[0]!["k"]).toMatch(/^[0-9A-F]{32}$/);
    expect(rows.map((r) => r["obs_key"]).sort()).toEqual(keys.map((k) => k["k"]));
  });

  it("writes Parquet and CSV through DuckDB, and a query result as well as a table", async () => {
    const parquet = join(data, "latest.parquet");
    expect((await exportCli("--table", "obs_latest", "--out", parquet)).code).toBe(0);
    const csv = join(data, "wide.csv");
    const r = await exportCli(
      "--query",
      "SELECT region_code, period, disposable_income_per_capita FROM obs_wide ORDER BY region_code, period;",
      "--out",
      csv,
    );
    expect(JSON.parse(r.stdout)).toMatchObject({ format: "csv", rows: 2 });
    expect(readFileSync(csv, "utf8").trim().split("\n")).toEqual([
      "region_code,period,disposable_income_per_capita",
      "330100,2023,75810.0",
      "330200,2024Q3,0.5",
    ]);
    const back = await withWarehouse(join(data, "gongfu.duckdb"), (q) =>
      q(`SELECT count(*)::INTEGER AS n, any_value(typeof(obs_key)) AS key_type FROM '${parquet}'`),
    );
    expect(back).toEqual([{ n: 2, key_type: "VARCHAR" }]);
  });

  it("writes an XLSX workbook with a header row and numbers as numbers", async () => {
    const out = join(data, "latest.xlsx");
    expect((await exportCli("--table", "obs_latest", "--out", out)).code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toContain("发布时间（版本） vintage (UTC)");
    const valueColumn = header.findIndex((h) => String(h).endsWith(" value")) + 1;
    expect(sheet.rowCount).toBe(3);
    expect([sheet.getRow(2).getCell(valueColumn).value, sheet.getRow(3).getCell(valueColumn).value].sort()).toEqual([
      0.5, 75810,
    ]);
  });

  it("accepts only table names from the warehouse's catalog, so --table cannot carry SQL", async () => {
    const r = await exportCli("--table", "fact_observation; DROP TABLE dim_region", "--out", join(data, "x.csv"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /is not a table or view of the warehouse — one of: .*dim_region.*fact_observation.*obs_wide/,
    );
    const left = await withWarehouse(join(data, "gongfu.duckdb"), (q) =>
      q("SELECT count(*)::INTEGER AS n FROM dim_region"),
    );
    expect(left).toEqual([{ n: 102 }]);
  });

  it("refuses a --query that is not one SELECT, and leaves the warehouse as it was", async () => {
    for (const query of [
      "DELETE FROM fact_observation",
      "SELECT 1; DROP TABLE dim_region",
      "SELECT * FROM no_such_table",
    ]) {
      const r = await exportCli("--query", query, "--out", join(data, "q.csv"));
      expect(r.code, query).toBe(2);
    }
    expect(
      await withWarehouse(join(data, "gongfu.duckdb"), (q) =>
        q(
          "SELECT (SELECT count(*) FROM fact_observation)::INTEGER AS f, (SELECT count(*) FROM dim_region)::INTEGER AS r",
        ),
      ),
    ).toEqual([{ f: 2, r: 102 }]);
  });

  it("leaves no file, and no temporary file, when the query fails half way", async () => {
    const out = join(data, "half.csv");
    const r = await exportCli("--query", "SELECT CAST(period AS INTEGER) AS p FROM fact_observation", "--out", out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/2024Q3/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(data).filter((f) => f.includes("half"))).toEqual([]);
  });
});
