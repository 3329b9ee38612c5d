import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { topicNames } from "../../schemas/index.ts";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";
import { withWarehouse } from "../helpers/duckdb.ts";
import { createLoadTopics, loadUntilIdle, observationMessage, produce } from "./kafka-fixtures.ts";
import { observation, tempDir } from "./fixtures.ts";

describe("revisions", () => {
  it("keeps both vintages of a cell: obs_latest shows the newer, obs_as_of the one known at the time", async () => {
    const brokers = kafkaBrokers();
    const prefix = uniqueTopicPrefix("load-revisions");
    const topics = topicNames(prefix);
    await createLoadTopics(brokers, topics);
    const first = observation({
      value: 75810,
      vintage: "2024-01-20T00:00:00.000Z",
      source: { feed: "stats-bureau-income", uri: "2024-01.csv", position: { line: 40 } },
    });
    const revised = observation({
      value: 76012,
      vintage: "2024-06-30T00:00:00.000Z",
      ingestedAt: "2024-07-01T00:00:00.000Z",
      source: { feed: "stats-bureau-income", uri: "2024-06.csv", position: { line: 41 } },
    });
    const other = observation({ region: "330200", value: 73869 });
    // The revision arrives first: order of arrival must not decide which vintage is the newest.
    await produce(brokers, topics.observations, [revised, first, other].map(observationMessage), {
      transactional: false,
    });

    const data = tempDir("load-revisions");
    await loadUntilIdle(["--kafka", brokers, "--topic-prefix", prefix, "--data", data], {
      GONGFU_PARQUET_INTERVAL_MS: "0",
    });

    const cell = "indicator_code = 'disposable_income_per_capita' AND region_code = '330100' AND period = '2023'";
    // The same answers from the warehouse and from bi.duckdb over the Parquet lake.
    for (const file of ["gongfu.duckdb", "bi.duckdb"]) {
      await withWarehouse(join(data, file), async (q) => {
        expect(await q(`SELECT value FROM fact_observation WHERE ${cell} ORDER BY vintage`), file).toEqual([
          { value: 75810 },
          { value: 76012 },
        ]);
        expect(await q(`SELECT value FROM obs_latest WHERE ${cell}`), file).toEqual([{ value: 76012 }]);
        expect(await q(`SELECT value FROM obs_as_of('2024-03-31T00:00:00+08:00') WHERE ${cell}`), file).toEqual([
          { value: 75810 },
        ]);
        expect(await q(`SELECT value FROM obs_as_of('2024-06-30T00:00:00Z') WHERE ${cell}`), file).toEqual([
          { value: 76012 },
        ]);
        expect(
          await q(`SELECT count(*)::INTEGER AS n FROM obs_as_of('2024-01-19T00:00:00Z') WHERE ${cell}`),
          file,
        ).toEqual([{ n: 0 }]);
        expect(
          await q(
            "SELECT region_code, disposable_income_per_capita AS v FROM obs_wide WHERE period = '2023' ORDER BY region_code",
          ),
          file,
        ).toEqual([
          { region_code: "330100", v: 76012 },
          { region_code: "330200", v: 73869 },
        ]);
      });
    }
  }, 120_000);
});
