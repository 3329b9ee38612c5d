import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { rawRecordsOf, topicNames } from "../../schemas/index.ts";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";
import { spawnCli } from "./helpers/spawn-cli.ts";
import { readTopics } from "./helpers/topic-reader.ts";
import { workspace } from "./helpers/workspace.ts";

const FEED = `id: watched-feed
name: watched
department: { code: stats, name: 统计局 }
connector: { kind: file-drop, path: watched, pattern: "*.csv" }
format: { kind: csv, encoding: auto }
layout: { kind: wide, region: 地区, period: 年份, columns: { 收入: { indicator: disposable_income_per_capita } } }
frequency: annual
`;

async function eventually(check: () => Promise<boolean> | boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("gongfu ingest --watch on a real broker", () => {
  it("produces files as they are dropped, a re-dropped file not again, and exits 0 on SIGTERM", async () => {
    const brokers = kafkaBrokers();
    const prefix = uniqueTopicPrefix("ingest-watch");
    const raw = topicNames(prefix).raw("watched-feed");
    const w = workspace("ingest-watch");
    w.spec("watched-feed", FEED);
    const daemon = spawnCli([
      "ingest",
      "--watch",
      "--settle-ms",
      "200",
      "--no-metrics",
      "--kafka",
      brokers,
      "--topic-prefix",
      prefix,
      "--data",
      w.data,
      "--feeds",
      w.feeds,
    ]);
    try {
      await daemon.waitForLog(/ingest daemon started/);
      const csv = iconv.encode("地区,年份,收入\n杭州市,2024,79323\n宁波市,2024,76156\n", "gbk");
      w.drop("watched", "a.csv", csv);
      // The records of a file travel as one batch: count the records the messages carry.
      const records = async () => (await readTopics(brokers, [raw])).flatMap((r) => rawRecordsOf(r.value, r.headers));
      await eventually(async () => (await records()).length === 2, "the dropped file's two records");
      w.drop("watched", "later/a-copy.csv", csv);
      const processed = join(w.data, "inbox", "watched", "processed");
      await eventually(
        () => existsSync(join(processed, "later")) && readdirSync(join(processed, "later")).length === 1,
        "the copy to be recognised and moved to processed/",
      );
      expect(await records()).toHaveLength(2);
    } finally {
      daemon.child.kill("SIGTERM");
    }
    const { code } = await daemon.exited;
    expect(code).toBe(0);
    expect(JSON.parse(daemon.stdout())).toEqual([
      expect.objectContaining({ feed: "watched-feed", files: 2, records: 2, duplicates: 1 }),
    ]);
  });
});
