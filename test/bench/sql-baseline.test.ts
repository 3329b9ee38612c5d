import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { benchFeedSpec, generateLongCsv } from "../../bench/generate-input.ts";
import { runSqlBaseline } from "../../bench/sql-baseline.ts";
import { runCli } from "../helpers/cli.ts";

const work = mkdtempSync(join(tmpdir(), "gongfu-sql-baseline-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the baseline on `csv` in a fresh database at `path` and hands back a query function over it. */
async function baseline(csv: string, path = ":memory:") {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  const counts = await runSqlBaseline(connection, { inputCsv: csv });
  const query = async (sql: string) =>
    (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  const close = () => {
    connection.closeSync();
    instance.closeSync();
  };
  return { counts, query, close };
}

describe("the sql-baseline scenario's hand-written SQL (bench/sql-baseline.sql)", () => {
  it("applies the rules a data engineer writes by hand and lists every reason a row fails", async () => {
    const csv = join(work, "rules.csv");
    writeFileSync(
      csv,
      [
        "地区代码,指标,时期,数值,单位",
        '330100,disposable_income_per_capita,2025-03,"1,234.5",元', // thousands separator
        "杭州市,disposable_income_per_capita,2025年3月,１２３４,元", // full name, Chinese month, full-width digits
        "杭州,disposable_income_per_capita,2025Q3,7.5万元,", // short name, unit in the cell, converted
        "Hangzhou,居民人均可支配收入,2025年第三季度,75000,（元）", // pinyin, Chinese indicator name, bracketed unit
        "330100,disposable_income_per_capita,2025年十二月,—,元", // a missing-value marker: neither fact nor dead letter
        "330100,disposable_income_per_capita,２０２５年十二月,7,元",
        "999999,disposable_income_per_capita,2025-13,abc,元",
        "330100,no_such_indicator,2025,5,元",
        '330100,disposable_income_per_capita,2025,"1,5",元', // a decimal comma is rejected, not guessed
        "330100,disposable_income_per_capita,2025,5,万人",
        "330100,disposable_income_per_capita,2025,5,furlong",
      ].join("\n"),
    );
    const { counts, query, close } = await baseline(csv);
    try {
      expect(counts).toEqual({ facts: 5, quarantined: 5 });
      expect(
        await query("SELECT source_line, region_code, period, value, unit FROM fact_observation ORDER BY source_line"),
      ).toEqual([
        { source_line: 2, region_code: "330100", period: "2025-03", value: 1234.5, unit: "元" },
        { source_line: 3, region_code: "330100", period: "2025-03", value: 1234, unit: "元" },
        { source_line: 4, region_code: "330100", period: "2025Q3", value: 75000, unit: "元" },
        { source_line: 5, region_code: "330100", period: "2025Q3", value: 75000, unit: "元" },
        { source_line: 7, region_code: "330100", period: "2025-12", value: 7, unit: "元" },
      ]);
      expect(await query("SELECT source_line, fields, reason_codes FROM quarantine ORDER BY source_line")).toEqual([
        {
          source_line: 8,
          fields: {
            地区代码: "999999",
            指标: "disposable_income_per_capita",
            时期: "2025-13",
            数值: "abc",
            单位: "元",
          },
          reason_codes: ["unknown_region", "bad_period", "not_a_number"],
        },
        expect.objectContaining({ source_line: 9, reason_codes: ["unknown_indicator"] }),
        expect.objectContaining({ source_line: 10, reason_codes: ["not_a_number"] }),
        expect.objectContaining({ source_line: 11, reason_codes: ["unit_mismatch"] }),
        expect.objectContaining({ source_line: 12, reason_codes: ["unknown_unit"] }),
      ]);
    } finally {
      close();
    }
  });

  it("loads the same facts as `gongfu run` from the same 10^3-row bench file", async () => {
    const csv = join(work, "long-1000.csv");
    await generateLongCsv(csv, 1000);
    const data = join(work, "data");
    const feeds = join(work, "feeds");
    mkdirSync(join(data, "inbox/bench"), { recursive: true });
    mkdirSync(feeds, { recursive: true });
    writeFileSync(join(feeds, "bench.yaml"), benchFeedSpec("bench"));
    copyFileSync(csv, join(data, "inbox/bench/input.csv"));
    const run = await runCli(["run", "--feeds", feeds, "--data", data], { env: { KAFKA_BROKERS: "" } });
    expect(run.stderr).not.toMatch(/gongfu: /);
    expect(run.code).toBe(0);

    const { counts, query, close } = await baseline(csv, join(work, "baseline.duckdb"));
    try {
      // The bench input is all valid: both load every row.
      expect(counts).toEqual({ facts: 1000, quarantined: 0 });
      await query(`ATTACH '${join(data, "gongfu.duckdb")}' AS gongfu (READ_ONLY)`);
      const gongfu = await query(
        "SELECT CAST(count(*) AS INTEGER) AS facts, CAST((SELECT count(*) FROM gongfu.quarantine) " +
          "AS INTEGER) AS quarantined FROM gongfu.fact_observation",
      );
      expect(gongfu).toEqual([{ facts: 1000, quarantined: 0 }]);
      // Row for row, by line: the same indicator, region, period, value and unit.
      const columns = "source_line, indicator_code, region_code, period, value, unit";
      const onlyOneSide = await query(
        `(SELECT ${columns} FROM fact_observation EXCEPT SELECT ${columns} FROM gongfu.fact_observation)
         UNION ALL
         (SELECT ${columns} FROM gongfu.fact_observation EXCEPT SELECT ${columns} FROM fact_observation)`,
      );
      expect(onlyOneSide).toEqual([]);
      // And a few rows spelled out, so that an empty comparison cannot pass for the wrong reason.
      const sample = await query(
        `SELECT b.${columns.split(", ").join(", b.")}, g.value AS gongfu_value
         FROM fact_observation b JOIN gongfu.fact_observation g USING (source_line)
         WHERE source_line IN (2, 501, 1001) ORDER BY source_line`,
      );
      expect(sample).toHaveLength(3);
      for (const row of sample) expect(row["value"]).toBe(row["gongfu_value"]);
      expect(sample[0]).toMatchObject({ source_line: 2, region_code: "330000", period: "2019-01" });
    } finally {
      close();
    }
  });
});
