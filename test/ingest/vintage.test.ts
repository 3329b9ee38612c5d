import { utimesSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fileVintage } from "../../ingest/connectors/file-vintage.ts";
import { readFeedSpec } from "../../schemas/index.ts";
import { REPO } from "../helpers/cli.ts";
import { dropFixture } from "./helpers/drop.ts";
import { testSpec } from "./helpers/specs.ts";

const CSV = "地区,年份,居民人均可支配收入\n杭州市,2024,79323\n";
const named = (extra: Record<string, unknown> = {}) =>
  testSpec({
    connector: { kind: "file-drop", path: "stats", pattern: "*.csv" },
    vintage: { fileName: "_(\\d{8})\\.csv$", published: "2025-06-30" },
    ...extra,
  });

describe("the vintage of a dropped file", () => {
  it("comes from a date in the file name, else the declared publication date, and only last from the file time", () => {
    const spec = named();
    expect(fileVintage(spec, "2024/收入_20250120.csv", 0)).toEqual({
      at: "2025-01-19T16:00:00.000Z",
      from: "file-name",
    });
    expect(fileVintage(spec, "收入.csv", 0)).toEqual({ at: "2025-06-29T16:00:00.000Z", from: "declared" });
    expect(fileVintage(testSpec(), "收入.csv", Date.UTC(2030, 0, 1))).toEqual({
      at: "2030-01-01T00:00:00.000Z",
      from: "file-time",
    });
    expect(fileVintage(spec, "收入_20251340.csv", 0).from).toBe("declared"); // no 13th month
  });

  it("is stamped on every record of the file, whatever the clone or copy time of the file", async () => {
    const t = await dropFixture(named(), 0);
    t.drop("收入_20250120.csv", CSV);
    await t.connector().poll();
    expect(t.raw().map((r) => r.vintage)).toEqual(["2025-01-19T16:00:00.000Z"]);
  });

  it("refuses a file whose vintage lies after its receipt with a dead letter, from its name or its file time", async () => {
    const t = await dropFixture(named(), 0);
    t.drop("收入_20991231.csv", CSV);
    expect(await t.connector().poll()).toMatchObject({ records: 0, failedFiles: 1 });
    const u = await dropFixture(testSpec({ connector: { kind: "file-drop", path: "stats" } }), 0);
    const touched = u.drop("touched.csv", CSV);
    const future = new Date(Date.now() + 365 * 86400_000);
    utimesSync(touched, future, future);
    expect(await u.connector().poll()).toMatchObject({ records: 0, failedFiles: 1 });
    expect([...t.dead(), ...u.dead()].map((d) => d.reasons[0]!.code)).toEqual(["future_vintage", "future_vintage"]);
    expect([...t.raw(), ...u.raw()]).toEqual([]);
  });

  it("dead-letters a row whose vintage column lies after its receipt, and keeps the others", async () => {
    const t = await dropFixture(
      testSpec({ connector: { kind: "file-drop", path: "stats" }, vintageColumn: "发布日期" }),
      0,
    );
    t.drop(
      "a.csv",
      "地区,年份,居民人均可支配收入,发布日期\n杭州市,2024,79323,2025-01-20\n宁波市,2024,76156,2099-01-01\n",
    );
    expect(await t.connector().poll()).toMatchObject({ records: 1, rejected: 1 });
    expect(t.dead()[0]!.reasons[0]!.code).toBe("future_vintage");
  });

  it("no bundled file-drop feed takes its vintage from the file time", () => {
    for (const feed of ["civil-affairs-housing", "education-annual", "hrss-employment", "stats-bureau-annual"]) {
      const spec = readFeedSpec(`${REPO}/feeds/${feed}.yaml`);
      expect(spec.vintageColumn !== undefined || spec.vintage?.fileName !== undefined, feed).toBe(true);
    }
  });
});
