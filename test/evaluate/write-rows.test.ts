import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  EVAL_DISPARITY,
  EVAL_OBSERVATION_USED,
  ensureEvalTables,
  replaceRunRows,
  type Row,
  type TableLayout,
} from "../../evaluate/tables/index.ts";

let instance: DuckDBInstance;
let connection: DuckDBConnection;
let layout: TableLayout;

beforeEach(async () => {
  instance = await DuckDBInstance.create(":memory:");
  connection = await instance.connect();
  layout = await ensureEvalTables(connection);
});
afterEach(() => {
  connection.closeSync();
  instance.closeSync();
});

const used = (i: number, over: Partial<Record<string, Row[string]>> = {}): Row => ({
  region_code: `33${String(i).padStart(4, "0")}`,
  indicator_code: "disposable_income_per_capita",
  role: i % 2 === 0 ? "value" : "input",
  source_region: "330000",
  source_indicator: "disposable_income_per_capita",
  period: "2024",
  value: i / 7,
  vintage:
    i % 3 === 0
      ? null
      : `2025-01-${String((i % 28) + 1).padStart(2, "0")}T02:03:04.${String(i % 1000).padStart(3, "0")}Z`,
  obs_key: i % 5 === 0 ? null : (1n << 127n) + BigInt(i),
  ...over,
});

async function stored(sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

describe("replaceRunRows", () => {
  it(
    "stores every cell as given, over more rows than one data chunk: text, nulls, doubles, " +
      "millisecond instants and 128-bit keys",
    async () => {
      const rows = Array.from({ length: 5000 }, (_, i) => used(i));
      rows[7] = used(7, { role: "", source_region: "it's 中文 / English 😀" });
      await replaceRunRows(connection, "run-a", layout, new Map([[EVAL_OBSERVATION_USED, rows]]), async () => {});
      const back = await stored(
        "SELECT * EXCLUDE (run_id), epoch_ms(vintage) AS ms, CAST(obs_key AS VARCHAR) AS key FROM eval_observation_used ORDER BY value",
      );
      expect(back).toHaveLength(5000);
      back.forEach((b, i) => {
        const r = rows[i]!;
        expect(b).toMatchObject({
          region_code: r["region_code"],
          role: r["role"],
          source_region: r["source_region"],
          period: "2024",
          value: r["value"],
        });
        expect(b["ms"] === null ? null : Number(b["ms"])).toBe(
          r["vintage"] === null ? null : Date.parse(String(r["vintage"])),
        );
        expect(b["key"]).toBe(r["obs_key"] === null ? null : String(r["obs_key"]));
      });
    },
  );

  it("replaces a run's earlier rows and leaves other runs alone", async () => {
    const disparity = (value: number): Row => ({
      measure: "gini",
      scope: "cities",
      group_code: null,
      value,
      target: null,
      meets_target: null,
      weighted: true,
      units: 11,
      note: null,
    });
    await replaceRunRows(
      connection,
      "run-a",
      layout,
      new Map([[EVAL_DISPARITY, [disparity(0.1), disparity(0.2)]]]),
      async () => {},
    );
    await replaceRunRows(connection, "run-b", layout, new Map([[EVAL_DISPARITY, [disparity(0.3)]]]), async () => {});
    await replaceRunRows(connection, "run-a", layout, new Map([[EVAL_DISPARITY, [disparity(0.4)]]]), async () => {});
    expect(await stored("SELECT run_id, value FROM eval_disparity ORDER BY run_id, value")).toEqual([
      { run_id: "run-a", value: 0.4 },
      { run_id: "run-b", value: 0.3 },
    ]);
  });

  it("writes nothing when a cell does not fit its column or the step inside the transaction fails", async () => {
    await replaceRunRows(connection, "run-a", layout, new Map([[EVAL_OBSERVATION_USED, [used(1)]]]), async () => {});
    const bad = replaceRunRows(
      connection,
      "run-a",
      layout,
      new Map([[EVAL_OBSERVATION_USED, [used(2), used(3, { value: "many" })]]]),
      async () => {},
    );
    await expect(bad).rejects.toThrow(/writing the results of run run-a failed/);
    const failing = replaceRunRows(
      connection,
      "run-a",
      layout,
      new Map([[EVAL_OBSERVATION_USED, [used(4)]]]),
      async () => {
        throw new Error("eval_run update failed");
      },
    );
    await expect(failing).rejects.toThrow(/run-a/);
    expect(await stored("SELECT region_code FROM eval_observation_used")).toEqual([{ region_code: "330001" }]);
  });
});
