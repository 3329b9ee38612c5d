import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "../helpers/cli.ts";
import { withWarehouse } from "../helpers/duckdb.ts";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";
import { spawnCli } from "./helpers/spawn-cli.ts";
import { workspace } from "./helpers/workspace.ts";

const SAMPLE = join(REPO, "samples/feeds/household-survey/zj-household-survey-2021.csv");
const env = { GONGFU_PSEUDONYM_KEY: "ingest-test-only-key-0123456789abcdef" };

/** A deployment with the household record feed and its two derivations only (no observation feed). */
function recordWorkspace(name: string) {
  const w = workspace(name);
  mkdirSync(join(w.feeds, "records"), { recursive: true });
  mkdirSync(join(w.feeds, "derivations"), { recursive: true });
  cpSync(join(REPO, "feeds/records/household-survey.yaml"), join(w.feeds, "records/household-survey.yaml"));
  for (const d of readdirSync(join(REPO, "feeds/derivations")).filter((f) => f.startsWith("households-")))
    cpSync(join(REPO, "feeds/derivations", d), join(w.feeds, "derivations", d));
  return w;
}

async function eventually(check: () => boolean, what: string, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Loads what ingest produced and checks the derived cells: 2 derivations × (11 cities + the province). */
async function loadAndCheck(args: string[], data: string): Promise<void> {
  const load = await runCli(["load", "--until-idle", "--no-metrics", ...args], { env });
  expect(load.code, load.stderr).toBe(0);
  await withWarehouse(join(data, "gongfu.duckdb"), async (query) => {
    expect(await query("SELECT count(*)::INT AS n FROM rec_household_survey")).toEqual([{ n: 3600 }]);
    expect(await query("SELECT count(*)::INT AS n FROM derived_cell WHERE NOT suppressed")).toEqual([{ n: 24 }]);
    expect(
      await query("SELECT count(*)::INT AS n FROM fact_observation WHERE source_feed = 'household-survey'"),
    ).toEqual([{ n: 24 }]);
  });
}

describe("gongfu ingest reads record feeds on a real broker", { timeout: 300_000 }, () => {
  it("once: produces the waiting record file, prints its counts, and load derives its cells", async () => {
    const w = recordWorkspace("records-ingest");
    mkdirSync(join(w.data, "inbox", "household-survey"), { recursive: true });
    cpSync(SAMPLE, join(w.data, "inbox", "household-survey", "households.csv"));
    const args = ["--kafka", kafkaBrokers(), "--topic-prefix", uniqueTopicPrefix("rec-ingest"), "--data", w.data];
    const all = [...args, "--feeds", w.feeds];
    const ingest = await runCli(["ingest", "--no-metrics", ...all], { env });
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(JSON.parse(ingest.stdout)).toEqual([
      expect.objectContaining({ kind: "records", feed: "household-survey", files: 1, records: 3600, batches: 1 }),
    ]);
    // Archived under its time of processing.
    expect(readdirSync(join(w.data, "inbox", "household-survey", "processed"))).toEqual([
      expect.stringMatching(/_households\.csv$/),
    ]);
    await loadAndCheck(all, w.data);
  });

  it("--watch: produces a record file dropped while it runs, once settled, and prints the totals on SIGTERM", async () => {
    const w = recordWorkspace("records-watch");
    const args = ["--kafka", kafkaBrokers(), "--topic-prefix", uniqueTopicPrefix("rec-watch"), "--data", w.data];
    const all = [...args, "--feeds", w.feeds];
    const daemon = spawnCli(["ingest", "--watch", "--settle-ms", "300", "--no-metrics", ...all], env);
    try {
      await daemon.waitForLog(/record ingest daemon started/);
      w.drop("household-survey", "households.csv", readFileSync(SAMPLE));
      const processed = join(w.data, "inbox", "household-survey", "processed");
      await eventually(
        () => existsSync(processed) && readdirSync(processed).some((f) => f.endsWith("_households.csv")),
        "the dropped record file to be produced and archived",
      );
    } finally {
      daemon.child.kill("SIGTERM");
    }
    const { code } = await daemon.exited;
    expect(code).toBe(0);
    expect(JSON.parse(daemon.stdout())).toEqual([
      expect.objectContaining({ kind: "records", feed: "household-survey", files: 1, records: 3600, pending: 0 }),
    ]);
    await loadAndCheck(all, w.data);
  });
});
