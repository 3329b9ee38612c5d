import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRecordsOf, topicNames, type DeadLetter } from "../../schemas/index.ts";
import { runCli } from "../helpers/cli.ts";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";
import { pageOf, startApiServer, type ApiServer } from "./helpers/api-server.ts";
import { readTopics } from "./helpers/topic-reader.ts";
import { incomeSheet, workbook } from "./helpers/workbooks.ts";
import { longFeed, workspace } from "./helpers/workspace.ts";

const CSV_FEED = `id: csv-feed
name: GBK CSV
department: { code: stats, name: 统计局 }
connector: { kind: file-drop, path: csv, pattern: "*.csv" }
format: { kind: csv, encoding: gbk, skipLines: 1 }
layout: { kind: wide, region: 地区, period: 年份, columns: { 居民人均可支配收入(元): { indicator: disposable_income_per_capita } } }
frequency: annual
`;
const XLSX_FEED = `id: xlsx-feed
name: merged headers
department: { code: edu, name: 教育厅 }
connector: { kind: file-drop, path: xlsx }
format: { kind: xlsx, skipRows: 1, headerRows: 2, sheetColumn: 年份 }
layout: { kind: wide, region: 地区, period: 年份, columns: { 城镇/人均可支配收入: { indicator: disposable_income_per_capita_urban } } }
frequency: annual
`;
const apiFeed = (url: string) =>
  `id: api-feed
name: JSON API
department: { code: health, name: 卫健委 }
connector: { kind: http-poll, url: "${url}/api/indicators", headersFromEnv: { Authorization: TEST_API_TOKEN }, pagination: { kind: ` +
  `page, size: 40 }, backoffMs: 10 }
format: { kind: json, dataPath: data }
layout: { kind: long, region: region, indicator: indicator, period: period, value: value }
frequency: annual
`;

const API_RECORDS = Array.from({ length: 100 }, (_, i) => ({
  region: "330100",
  indicator: "life_expectancy",
  period: String(1990 + i),
  value: 80 + i / 100,
}));
let api: ApiServer;
beforeAll(async () => {
  api = await startApiServer((req, url) =>
    req.headers["authorization"] === "Bearer t0ken" ? pageOf(API_RECORDS, url) : { status: 401 },
  );
});
afterAll(async () => api.close());

