import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "../helpers/cli.ts";
import type { StatusReport } from "../../cli/status/collect-status.ts";
import { formatStatus } from "../../cli/print-status.ts";

const feeds = join(REPO, "feeds");
const FEED = "stats-bureau-income";

async function status(data: string, extra: string[] = []): Promise<StatusReport> {
  const result = await runCli(["status", "--json", "--data", data, "--feeds", feeds, ...extra]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as StatusReport;
}

// Each test starts several gongfu processes; a busy shared machine makes each take seconds.
describe("gongfu status", { timeout: 240_000 }, () => {
  it("reports each feed's last file, rows in and out, dead letters and freshness on a seeded warehouse", async () => {
    const data = mkdtempSync(join(tmpdir(), "gongfu-status-"));
    expect((await runCli(["run", "--samples", "--data", data, "--feeds", feeds])).code).toBe(0);
    const report = await status(data);
    expect(report.warehouse.state).toBe("ok");
    const feed = report.feeds.find((f) => f.feed === FEED)!;
    expect(feed).toMatchObject({
      frequency: "annual",
      connector: "file-drop",
      recordsIngested: 60,
      rejectedAtIngest: 0,
      observationsLoaded: 60,
      quarantined: 0,
      deadLettersWaiting: 0,
      sourcesReceived: 1,
      // The file arrived just now, but its data ends with 2024: 2025's was due by 2024-12-31 + 366 + 60 days.
      latestPeriod: "2024",
      dataDueBy: "2026-03-02T23:59:59.999Z",
      lateBecause: Date.now() > Date.parse("2026-03-02T23:59:59.999Z") ? ["data"] : [],
      rows: { rowsIn: 60, observationsPerRow: 1, cells: 60, loaded: 60, deadLettersTransform: 0, missingOrRepeated: 0 },
    });
    expect(feed.freshness).toBe(feed.lateBecause.length > 0 ? "late" : "fresh");
    // A wide feed: rows × indicator columns, less the cells without a value.
    const wide = report.feeds.find((f) => f.feed === "stats-bureau-annual")!;
    expect(wide.rows).toMatchObject({ rowsIn: 613, observationsPerRow: 19, cells: 613 * 19 });
    expect(wide.rows.loaded + wide.rows.missingOrRepeated).toBe(613 * 19);
    const text = formatStatus(report, false);
    // Every cell without a value is one the department sent with a missing marker, recorded in missing_cell.
    expect(wide.rows.missingCells).toBe(wide.rows.missingOrRepeated);
    expect(text).toContain(
      `stats-bureau-annual: 613 rows × 19 indicator columns = 11,647 cells; ${wide.rows.loaded.toLocaleString("en-US")} ` +
        `observations loaded; ${wide.rows.missingCells.toLocaleString("en-US")} cells sent ` +
        `without a value (table missing_cell)`,
    );
    // A monthly feed is judged by its latest month, not by an annual total that ends later.
    expect(report.feeds.find((f) => f.feed === "ecology-monthly")).toMatchObject({
      latestPeriod: "2025-09",
      dataDueBy: "2025-11-15T23:59:59.999Z",
    });
    if (feed.lateBecause.includes("data"))
      expect(text).toMatch(/stats-bureau-income .*LATE \(data: latest period 2024, the next was due by 2026-03-02\)/);
    expect(feed.lastReceived?.uri).toBe("zj-income-2020-2024.csv");
    expect(Date.now() - Date.parse(feed.lastReceived!.at)).toBeLessThan(10 * 60_000);
    expect(report.deadLettersWaiting).toEqual({ total: 0, byStage: {} });
    // The sample record feeds beside the observation feeds: the stations' 96,624 readings (2 × 12 cells), the
    // 3,600 households (2 × 12), the registry's 10,347 events (816 cells: 102 regions × 8 year-ends, 57 suppressed).
    expect(report.recordFeeds).toEqual([
      expect.objectContaining({
        feed: "air-stations",
        recordsIngested: 96_624,
        rejectedAtIngest: 0,
        recordsLoaded: 96_624,
        derivedCells: 24,
        suppressedCells: 0,
        latestPeriod: "2024",
        lastReceived: expect.objectContaining({ uri: "zj-air-stations-2024.csv" }),
      }),
      expect.objectContaining({
        feed: "household-survey",
        filesReceived: 1,
        recordsIngested: 3600,
        rejectedAtIngest: 0,
        filesLoaded: 1,
        recordsLoaded: 3600,
        derivedCells: 24,
        suppressedCells: 0,
        latestPeriod: "2021",
        ageDays: 0,
        lastReceived: expect.objectContaining({ uri: "zj-household-survey-2021.csv" }),
      }),
      expect.objectContaining({
        feed: "market-registry",
        recordsIngested: 10_347,
        rejectedAtIngest: 0,
        recordsLoaded: 10_347,
        derivedCells: 816,
        suppressedCells: 57,
        latestPeriod: "2025",
        lastReceived: expect.objectContaining({ uri: "zj-market-registry-2019-2025.csv" }),
      }),
    ]);
    expect(text).toMatch(
      /household-survey .*zj-household-survey-2021\.csv +1 +3,600 +0 +3,600 +24 +0 .*latest period 2021/,
    );
    expect(report.consumerGroups).toEqual({ checked: false, lags: [] });
    // No evaluation has run on this warehouse; the next one is the schedule's next 02:00 on the 1st in Shanghai (18:00 UTC the day before).
    expect(report.evaluation.lastRun).toBeNull();
    expect(Date.parse(report.evaluation.nextRun!)).toBeGreaterThan(Date.now());
    expect(report.evaluation.nextRun).toMatch(/T18:00:00\.000Z$/);
  });

  it("counts dead letters waiting per stage, and calls a feed late once its frequency and grace have passed", async () => {
    const data = mkdtempSync(join(tmpdir(), "gongfu-status-"));
    mkdirSync(join(data, "inbox", "stats-bureau"), { recursive: true });
    cpSync(
      join(REPO, "test/fixtures/stats-bureau-income/income-with-bad-lines.csv"),
      join(data, "inbox", "stats-bureau", "income.csv"),
    );
    expect((await runCli(["run", "--data", data, "--feeds", feeds])).code).toBe(0);
    // The last delivery was two years ago: an annual feed is due within 366 + 60 days.
    const stateFile = join(data, "state", `${FEED}.json`);
    const state = JSON.parse(readFileSync(stateFile, "utf8")) as { sources: Record<string, { at: string }> };
    for (const s of Object.values(state.sources)) s.at = new Date(Date.now() - 730 * 86_400_000).toISOString();
    writeFileSync(stateFile, JSON.stringify(state));

    const report = await status(data);
    const feed = report.feeds.find((f) => f.feed === FEED)!;
    expect(feed).toMatchObject({
      observationsLoaded: 60,
      quarantined: 3,
      deadLettersWaiting: 3,
      freshness: "late",
      ageDays: 730,
    });
    expect(feed.lateBecause).toContain("arrival");
    expect(report.deadLettersWaiting).toEqual({ total: 3, byStage: { transform: 2, ingest: 1 } });

    const text = await runCli(["status", "--data", data, "--feeds", feeds]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/stats-bureau-income\s+annual .* LATE \(due by \d{4}-\d{2}-\d{2}[;)]/);
    expect(text.stdout).toContain("Dead letters waiting: 3 (transform 2, ingest 1)");
    // Not a TTY: no colour codes.
    expect(text.stdout).not.toContain("\x1b[");
    expect(formatStatus(report, true)).toMatch(/\x1b\[31mstats-bureau-income .*LATE.*\x1b\[0m/);
  });

  it("still answers when there is no warehouse yet", async () => {
    const data = mkdtempSync(join(tmpdir(), "gongfu-status-"));
    const report = await status(data);
    expect(report.warehouse.state).toBe("missing");
    expect(report.feeds.find((f) => f.feed === FEED)).toMatchObject({
      freshness: "never",
      lastReceived: null,
      observationsLoaded: 0,
    });
  });
});
