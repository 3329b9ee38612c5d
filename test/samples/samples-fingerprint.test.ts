import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { withWarehouse } from "../helpers/duckdb.ts";
import { FACT_SQL, fingerprint, lines, QUARANTINE_SQL } from "./warehouse-fingerprint.ts";

// The warehouse `gongfu run --samples` builds, pinned before the columnar rewrite of ingest, transform and load:
// the new code must reproduce it row for row. GONGFU_UPDATE_FINGERPRINT=1 rewrites the pin (say why in the commit).
const PIN = join(import.meta.dirname, "samples-fingerprint.json");
const data = mkdtempSync(join(tmpdir(), "gongfu-fingerprint-"));
afterAll(() => rmSync(data, { recursive: true, force: true }));

describe("the samples' warehouse", () => {
  it("holds exactly the pinned fact and quarantine rows", async () => {
    const result = await runCli(["run", "--samples", "--data", data]);
    expect(result.code, result.stderr).toBe(0);
    await withWarehouse(join(data, "gongfu.duckdb"), async (query) => {
      const facts = await query(FACT_SQL);
      const dead = await query(QUARANTINE_SQL);
      const got = {
        ...fingerprint("fact_observation", facts, "source_feed"),
        ...fingerprint("quarantine", dead, "feed"),
      };
      if (process.env["GONGFU_UPDATE_FINGERPRINT"] === "1") writeFileSync(PIN, `${JSON.stringify(got, null, 2)}\n`);
      const pinned: unknown = JSON.parse(readFileSync(PIN, "utf8"));
      if (JSON.stringify(got) !== JSON.stringify(pinned)) {
        // Leave the rows beside the run so a failure can be diffed against a run of the pinned code.
        writeFileSync(join(tmpdir(), "gongfu-fingerprint-facts.tsv"), lines(facts).join("\n"));
        writeFileSync(join(tmpdir(), "gongfu-fingerprint-quarantine.tsv"), lines(dead).join("\n"));
      }
      expect(got).toEqual(pinned);
    });
  });
});
