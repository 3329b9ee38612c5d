import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "../helpers/cli.ts";
import { withWarehouse } from "../helpers/duckdb.ts";
import type { ReplayReport } from "../../cli/replay/run-replay.ts";

const SPEC = readFileSync(join(REPO, "feeds/stats-bureau-income.yaml"), "utf8");
const FEED = "stats-bureau-income";

function workspace(spec: string): { data: string; feeds: string } {
  const dir = mkdtempSync(join(tmpdir(), "gongfu-replay-"));
  mkdirSync(join(dir, "feeds"));
  writeFileSync(join(dir, "feeds", `${FEED}.yaml`), spec);
  return { data: join(dir, "data"), feeds: join(dir, "feeds") };
}

// Each test starts several gongfu processes; a busy shared machine makes each take seconds.
describe("gongfu replay", { timeout: 240_000 }, () => {
  it("re-sends dead letters after the spec is fixed: the observations load and the quarantine rows are resolved", async () => {
    // A column mapped to an indicator code with a typo: every cell becomes a dead letter.
    const broken = SPEC.replace("indicator: disposable_income_per_capita", "indicator: disposable_incme_per_capita");
    expect(broken).not.toBe(SPEC);
    const ws = workspace(broken);
    expect((await runCli(["run", "--samples", "--data", ws.data, "--feeds", ws.feeds])).code).toBe(0);
    await withWarehouse(join(ws.data, "gongfu.duckdb"), async (q) => {
      expect(await q("SELECT CAST(count(*) AS INTEGER) AS n FROM fact_observation")).toEqual([{ n: 0 }]);
      expect(
        await q(
          "SELECT reason_codes, CAST(count(*) AS INTEGER) AS n FROM quarantine WHERE resolved_at IS NULL GROUP BY 1",
        ),
      ).toEqual([{ reason_codes: "unknown_indicator", n: 60 }]);
    });

    writeFileSync(join(ws.feeds, `${FEED}.yaml`), SPEC);
    const result = await runCli(["replay", "--feed", FEED, "--data", ws.data, "--feeds", ws.feeds, "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as ReplayReport;
    expect(report).toMatchObject({
      mode: "embedded",
      records: 60,
      quarantineRows: 60,
      resolvedRecords: 60,
      resolvedRows: 60,
      observationsLoaded: 60,
      stillFailing: [],
      noOutcome: [],
    });

    await withWarehouse(join(ws.data, "gongfu.duckdb"), async (q) => {
      expect(
        await q(
          "SELECT CAST(count(*) AS INTEGER) AS n FROM fact_observation WHERE indicator_code = 'disposable_income_per_capita'",
        ),
      ).toEqual([{ n: 60 }]);
      expect(
        await q("SELECT value, source_line FROM fact_observation WHERE region_code = '330100' AND period = '2023'"),
      ).toEqual([{ value: 75810, source_line: expect.any(Number) }]);
      expect(await q("SELECT CAST(count(*) AS INTEGER) AS n FROM quarantine WHERE resolved_at IS NULL")).toEqual([
        { n: 0 },
      ]);
    });
    // Nothing is left to replay, and a second replay changes nothing.
    const again = await runCli(["replay", "--feed", FEED, "--data", ws.data, "--feeds", ws.feeds]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("nothing to replay");
  });

  it("leaves dead letters that still fail unresolved and says why", async () => {
    const ws = workspace(SPEC);
    mkdirSync(join(ws.data, "inbox", "stats-bureau"), { recursive: true });
    cpSync(
      join(REPO, "test/fixtures/stats-bureau-income/income-with-bad-lines.csv"),
      join(ws.data, "inbox", "stats-bureau", "income.csv"),
    );
    expect((await runCli(["run", "--data", ws.data, "--feeds", ws.feeds])).code).toBe(0);
    const result = await runCli(["replay", "--feed", FEED, "--data", ws.data, "--feeds", ws.feeds]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("2 record(s) from 2 quarantine row(s)");
    expect(result.stdout).toContain("resolved: 0 record(s)");
    expect(result.stdout).toMatch(/still failing: 2 record\(s\)/);
    expect(result.stdout).toMatch(/income\.csv\|line 63: unknown_region/);
    await withWarehouse(join(ws.data, "gongfu.duckdb"), async (q) => {
      expect(
        await q(
          "SELECT stage, CAST(count(*) AS INTEGER) AS n FROM quarantine WHERE resolved_at IS NULL GROUP BY stage ORDER BY stage",
        ),
      ).toEqual([
        { stage: "ingest", n: 1 },
        { stage: "transform", n: 2 },
      ]);
    });
  });

  it("refuses a feed it does not know and a stage it cannot replay, as usage errors", async () => {
    const ws = workspace(SPEC);
    const unknown = await runCli(["replay", "--feed", "no-such-feed", "--data", ws.data, "--feeds", ws.feeds]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no feed spec with id no-such-feed");
    const stage = await runCli(["replay", "--feed", FEED, "--stage", "ingest", "--data", ws.data, "--feeds", ws.feeds]);
    expect(stage.code).toBe(2);
    expect(stage.stderr).toContain("only transform dead letters can be replayed");
  });
});
