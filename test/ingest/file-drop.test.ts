import { appendFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { dropFixture } from "./helpers/drop.ts";
import { testSpec } from "./helpers/specs.ts";

const CSV = "标题（样例）\n地区,年份,居民人均可支配收入\n杭州市,2024,79323\n宁波市,2024,76156\n";
const spec = (extra: Record<string, unknown> = {}) =>
  testSpec({
    connector: { kind: "file-drop", path: "stats", pattern: "*.csv" },
    format: { kind: "csv", encoding: "auto", skipLines: 1 },
    ...extra,
  });

describe("the file-drop connector", () => {
  it("produces a file once, moves it to processed/, and recognises the same file dropped again, also after a restart", async () => {
    const t = await dropFixture(spec());
    t.drop("2024/income.csv", iconv.encode(CSV, "gbk"));
    expect(await t.connector().poll()).toMatchObject({ files: 1, records: 2, duplicates: 0 });
    t.drop("income-again.csv", iconv.encode(CSV, "gbk"));
    expect(await t.connector().poll()).toMatchObject({ files: 1, records: 0, duplicates: 1 });
    expect(t.raw()).toHaveLength(2);
    expect(t.raw()[0]!.source).toEqual({ feed: "test-feed", uri: "2024/income.csv", position: { line: 3 } });
    expect(t.listed("processed").filter((f) => f.endsWith(".csv"))).toEqual([
      expect.stringMatching(/^2024\/.*_income\.csv$/),
      expect.stringMatching(/_income-again\.csv$/),
    ]);
  });

  it("moves a file with no readable record to failed/ with a reason file", async () => {
    const t = await dropFixture(spec());
    t.drop("empty.csv", "");
    expect(await t.connector().poll()).toMatchObject({ failedFiles: 1, deadLetters: 1 });
    const failed = t.listed("failed");
    expect(failed).toEqual([expect.stringMatching(/_empty\.csv$/), expect.stringMatching(/_empty\.csv\.reason\.txt$/)]);
    expect(readFileSync(join(t.folder, "failed", failed[1]!), "utf8")).toMatch(/no readable record/);
  });

  it("refuses a link to a file outside the drop folder with a dead letter naming it, and reads the rest", async () => {
    const t = await dropFixture(spec());
    writeFileSync(join(t.base, "secret.csv"), CSV);
    symlinkSync(join(t.base, "secret.csv"), join(t.folder, "link.csv"));
    t.drop("ok.csv", CSV);
    const stats = await t.connector().poll();
    expect(stats).toMatchObject({ files: 2, records: 2, failedFiles: 1 });
    expect(t.dead()).toEqual([
      expect.objectContaining({
        source: { feed: "test-feed", uri: "link.csv", position: {} },
        reasons: [
          expect.objectContaining({
            code: "refused_file",
            message: expect.stringContaining("outside the drop folder"),
          }),
        ],
      }),
    ]);
    expect(readFileSync(join(t.base, "secret.csv"), "utf8")).toBe(CSV);
  });

  it("refuses an absolute drop folder outside the drop root and the allowed roots, once, without crashing", async () => {
    const t = await dropFixture(spec({ connector: { kind: "file-drop", path: "/etc" } }));
    const c = t.connector();
    expect(await c.poll()).toMatchObject({ deadLetters: 1 });
    expect(await c.poll()).toMatchObject({ deadLetters: 0 });
    expect(t.dead()[0]!.reasons[0]).toMatchObject({
      code: "refused_folder",
      message: expect.stringContaining("outside the drop root and ingest.allowedRoots"),
    });
  });

  it("in daemon mode leaves a file that is still growing for the next poll", async () => {
    const t = await dropFixture(spec(), 300);
    const path = t.drop("growing.csv", CSV);
    const c = t.connector();
    const polling = c.poll();
    setTimeout(() => appendFileSync(path, "温州市,2024,68858\n"), 100);
    expect(await polling).toMatchObject({ pending: 1, records: 0 });
    expect(await c.poll()).toMatchObject({ pending: 0, records: 3 });
  });

  it("ignores its own processed/ and failed/ folders and files not matching the pattern", async () => {
    const t = await dropFixture(spec());
    mkdirSync(join(t.folder, "processed"), { recursive: true });
    writeFileSync(join(t.folder, "processed", "old.csv"), CSV);
    t.drop("notes.txt", "hello");
    t.drop(".hidden.csv", CSV);
    expect(await t.connector().poll()).toMatchObject({ files: 0 });
  });
});
