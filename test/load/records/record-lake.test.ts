import { existsSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterEach, describe, expect, it } from "vitest";
import { topicNames } from "../../../schemas/index.ts";
import { recordPartitionFile } from "../../../load/records/record-lake.ts";
import { COUNT_DERIVATION, csv, households, recordRig, type RecordRig } from "./record-scenario.ts";

const COUNT = COUNT_DERIVATION;

let rig: RecordRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const partition = (r: RecordRig, period: string) => recordPartitionFile(join(r.dir, "lake"), "test-households", period);

/** The rows and columns of a partition file, read by a DuckDB of its own (as an analyst would). */
async function readPartition(file: string): Promise<{ rows: number; columns: string[] }> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    const result = await c.runAndReadAll(`SELECT * FROM read_parquet('${file}')`);
    return { rows: result.currentRowCount, columns: result.columnNames() };
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

/** Counts the COPY statements the loader's connection runs: each one rewrites a partition whole. */
function countCopies(r: RecordRig): { copies: () => number } {
  const connection = r.warehouse.connection;
  const run = connection.run.bind(connection);
  let copies = 0;
  connection.run = ((sql: string, ...rest: unknown[]) => {
    if (/^\s*COPY\b/.test(sql)) copies++;
    return (run as (...a: unknown[]) => ReturnType<typeof run>)(sql, ...rest);
  }) as typeof connection.run;
  return { copies: () => copies };
}

describe("the lake's record partitions", () => {
  it("hold every record of their period, without personal columns, once ingest's run is flushed", async () => {
    rig = await recordRig([COUNT], undefined, undefined, { lake: true });
    rig.drop("a.csv", csv(households([2023, 2024])));
    await rig.ingest();
    for (const period of ["2023", "2024"]) {
      const file = partition(rig, period);
      expect(existsSync(file), file).toBe(true);
      const got = await readPartition(file);
      expect(got.rows).toBe(159);
      expect(got.columns).toContain("county_code");
      for (const personal of ["household_id", "id_card", "income"]) expect(got.columns).not.toContain(personal);
    }
  });

  // Partitions are rewritten whole: once per delivery made a long load rewrite the feed's records again and again.
  it("are rewritten once for a run of several deliveries, not once per delivery", async () => {
    rig = await recordRig([COUNT], undefined, undefined, { lake: true });
    const { copies } = countCopies(rig);
    for (const name of ["a.csv", "b.csv", "c.csv"])
      rig.drop(name, csv(households([2024]).map((r) => [`${name}-${r[0]}`, ...r.slice(1)])));
    await rig.ingest();
    expect(rig.stats.batches).toBe(3);
    expect(copies()).toBe(1);
    expect((await readPartition(partition(rig, "2024"))).rows).toBe(3 * 159);
  });

  it("are written after a pause in deliveries, without a flush (a loader that keeps running)", async () => {
    rig = await recordRig([COUNT], undefined, undefined, { lake: true });
    // Deliver a batch as a running consumer would, without the embedded bus's flush at the end of an ingest run.
    const topic = topicNames("test").records("test-households");
    const sent: unknown[] = [];
    const publish = rig.bus.publish.bind(rig.bus);
    rig.bus.publish = async (t, records) => {
      if (t === topic) sent.push(...records.map((r) => r.value));
      await publish(t, records);
    };
    rig.drop("a.csv", csv(households([2023])));
    await rig.ingest();
    const file = partition(rig, "2023");
    expect(existsSync(file)).toBe(true);
    // A second source of the same period, delivered without flush: the partition follows after the pause.
    const again = sent[0] as { checksum: string; uri: string };
    await publish(topic, [{ key: "k", value: { ...again, checksum: "f".repeat(64), uri: "again.csv" } }]);
    const deadline = Date.now() + 10_000;
    while ((await readPartition(file)).rows !== 2 * 159 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect((await readPartition(file)).rows).toBe(2 * 159);
  });
});
