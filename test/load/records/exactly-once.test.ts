import { afterEach, describe, expect, it } from "vitest";
import { encodeRecordBatch, recordBatchOf, topicNames, type RecordBatch } from "../../../schemas/index.ts";
import { COUNT_DERIVATION, csv, households, recordRig, type RecordRig } from "./record-scenario.ts";

const COUNT = COUNT_DERIVATION;

let rig: RecordRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const query = async (r: RecordRig, sql: string) => (await r.warehouse.connection.runAndReadAll(sql)).getRowObjects();
const counts = async (r: RecordRig) =>
  (
    await query(
      r,
      `SELECT (SELECT count(*) FROM rec_test_households) AS records, (SELECT count(*) FROM record_batch) AS batches,
              (SELECT count(*) FROM fact_observation) AS facts`,
    )
  )[0];

describe("record loading, exactly once", () => {
  it("loads nothing twice when a batch is delivered again", async () => {
    rig = await recordRig([COUNT]);
    // Capture what ingest publishes, to deliver it again as a restarted consumer would be.
    const sent: { value: unknown; headers?: Record<string, string> }[] = [];
    const publish = rig.bus.publish.bind(rig.bus);
    rig.bus.publish = async (topic, records) => {
      if (topic === topicNames("test").records("test-households")) sent.push(...records);
      await publish(topic, records);
    };
    rig.drop("a.csv", csv(households([2024])));
    await rig.ingest();
    const before = await counts(rig);
    expect(Number(before?.["records"])).toBe(159);
    expect(sent).toHaveLength(1);
    // Again as the object (embedded), and again as its Arrow bytes (Kafka).
    const batch = sent[0]!.value as RecordBatch;
    await publish(topicNames("test").records("test-households"), [{ key: "k", value: batch }]);
    await publish(topicNames("test").records("test-households"), [
      { key: "k", value: encodeRecordBatch(batch), headers: { "gongfu-encoding": "arrow-ipc" } },
    ]);
    // The record loader writes in the background, as the observation loader merges: flush waits for its commit.
    await rig.bus.flush?.();
    expect(await counts(rig)).toEqual(before);
    expect(rig.stats.duplicates).toBe(2);
  });

  // The loader writes each delivery in the background (while ingest prepares the next): a commit that fails there
  // must leave the delivery queued and be retried, not lose it because the bus had already moved on.
  it("retries a delivery whose background write failed, and loses nothing", async () => {
    rig = await recordRig([COUNT]);
    const connection = rig.warehouse.connection;
    const run = connection.run.bind(connection);
    let failures = 0;
    connection.run = (async (sql: string, ...rest: unknown[]) => {
      if (sql === "COMMIT" && failures === 0) {
        failures++;
        throw new Error("disk full (injected)");
      }
      return (run as (...a: unknown[]) => ReturnType<typeof run>)(sql, ...rest);
    }) as typeof connection.run;
    rig.drop("a.csv", csv(households([2023])));
    rig.drop("b.csv", csv(households([2024])));
    const stats = await rig.ingest();
    expect(failures).toBe(1);
    expect(stats[0]).toMatchObject({ files: 2, rejected: 0 });
    const after = await counts(rig);
    expect(after).toMatchObject({ records: 318n, batches: 2n });
    expect(rig.stats.batches).toBe(2);
  });

  it("does not produce a file dropped again", async () => {
    rig = await recordRig([COUNT]);
    const text = csv(households([2024]));
    rig.drop("a.csv", text);
    await rig.ingest();
    rig.drop("a-again.csv", text);
    const [second] = await rig.ingest();
    expect(second).toMatchObject({ duplicates: 1, records: 0 });
    expect(Number((await counts(rig))?.["records"])).toBe(159);
  });

  it("revises a cell as a new vintage when a late record arrives, and as-of still gives what was known before", async () => {
    rig = await recordRig([COUNT]);
    rig.drop("a.csv", csv(households([2024])));
    await rig.ingest();
    const spec = rig.spec;
    // A back-dated household of 330102 in a file published later: the county, its city and the province change.
    const late = { ...spec, vintage: { published: "2024-09-01" } };
    rig.spec.vintage = late.vintage;
    rig.drop("late.csv", csv([["HH-330102-9999", "330102195001010011", "330102", "2024", "2", "150000"]]));
    await rig.ingest();
    const cells = await query(
      rig,
      `SELECT region_code, value, CAST(vintage AS VARCHAR) AS vintage FROM fact_observation
       WHERE period = '2024' ORDER BY region_code, vintage`,
    );
    const of = (region: string) => cells.filter((c) => c["region_code"] === region).map((c) => Number(c["value"]));
    expect(of("330102")).toEqual([60, 61]);
    expect(of("330100")).toEqual([105, 106]);
    expect(of("330000")).toEqual([159, 160]);
    // Untouched cells get no new vintage.
    expect(of("330212")).toEqual([50]);
    const asOf = await query(
      rig,
      `SELECT value FROM obs_as_of(TIMESTAMPTZ '2024-06-30 00:00:00+08') WHERE region_code = '330000' AND period = '2024'`,
    );
    expect(asOf.map((r) => Number(r["value"]))).toEqual([159]);
  });

  it("takes a later record with the same key as a revision of it, not as another record", async () => {
    rig = await recordRig([COUNT]);
    rig.drop("a.csv", csv(households([2024])));
    await rig.ingest();
    rig.spec.vintage = { published: "2024-09-01" };
    // The same household again, moved to another county: it counts there now, and no longer in 330102.
    rig.drop("fix.csv", csv([["HH-330102-0001", "330102195001010011", "330105", "2024", "2", "150000"]]));
    await rig.ingest();
    const cells = await query(
      rig,
      `SELECT region_code, value FROM obs_latest WHERE period = '2024' AND region_code IN ('330102', '330105', '330000')
       ORDER BY region_code`,
    );
    expect(cells.map((c) => [c["region_code"], Number(c["value"])])).toEqual([
      ["330000", 159],
      ["330102", 59],
      ["330105", 46],
    ]);
  });

  it("takes the later line of a key twice in one file as the record, beside a year without revisions", async () => {
    rig = await recordRig([COUNT]);
    // 2024 holds a key twice (the later line moves it to 330105); 2023 none, so one pass derives a year whose
    // versions must be picked and one whose records are all latest (derive-cells.ts, checkRevisedPeriods).
    const rows = households([2023, 2024]);
    rig.drop("a.csv", csv([...rows, ["HH-330102-0001", "330102195001010011", "330105", "2024", "2", "150000"]]));
    await rig.ingest();
    const cells = await query(
      rig,
      `SELECT period, region_code, value FROM obs_latest
       WHERE region_code IN ('330102', '330105', '330000') ORDER BY period, region_code`,
    );
    expect(cells.map((c) => [c["period"], c["region_code"], Number(c["value"])])).toEqual([
      ["2023", "330000", 159],
      ["2023", "330102", 60],
      ["2023", "330105", 45],
      ["2024", "330000", 159],
      ["2024", "330102", 59],
      ["2024", "330105", 46],
    ]);
  });

  it("quarantines a message that is no record batch, or does not fit its spec, once, and goes on", async () => {
    rig = await recordRig([COUNT]);
    const topic = topicNames("test").records("test-households");
    const garbage = { key: "k", value: new Uint8Array([1, 2, 3]), headers: { "gongfu-encoding": "arrow-ipc" } };
    const misfit: RecordBatch = {
      kind: "records",
      feed: "test-households",
      uri: "x.csv",
      checksum: "d".repeat(64),
      seq: 0,
      receivedAt: "2024-01-01T00:00:00.000Z",
      vintage: "2024-01-01T00:00:00+08:00",
      rows: 1,
      last: true,
      lines: Int32Array.from([2]),
      columns: { household_id: { kind: "text", values: ["p_1"] } },
    };
    await rig.bus.publish(topic, [garbage, { key: "k", value: misfit }]);
    await rig.bus.publish(topic, [garbage]);
    rig.drop("a.csv", csv(households([2024])));
    await rig.ingest();
    const rows = await query(
      rig,
      "SELECT stage, reason_codes, CAST(reasons AS VARCHAR) AS reasons, CAST(payload AS VARCHAR) AS payload " +
        "FROM quarantine ORDER BY kafka_offset",
    );
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r["reason_codes"])).toEqual(["bad_record_batch", "bad_record_batch", "bad_record_batch"]);
    expect(String(rows[1]?.["reasons"])).toMatch(/no column county_code, which the spec declares/);
    expect(rows[0]?.["payload"]).toBe('{"unreadableBytes":3}');
    expect(Number((await counts(rig))?.["records"])).toBe(159);
    expect(rig.stats.refused).toBe(3);
  });

  it("reads back a record batch from its Arrow form unchanged", () => {
    const batch: RecordBatch = {
      kind: "records",
      feed: "f",
      uri: "a.csv",
      checksum: "c".repeat(64),
      seq: 3,
      receivedAt: "2024-01-01T00:00:00.000Z",
      vintage: "2024-01-01T00:00:00+08:00",
      rows: 2,
      last: true,
      lines: Int32Array.from([2, 3]),
      columns: {
        id: { kind: "text", values: ["p_1", null] },
        income: { kind: "number", values: Float64Array.from([1.5, Number.NaN]) },
      },
    };
    const back = recordBatchOf(encodeRecordBatch(batch), { "gongfu-encoding": "arrow-ipc" });
    expect(back).toEqual(batch);
  });
});