describe("gongfu ingest on a real broker", () => {
  it(
    "produces every format and the HTTP feed to their raw topics, bad rows to the ingest DLQ, " +
      "and a re-dropped file not again after a restart",
    async () => {
      const brokers = kafkaBrokers();
      const prefix = uniqueTopicPrefix("ingest-formats");
      const topics = topicNames(prefix);
      const w = workspace("ingest-formats");
      w.spec("csv-feed", CSV_FEED);
      w.spec("xlsx-feed", XLSX_FEED);
      w.spec("json-feed", longFeed("json-feed", "json", "{ kind: json, dataPath: result.items }"));
      w.spec("ndjson-feed", longFeed("ndjson-feed", "ndjson", "{ kind: ndjson }"));
      w.spec("api-feed", apiFeed(api.url));
      const csv = iconv.encode(
        "浙江省居民收入（样例）\n地区,年份,居民人均可支配收入(元)\n杭州市,2024年,79323\n宁波市,2024年\n温州市,2024年,68858\n",
        "gbk",
      );
      w.drop("csv", "income.csv", csv);
      w.drop(
        "xlsx",
        "edu.xlsx",
        await workbook([
          incomeSheet("2023", [["杭州市", 80000, 1, 2, 3]]),
          incomeSheet("2024", [
            ["杭州市", 88584, 1, 2, 3],
            ["宁波市", 85000, 1, 2, 3],
          ]),
        ]),
      );
      w.drop(
        "json",
        "2024/api-dump.json",
        '{"result":{"items":[{"region":"330100","indicator":"gdp","period":"2024","value":1},7,' +
          '{"region":"330200","indicator":"gdp","period":"2024","value":2.50}]}}',
      );
      w.drop(
        "ndjson",
        "m.ndjson",
        '{"region":"330100","indicator":"pm25_concentration","period":"2024-01","value":28}\n{oops\n',
      );
      const args = ["ingest", "--kafka", brokers, "--topic-prefix", prefix, "--data", w.data, "--feeds", w.feeds];

      const first = await runCli(args, { env: { TEST_API_TOKEN: "Bearer t0ken" } });
      expect(first.stderr).not.toMatch(/gongfu: |"level":[56]0/);
      expect(first.code).toBe(0);
      const stats = JSON.parse(first.stdout) as { feed: string; records: number; deadLetters: number }[];
      expect(Object.fromEntries(stats.map((s) => [s.feed, [s.records, s.deadLetters]]))).toEqual({
        "api-feed": [100, 0],
        "csv-feed": [2, 1],
        "json-feed": [2, 1],
        "ndjson-feed": [1, 1],
        "xlsx-feed": [3, 0],
      });

      const raw = async (feed: string) =>
        (await readTopics(brokers, [topics.raw(feed)])).flatMap((r) => rawRecordsOf(r.value, r.headers));
      const csvRecords = await raw("csv-feed");
      expect(
        csvRecords.map((r) => [r.source.position.line, r.fields["地区"], r.fields["居民人均可支配收入(元)"]]).sort(),
      ).toEqual([
        [3, "杭州市", "79323"],
        [5, "温州市", "68858"],
      ]);
      const xlsx = await raw("xlsx-feed");
      expect(
        xlsx
          .map(
            (r) =>
              `${r.source.position.sheet}:${r.source.position.row}:${r.fields["地区"]}:${r.fields["城镇/人均可支配收入"]}:${r.fields["年份"]}`,
          )
          .sort(),
      ).toEqual(["2023:4:杭州市:80000:2023", "2024:4:杭州市:88584:2024", "2024:5:宁波市:85000:2024"]);
      const json = await raw("json-feed");
      expect(json.map((r) => [r.source.uri, r.source.position.offset, r.fields["value"]]).sort()).toEqual([
        ["2024/api-dump.json", 0, "1"],
        ["2024/api-dump.json", 2, "2.50"],
      ]);
      expect((await raw("ndjson-feed")).map((r) => r.fields["period"])).toEqual(["2024-01"]);
      const fromApi = await raw("api-feed");
      expect(fromApi.map((r) => r.fields["period"]).sort()).toEqual(API_RECORDS.map((r) => r.period).sort());
      expect(new Set(fromApi.map((r) => r.source.uri))).toEqual(
        new Set([1, 2, 3].map((p) => `${api.url}/api/indicators?page=${p}&pageSize=40`)),
      );

      const dead = (await readTopics(brokers, [topics.dlqIngest])).map((r) => r.value as DeadLetter);
      expect(
        dead.map((d) => `${d.feed} ${d.source.uri} ${JSON.stringify(d.source.position)} ${d.reasons[0]!.code}`).sort(),
      ).toEqual([
        'csv-feed income.csv {"line":4} field_count',
        'json-feed 2024/api-dump.json {"offset":1} not_an_object',
        'ndjson-feed m.ndjson {"line":2} bad_json',
      ]);

      // The same files dropped again under other names, and a second run (a restarted process): nothing new is produced.
      w.drop("csv", "income-copy.csv", csv);
      w.drop(
        "ndjson",
        "again/m.ndjson",
        '{"region":"330100","indicator":"pm25_concentration","period":"2024-01","value":28}\n{oops\n',
      );
      const second = await runCli(args, { env: { TEST_API_TOKEN: "Bearer t0ken" } });
      expect(second.code).toBe(0);
      const again = JSON.parse(second.stdout) as { feed: string; records: number; duplicates: number }[];
      expect(again.every((s) => s.records === 0)).toBe(true);
      expect(again.find((s) => s.feed === "csv-feed")).toMatchObject({ duplicates: 1 });
      expect(again.find((s) => s.feed === "api-feed")).toMatchObject({ duplicates: 3 });
      expect(await raw("csv-feed")).toHaveLength(2);
      expect(await raw("ndjson-feed")).toHaveLength(1);
      expect(await raw("api-feed")).toHaveLength(100);
      expect(await readTopics(brokers, [topics.dlqIngest])).toHaveLength(3);
    },
  );
});
