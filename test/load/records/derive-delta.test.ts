import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markAllCells } from "../../../load/records/derive-cells.ts";
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

// After a load, a count or a share in a band is updated from the counts derived_cell keeps, by what the new records
// add and take away (derive-delta.ts). Late files revise records every way a registry does: back-dated
// cancellations, a reinstatement, moves between counties, values into and out of the band and to empty, twins in
// one file, new entities. After each, every cell must hold what a full derivation over all records gives.
const derivation = (id: string, period: string, measure: string, filters = "") =>
  entityDerivation(id, period, measure, filters, 3);
const HEADER = "entity_id,county_code,registered_on,cancelled_on,capital";

interface Entity {
  id: string;
  county: string;
  start: string;
  end: string;
  capital: string;
}

const entities: Entity[] = [];
{
  let seed = 11;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < 600; i++) {
    const start = new Date(Date.UTC(2019, 0, 1) + Math.floor(next() * 365 * 5) * 86_400_000);
    const end = next() < 0.25 ? new Date(start.getTime() + Math.floor(next() * 700) * 86_400_000) : undefined;
    entities.push({
      id: `E${i}`,
      county: COUNTIES[i % 4]!,
      start: start.toISOString().slice(0, 10),
      end: end?.toISOString().slice(0, 10) ?? "",
      capital: next() < 0.05 ? "" : String(Math.round(next() * 40) * 25_000),
    });
  }
}
const line = (e: Entity) => `${e.id},${e.county},${e.start},${e.end},${e.capital}`;
const file = (rows: readonly Entity[]) => `${[HEADER, ...rows.map(line)].join("\n")}\n`;
const dayAfter = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

let rig: RecordRig;
const statements: string[] = [];
beforeAll(async () => {
  rig = await recordRig(
    [
      derivation("test-share-flow", "", SHARE),
      derivation("test-share-stock", STOCK, SHARE, BIG),
      derivation("test-count-flow", "", "{ kind: count }", BIG),
      derivation("test-count-stock", STOCK, "{ kind: count }"),
    ],
    undefined,
    SPEC,
  );
  const connection = rig.warehouse.connection;
  const run = connection.run.bind(connection);
  connection.run = ((sql: string, ...rest: unknown[]) => {
    statements.push(sql);
    return (run as (...a: unknown[]) => ReturnType<typeof run>)(sql, ...rest);
  }) as typeof connection.run;
  rig.drop("a.csv", file(entities));
  await rig.ingest();
});
afterAll(() => rig.close());

type Cell = { region: string; period: string; records: number; value: number | null };
const cellOf = (r: Record<string, unknown>): Cell => ({
  region: String(r["region_code"]),
  period: String(r["period"]),
  records: Number(r["records"]),
  value: r["value"] === null ? null : Number(r["value"]),
});

/** Every derivation's cells as a full derivation over all records computes them (in a transaction rolled back). */
async function recomputed(id: string): Promise<Cell[]> {
  const d = rig.derivations.find((x) => x.id === id)!;
  const connection = rig.warehouse.connection;
  await connection.run("BEGIN TRANSACTION");
  try {
    const periods = await markAllCells(connection, rig.spec);
    const rows = (
      await connection.runAndReadAll(
        `SELECT region_code, period, records, CASE WHEN records >= ${d.minRecords} THEN value * ${d.scale} END AS value
         FROM (${derivationSql(d, rig.spec, { kind: "dirty", periods })}) ORDER BY ALL`,
      )
    ).getRowObjects();
    return rows.map(cellOf);
  } finally {
    await connection.run("ROLLBACK");
  }
}

async function stored(id: string): Promise<Cell[]> {
  const rows = (
    await rig.warehouse.connection.runAndReadAll(
      "SELECT region_code, period, records, value FROM derived_cell WHERE derivation = $1 AND records > 0 ORDER BY ALL",
      [id],
    )
  ).getRowObjects();
  return rows.map(cellOf);
}

