import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { withWarehouse } from "../helpers/duckdb.ts";
import { writeSection } from "../reliability/results-file.ts";

const data = mkdtempSync(join(tmpdir(), "gongfu-samples-rerun-"));
afterAll(() => rmSync(data, { recursive: true, force: true }));

const processedCopies = () =>
  readdirSync(join(data, "inbox"), { recursive: true, encoding: "utf8" }).filter(
    (f) => f.includes("processed") && /\.(csv|xlsx|ndjson|json)$/.test(f),
  ).length;

async function loaded() {
  return withWarehouse(join(data, "gongfu.duckdb"), async (q) => ({
    total: Number((await q("SELECT count(*)::INTEGER AS n FROM fact_observation"))[0]!["n"]),
    health: Number(
      (await q("SELECT count(*)::INTEGER AS n FROM fact_observation WHERE source_feed = 'health-api'"))[0]!["n"],
    ),
    uris: (
      await q("SELECT DISTINCT source_uri AS u FROM fact_observation WHERE source_feed = 'health-api' ORDER BY 1")
    ).map((r) => String(r["u"])),
  }));
}

describe("gongfu run --samples, run again", () => {
  it("names the demo HTTP feed's pages without the demo server's port, and adds no second copy of the samples", async () => {
    const first = await runCli(["run", "--samples", "--data", data, "--no-metrics"]);
    expect(first.code, first.stderr).toBe(0);
    const once = await loaded();
    const copies = processedCopies();
    expect(once.uris.length).toBe(6);
    for (const uri of once.uris) expect(uri).toMatch(/^http:\/\/127\.0\.0\.1:0\/api\/health\/indicators\?page=\d/);

    // A crash after the pages were produced but before the connector saved its state: the rerun fetches them again,
    // from a demo server on another port.
    rmSync(join(data, "state", "health-api.json"));
    const second = await runCli(["run", "--samples", "--data", data, "--no-metrics"]);
    expect(second.code, second.stderr).toBe(0);
    const twice = await loaded();
    expect(twice).toEqual(once);
    expect(processedCopies()).toBe(copies);
    await writeSection(
      "samples-rerun",
      [
        "## `gongfu run --samples` run again",
        "",
        "`test/samples/samples-rerun.test.ts`: `run --samples`, then the health-api connector's state file deleted (a",
        "crash before it was saved), then `run --samples` again, with the demo HTTP server on another random port.",
        "",
        "| | first run | second run |",
        "|---|---:|---:|",
        `| observations | ${once.total} | ${twice.total} |`,
        `| of them from the demo HTTP feed | ${once.health} | ${twice.health} |`,
        `| distinct source URIs of that feed | ${once.uris.length} | ${twice.uris.length} |`,
        `| sample files in processed/ | ${copies} | ${processedCopies()} |`,
        "",
        `The pages are named at the spec's origin (\`${once.uris[0]}\`), not the demo server's port, so a page fetched`,
        "again gives the same records; the sample files already in processed/ are not dropped again.",
      ].join("\n"),
    );
  });
});
