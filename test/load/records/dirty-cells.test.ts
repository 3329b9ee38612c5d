import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { derivationSql } from "../../../load/records/derive-sql.ts";
import {
  ENTITY_BIG as BIG,
  ENTITY_CAPITAL_SPEC as SPEC,
  ENTITY_COUNTIES as COUNTIES,
  ENTITY_SHARE as SHARE,
  ENTITY_STOCK as STOCK,
  entityDerivation,
  recordRig,
  type RecordRig,
} from "./record-scenario.ts";

// Over the dirty cells the Gini ranks by a number given to each cell and names the cells after the aggregate, and a
// count or a share in a band is counted per record region and added up the levels (derive-sql.ts); the one-cell
// query of the explain chain computes a cell from its own records. Both must give every cell the same value, for a
// flow and for a stock (whose cells repeat a changed year's records in later years), with a filter.
const GINI = "{ kind: gini, column: capital }";
const derivation = (id: string, period: string, measure = GINI, filters = "") =>
  entityDerivation(id, period, measure, filters);

function entities(): string {
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const lines = ["entity_id,county_code,registered_on,cancelled_on,capital"];
  for (let i = 0; i < 800; i++) {
    const start = new Date(Date.UTC(2019, 0, 1) + Math.floor(next() * 365 * 5) * 86_400_000);
    const end = next() < 0.3 ? new Date(start.getTime() + Math.floor(next() * 700) * 86_400_000) : undefined;
    // Ties and missing values on purpose: the ranks of equal values and of NULLs must not matter.
    const capital = next() < 0.05 ? "" : String(Math.round(next() * 40) * 25_000);
    lines.push(
      `E${i},${COUNTIES[i % 4]},${start.toISOString().slice(0, 10)},${end?.toISOString().slice(0, 10) ?? ""},${capital}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

let rig: RecordRig;
beforeAll(async () => {
  rig = await recordRig(
    [
      derivation("test-gini-flow", ""),
      derivation("test-gini-stock", STOCK),
      derivation("test-share-flow", "", SHARE),
      derivation("test-share-stock", STOCK, SHARE, BIG),
      derivation("test-count-flow", "", "{ kind: count }", BIG),
      derivation("test-count-stock", STOCK, "{ kind: count }"),
    ],
    undefined,
    SPEC,
  );
  rig.drop("entities.csv", entities());
  await rig.ingest();
});
afterAll(() => rig.close());

describe("the Gini, shares and counts over the dirty cells", () => {
  const ids = ["gini-flow", "gini-stock", "share-flow", "share-stock", "count-flow", "count-stock"].map(
    (i) => `test-${i}`,
  );
  it.each(ids)("%s: every cell's value is the one-cell query's", async (id) => {
    const d = rig.derivations.find((x) => x.id === id)!;
    const cells = (
      await rig.warehouse.connection.runAndReadAll(
        "SELECT region_code, period, value, records, vintage FROM derived_cell WHERE derivation = $1 ORDER BY ALL",
        [id],
      )
    ).getRowObjects();
    expect(cells.length).toBeGreaterThan(20);
    for (const cell of cells) {
      const region = String(cell["region_code"]);
      const period = String(cell["period"]);
      const [one] = (
        await rig.warehouse.connection.runAndReadAll(derivationSql(d, rig.spec, { kind: "one", region, period }))
      ).getRowObjects();
      expect([region, period, Number(one?.["records"])]).toEqual([region, period, Number(cell["records"])]);
      expect(String(one?.["vintage"])).toBe(String(cell["vintage"]));
      expect(Number(cell["value"])).toBeCloseTo(Number(one?.["value"]) * d.scale, 12);
    }
    // One observation per cell: a cell numbered twice would have been computed, and written, twice.
    const [facts] = (
      await rig.warehouse.connection.runAndReadAll(
        `SELECT count(*) AS n, count(DISTINCT (region_code, period)) AS cells FROM fact_observation
         WHERE source_uri = 'derivation:' || $1`,
        [id],
      )
    ).getRowObjects();
    expect(Number(facts?.["n"])).toBe(cells.length);
    expect(Number(facts?.["cells"])).toBe(cells.length);
  });
});