/** Each derivation's observation of each cell, as obs_latest shows it. */
async function published(id: string): Promise<Map<string, number>> {
  const rows = (
    await rig.warehouse.connection.runAndReadAll(
      `SELECT region_code, period, value FROM fact_observation WHERE source_uri = 'derivation:' || $1
       QUALIFY row_number() OVER (PARTITION BY region_code, period ORDER BY vintage DESC, loaded_at DESC, source_position DESC) = 1`,
      [id],
    )
  ).getRowObjects();
  return new Map(rows.map((r) => [`${r["region_code"]} ${r["period"]}`, Number(r["value"])]));
}

const late: [string, () => Entity[]][] = [
  [
    "back-dated cancellations",
    () => entities.slice(0, 30).map((e) => ({ ...e, end: e.end === "" ? dayAfter(e.start, 40) : e.end })),
  ],
  ["new entities", () => entities.slice(0, 20).map((e, i) => ({ ...e, id: `N${i}`, county: COUNTIES[(i + 1) % 4]! }))],
  ["moves between counties", () => entities.slice(100, 115).map((e, i) => ({ ...e, county: COUNTIES[(i + 2) % 4]! }))],
  [
    "values into, out of the band and to empty",
    () =>
      entities.slice(200, 240).map((e, i) => ({ ...e, capital: i % 5 === 0 ? "" : i % 2 === 0 ? "300000" : "50000" })),
  ],
  [
    "twins in one file and a reinstatement",
    () => [
      { ...entities[300]!, capital: "100000" },
      { ...entities[300]!, capital: "400000" },
      { ...entities[0]!, end: "" },
    ],
  ],
];

describe("counts and shares updated from their stored counts", () => {
  it.each(late)("after %s, every cell holds what a full derivation gives", async (name, rows) => {
    statements.length = 0;
    rig.drop(`${name.replaceAll(" ", "-")}.csv`, file(rows()));
    await rig.ingest();
    expect(statements.filter((s) => s.includes("TEMP TABLE derived_delta"))).toHaveLength(4);
    for (const d of rig.derivations) {
      const full = await recomputed(d.id);
      expect(full.length).toBeGreaterThan(20);
      const cells = await stored(d.id);
      expect(cells.map((c) => [c.region, c.period, c.records])).toEqual(
        full.map((c) => [c.region, c.period, c.records]),
      );
      cells.forEach((c, i) => expect(c.value, `${d.id} ${c.region} ${c.period}`).toBe(full[i]!.value));
      const facts = await published(d.id);
      for (const c of full)
        if (c.value !== null)
          expect(facts.get(`${c.region} ${c.period}`), `${d.id} ${c.region} ${c.period}`).toBe(c.value);
    }
  });

  it("recounts a share's cells that lack their count in the band (computed before it was kept), and fills it", async () => {
    await rig.warehouse.connection.run("UPDATE derived_cell SET in_band = NULL WHERE derivation LIKE 'test-share-%'");
    statements.length = 0;
    rig.drop("old-cells.csv", file(entities.slice(400, 410).map((e) => ({ ...e, capital: "650000" }))));
    await rig.ingest();
    expect(statements.filter((s) => s.includes("TEMP TABLE derived_delta"))).toHaveLength(4);
    for (const id of ["test-share-flow", "test-share-stock"]) {
      const cells = await stored(id);
      const full = await recomputed(id);
      expect(cells).toEqual(full);
    }
    const [lacking] = (
      await rig.warehouse.connection.runAndReadAll(
        `SELECT count(*) FILTER (WHERE in_band IS NULL) AS lacking, count(*) AS changed FROM derived_cell
         WHERE derivation = 'test-share-flow' AND region_code = '330000'`,
      )
    ).getRowObjects();
    expect(Number(lacking?.["changed"])).toBeGreaterThan(0);
    expect(Number(lacking?.["lacking"])).toBeLessThan(Number(lacking?.["changed"]));
  });
});
