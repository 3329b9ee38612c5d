import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "../helpers/cli.ts";
import { withWarehouse } from "../helpers/duckdb.ts";

const FIXTURES = join(REPO, "test/fixtures/department-health");
const SPEC = readFileSync(join(FIXTURES, "health-annual.yaml"), "utf8");

describe("gongfu replay after a region alias is added", { timeout: 240_000 }, () => {
  it("resolves the rows dead-lettered for 全省 once the spec says what 全省 means", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gongfu-alias-"));
    const feeds = join(dir, "feeds");
    const data = join(dir, "data");
    mkdirSync(feeds);
    const withoutAlias = SPEC.replace(/^regions:\n.*\n/m, "");
    expect(withoutAlias).not.toBe(SPEC);
    writeFileSync(join(feeds, "health-annual.yaml"), withoutAlias);
    cpSync(join(FIXTURES, "indicators.csv"), join(feeds, "indicators.csv"));
    mkdirSync(join(data, "inbox", "health"), { recursive: true });
    cpSync(join(FIXTURES, "health-2021-2023.csv"), join(data, "inbox", "health", "health.csv"));
    await runCli(["run", "--data", data, "--feeds", feeds]);
    const province = "SELECT CAST(count(*) AS INTEGER) AS n FROM fact_observation WHERE region_code = '330000'";
    await withWarehouse(join(data, "gongfu.duckdb"), async (q) => {
      expect(await q(province)).toEqual([{ n: 0 }]);
      expect(
        await q("SELECT CAST(count(*) AS INTEGER) AS n FROM quarantine WHERE reason_codes LIKE '%unknown_region%'"),
      ).toEqual([{ n: 3 }]);
    });

    writeFileSync(join(feeds, "health-annual.yaml"), SPEC);
    const replay = await runCli(["replay", "--feed", "health-annual", "--data", data, "--feeds", feeds]);
    expect(replay.code).toBe(0);
    await withWarehouse(join(data, "gongfu.duckdb"), async (q) => {
      expect(await q(province)).toEqual([{ n: 11 }]); // 3 years × 4 indicators, one cell reported missing (—)
      expect(
        await q(
          "SELECT CAST(count(*) AS INTEGER) AS n FROM quarantine WHERE reason_codes LIKE '%unknown_region%' AND resolved_at IS NULL",
        ),
      ).toEqual([{ n: 0 }]);
    });
  });
});
