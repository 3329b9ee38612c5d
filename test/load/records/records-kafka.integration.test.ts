import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli.ts";
import { withWarehouse } from "../../helpers/duckdb.ts";
import { kafkaBrokers, uniqueTopicPrefix } from "../../helpers/kafka.ts";

const data = mkdtempSync(join(tmpdir(), "gongfu-records-kafka-"));
afterAll(() => rmSync(data, { recursive: true, force: true }));

describe("record feeds on a real Kafka broker", () => {
  it("derive the same cells from the records' Arrow batches as in embedded mode, and a second run loads nothing", async () => {
    const args = [
      "run",
      "--samples",
      "--data",
      data,
      "--kafka",
      kafkaBrokers(),
      "--topic-prefix",
      uniqueTopicPrefix("records"),
    ];
    const env = { GONGFU_PSEUDONYM_KEY: "kafka-test-only-key-0123456789abcdef" };
    const first = await runCli(args, { env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/households_100k_500k_share 2021: 70\.0 % from 3,600 records/);
    const again = await runCli(args, { env });
    expect(again.code, again.stderr).toBe(0);
    await withWarehouse(join(data, "gongfu.duckdb"), async (query) => {
      // Every record once, though the second run read the drop folders again.
      expect(await query("SELECT count(*)::INT AS n FROM rec_household_survey")).toEqual([{ n: 3600 }]);
      expect(await query("SELECT count(*)::INT AS n FROM rec_market_registry")).toEqual([{ n: 10_347 }]);
      expect(await query("SELECT count(*)::INT AS n FROM rec_air_stations")).toEqual([{ n: 96_624 }]);
      expect(await query("SELECT count(*)::INT AS n FROM record_batch WHERE feed = 'household-survey'")).toEqual([
        { n: 1 },
      ]);
      // 24 household shares, 759 market-entity year-ends (816 cells less 57 suppressed), 24 air-quality cells.
      expect(
        await query("SELECT count(*)::INT AS n FROM fact_observation WHERE source_uri LIKE 'derivation:%'"),
      ).toEqual([{ n: 807 }]);
      const [share] = await query(
        "SELECT round(value, 4) AS v FROM derived_cell WHERE derivation = 'households-200k-600k-share' AND region_code = '330000'",
      );
      expect(share?.["v"]).toBe(31.25);
    });
  }, 240_000);
});
