import { describe, expect, it } from "vitest";
import { rawRecordsOf, topicNames } from "../../schemas/index.ts";
import { runCli } from "../helpers/cli.ts";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";
import { pageOf, startApiServer } from "./helpers/api-server.ts";
import { spawnCli } from "./helpers/spawn-cli.ts";
import { readTopics } from "./helpers/topic-reader.ts";
import { workspace } from "./helpers/workspace.ts";

const RECORDS = Array.from({ length: 90 }, (_, i) => ({
  region: "330100",
  indicator: "life_expectancy",
  period: String(1900 + i),
  value: 70 + i / 10,
}));

describe("the HTTP poll connector on a real broker", () => {
  it("retries 500 and 429, and after being killed mid-pagination resumes from the stored page with no page produced twice", async () => {
    const brokers = kafkaBrokers();
    const prefix = uniqueTopicPrefix("http-resume");
    let phase: "first run" | "after restart" = "first run";
    const page1Failures = [{ status: 500 }, { status: 429, headers: { "retry-after": "0" } }];
    const api = await startApiServer((_req, url) => {
      const page = url.searchParams.get("page");
      if (page === "1" && page1Failures.length > 0) return page1Failures.shift()!;
      if (page === "3" && phase === "first run") return "hang"; // the process is killed while it waits here
      return pageOf(RECORDS, url);
    });
    try {
      const w = workspace("http-resume");
      w.spec(
        "api-feed",
        `id: api-feed
name: paged API
department: { code: health, name: 卫健委 }
connector: { kind: http-poll, url: "${api.url}/indicators", pagination: { kind: page, size: 20 }, backoffMs: 10, timeoutMs: 120000 }
format: { kind: json, dataPath: data }
layout: { kind: long, region: region, indicator: indicator, period: period, value: value }
frequency: annual
`,
      );
      const args = ["ingest", "--kafka", brokers, "--topic-prefix", prefix, "--data", w.data, "--feeds", w.feeds];
      const first = spawnCli(args);
      const deadline = Date.now() + 90_000;
      while (!api.requests.some((r) => r.path.includes("page=3"))) {
        if (Date.now() > deadline || first.child.exitCode !== null)
          throw new Error(`page 3 was never asked for: ${first.stderr().slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      first.child.kill("SIGKILL");
      expect((await first.exited).signal).toBe("SIGKILL");
      const firstRun = api.requests.map((r) => r.path);
      expect(firstRun).toEqual(
        ["page=1", "page=1", "page=1", "page=2", "page=3"].map((p) => `/indicators?${p}&pageSize=20`),
      );

      phase = "after restart";
      const second = await runCli(args);
      expect(second.code).toBe(0);
      expect(JSON.parse(second.stdout)).toEqual([expect.objectContaining({ feed: "api-feed", files: 3, records: 50 })]);
      // The restart began at the page it was waiting for: pages 1 and 2 were not asked for again.
      expect(api.requests.slice(firstRun.length).map((r) => r.path)).toEqual(
        [3, 4, 5].map((p) => `/indicators?page=${p}&pageSize=20`),
      );

      const produced = (await readTopics(brokers, [topicNames(prefix).raw("api-feed")])).flatMap((r) =>
        rawRecordsOf(r.value, r.headers),
      );
      expect(produced).toHaveLength(90);
      expect(produced.map((r) => r.fields["period"]).sort()).toEqual(RECORDS.map((r) => r.period));
    } finally {
      await api.close();
    }
  });
});
