import { createHash } from "node:crypto";
import type { FeedSpec, RawRecord } from "../../schemas/index.ts";
import { longSpec, wideSpec } from "./records.ts";

/** A raw record as the tests produce it: which feed's topic and which partition it goes to. */
export interface RawInput {
  feed: FeedSpec;
  partition: number;
  record: RawRecord;
}

const REGIONS = [
  "杭州",
  "Ningbo",
  "330300",
  "３３０４００",
  "绍兴市",
  "金华",
  "Quzhou",
  "舟山市",
  "台州",
  "丽水市",
  "浙江省",
  "杭州市上城区",
  "湖州",
  "嘉兴市",
  "330700",
  "Lishui",
  "温州",
  "宁波市",
  "Hangzou",
  "火星市",
];
const PERIODS = [
  "2021",
  "2022年",
  "2023年度",
  "２０２４年",
  "2020",
  "2021年",
  "2022",
  "2023",
  "2024年",
  "2019年",
  "2016",
  "2014年",
];
const PERCENT = [
  "72.3",
  "75.2%",
  "７６．１％",
  "68.9",
  "70",
  "71.25",
  "74.0%",
  "73.3",
  "—",
  "",
  "101.5",
  "690‰",
  "78元",
];
const INCOME = [
  "52,397",
  "6.1万元",
  "62859",
  "58,812",
  "７３，８６９",
  "66000",
  "71,234.5",
  "-",
  "…",
  "1,2345",
  "(12)",
];
const COUNTS = ["12", "35", "1.2e2", "7", "/", "-3"];

const pick = <T>(list: readonly T[], i: number, step: number): T => list[(i * step + (i >> 3)) % list.length]!;

/**
 * `count` raw records, deterministic, half wide and half long, spread over three partitions. Most become
 * observations; the planted bad ones (unknown or misspelt regions, periods outside the horizon, ambiguous numbers,
 * percentages over 100, negative counts, a currency for a percentage) become dead letters, and missing markers
 * are counted and dropped.
 */
export function generateRawInput(count: number, label = "input"): RawInput[] {
  return Array.from({ length: count }, (_, i) => {
    const wide = i % 2 === 0;
    const feed = wide ? wideSpec : longSpec;
    const file = `${label}-${i % 5}.csv`;
    const checksum = createHash("sha256").update(`${label}|${file}`).digest("hex");
    const region = pick(REGIONS, i, 7);
    const period = pick(PERIODS, i, 5);
    const fields: Record<string, string> = wide
      ? {
          地区: region,
          年份: period,
          "居民人均可支配收入(元)": pick(INCOME, i, 3),
          常住人口城镇化率: pick(PERCENT, i, 11),
          省级美丽城镇样板: pick(COUNTS, i, 2),
          备注: `row ${i}`,
        }
      : {
          region,
          period,
          indicator: pick(["城镇化率", "人均可支配收入", "gdp", "resident_population", "no_such_indicator"], i, 3),
          value: pick([...PERCENT, ...INCOME], i, 13),
          unit: pick(["", "", "万元", "%"], i, 1),
        };
    const record: RawRecord = {
      feed: feed.id,
      source: { feed: feed.id, uri: file, position: { line: i + 2 } },
      checksum,
      receivedAt: "2026-01-05T07:59:00.000Z",
      vintage: `2025-0${1 + (i % 9)}-20T00:00:00.000Z`,
      fields,
    };
    return { feed, partition: i % 3, record };
  });
}
