import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Warehouse } from "../../load/index.ts";
import { readObservations, stageInputs } from "../../evaluate/inputs/read-observations.ts";
import { windowPeriods } from "../../evaluate/inputs/window-periods.ts";
import { resolveEvalConfig } from "../../evaluate/index.ts";
import type { ObsRow } from "../../evaluate/model.ts";
import { createSyntheticWarehouse, insertObservations } from "./synthetic-warehouse.ts";
import { fillPinnedWarehouse } from "./pinned-warehouse.ts";

// The run's inputs are read through a temporary table and ENUM-coded columns; the reference is the plain query.
let w: Warehouse;

beforeAll(async () => {
  w = await createSyntheticWarehouse();
  await fillPinnedWarehouse(w.connection);
  // Codes a catalog would never hold still come back as written (quotes and all).
  await insertObservations(w.connection, [
    {
      indicator: "life_expectancy",
      region: '33\'01 "odd"',
      period: "2025-06",
      value: 80.5,
      vintage: "2025-07-01T00:00:00.123Z",
    },
  ]);
  await w.connection.run(
    "UPDATE fact_observation SET indicator_code = 'it''s 中文' WHERE region_code = '33''01 \"odd\"'",
  );
}, 120_000);
afterAll(() => w.close());

/** What readObservations returned before it was made faster: obs_as_of, read as JavaScript values row by row. */
async function reference(asOf: string, periods: readonly string[]): Promise<ObsRow[]> {
  const list = periods.map((p) => `'${p}'`).join(", ");
  const columns = (
    await w.connection.runAndReadAll(
      `SELECT indicator_code, region_code, period, value, epoch_ms(vintage) AS vintage_ms, ` +
        `obs_key FROM obs_as_of(CAST($1 AS TIMESTAMPTZ)) WHERE period IN (${list})`,
      [asOf],
    )
  ).getColumnsJS();
  const [ind, reg, per, val, vin, key] = columns;
  return (ind ?? []).map((_, i) => ({
    indicator: String(ind![i]),
    region: String(reg![i]),
    period: String(per![i]),
    value: Number(val![i]),
    vintage: new Date(Number(vin![i])).toISOString(),
    obsKey: key![i] as bigint,
  }));
}

const byKey = (rows: readonly ObsRow[]): ObsRow[] =>
  [...rows].sort((a, b) => (a.obsKey! < b.obsKey! ? -1 : a.obsKey! > b.obsKey! ? 1 : 0));

describe("the inputs of a run", () => {
  const config = resolveEvalConfig({});
  const cases = [
    { asOf: "2026-02-01T00:00:00.000Z", period: "2025-12" },
    { asOf: "2025-08-15T00:00:00.000Z", period: "2025-09" },
    { asOf: "2025-12-01T00:00:00.000Z", period: "2025Q2" },
    { asOf: "2019-01-01T00:00:00.000Z", period: "2018" },
  ];
  for (const c of cases) {
    it(`are exactly the rows of obs_as_of, and fingerprinted as they were: ${c.period} as of ${c.asOf}`, async () => {
      const periods = windowPeriods(c.period, config.staleness);
      const expected = await reference(c.asOf, periods);
      const inputs = await stageInputs(w.connection, c.asOf, periods);
      try {
        const rows = await inputs.read();
        expect(byKey(rows)).toEqual(byKey(expected));
        const [ref] = (
          await w.connection.runAndReadAll(
            `SELECT count(*) AS n, coalesce(bit_xor(hash(obs_key, value, vintage)), 0) AS x FROM ` +
              `obs_as_of(CAST($1 AS TIMESTAMPTZ)) WHERE period IN (${periods.map((p) => `'${p}'`).join(", ")})`,
            [c.asOf],
          )
        ).getRows();
        expect(await inputs.fingerprint()).toBe(`${String(ref![0])}:${String(ref![1])}`);
      } finally {
        await inputs.drop();
      }
      if (c.period !== "2018") expect(expected.length).toBeGreaterThan(1000);
    });
  }

  it("keep odd codes, and leave no temporary table behind", async () => {
    const periods = ["2025-06"];
    const rows = await readObservations(w.connection, "2026-01-01T00:00:00Z", periods);
    expect(rows.find((r) => r.indicator === "it's 中文")).toMatchObject({
      region: '33\'01 "odd"',
      value: 80.5,
      vintage: "2025-07-01T00:00:00.123Z",
    });
    expect(byKey(rows)).toEqual(byKey(await reference("2026-01-01T00:00:00Z", periods)));
    const temp = (
      await w.connection.runAndReadAll(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name LIKE 'eval_input_%'",
      )
    ).getRows();
    expect(Number(temp[0]![0])).toBe(0);
  });
});
