import { createHmac } from "node:crypto";
import { createReadStream, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createEmbeddedBus } from "../../../bus/index.ts";
import { produceRecordFile, type RecordSource } from "../../../ingest/records/produce-record-file.ts";
import { openRecordCsv } from "../../../ingest/records/record-csv-columns.ts";
import { createPseudonymiser } from "../../../ingest/records/pseudonymise.ts";
import {
  defaultCatalog,
  parseRecordFeedSpec,
  recordBatchOf,
  topicNames,
  type RecordFeedSpec,
} from "../../../schemas/index.ts";
import { entitySpecYaml, households, SPEC_YAML, TEST_KEY } from "../../load/records/record-scenario.ts";

const spec = parseRecordFeedSpec(SPEC_YAML, "test.yaml");
const catalog = defaultCatalog();

/** Everything a file gives on the bus: record batches as plain values, and dead letters. */
async function produce(path: string, withPath: boolean, fileSpec: RecordFeedSpec = spec) {
  const bus = createEmbeddedBus();
  const topics = topicNames("t");
  const seen: { batches: unknown[]; dead: unknown[] } = { batches: [], dead: [] };
  await bus.runSink({
    groupId: "g",
    storedPositions: async () => [],
    topics: [topics.records(fileSpec.id), topics.dlqIngest],
    handle: async (delivered) => {
      for (const d of delivered)
        if (d.topic === topics.dlqIngest) seen.dead.push(d.value);
        else {
          const b = recordBatchOf(d.value, d.headers);
          seen.batches.push({ ...b, lines: [...b.lines] });
        }
    },
  });
  const source: RecordSource = {
    uri: "h.csv",
    checksum: "c".repeat(64),
    vintage: "2024-03-01T00:00:00+08:00",
    open: () => createReadStream(path),
    ...(withPath ? { path } : {}),
  };
  const stats = await produceRecordFile(fileSpec, source, {
    bus,
    topics,
    catalog,
    pseudonymise: createPseudonymiser(Buffer.from(TEST_KEY)),
    now: () => new Date("2024-03-02T00:00:00Z"),
  });
  await bus.close();
  return { stats, ...seen };
}

describe("record files", () => {
  it("pseudonymise exactly as HMAC-SHA-256 does, for short and long keys", () => {
    for (const key of [Buffer.from(TEST_KEY), Buffer.alloc(100, 7), Buffer.alloc(64, 1)]) {
      const p = createPseudonymiser(key);
      for (const id of ["330102198001010011", "HH-1", "户主 张三", ""])
        expect(p(` ${id} `)).toBe(`p_${createHmac("sha256", key).update(id).digest("hex").slice(0, 32)}`);
    }
  });

  it("read by DuckDB give the same batches and dead letters as read by the JavaScript reader", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gongfu-record-readers-"));
    const rows = households().map((r) => r.join(","));
    // Refused records: an unknown region, a year that is not a number, a missing household number.
    rows.splice(10, 0, "HH-X1,330102195001010011X,999999,2024,3,50000");
    rows.splice(20, 0, "HH-X2,330102195001010012X,330102,20x4,3,50000");
    rows.splice(30, 0, ",330102195001010013X,330102,2024,3,50000");
    const path = join(dir, "h.csv");
    writeFileSync(path, `household_id,id_card,county_code,survey_year,members,income\n${rows.join("\n")}\n`);
    const names = ["household_id", "county_code", "survey_year", "members", "income"];
    expect(typeof (await openRecordCsv(spec, path, names))).toBe("object");
    const js = await produce(path, false);
    const duck = await produce(path, true);
    expect(duck.stats).toEqual(js.stats);
    expect(duck.stats.rejected).toBe(3);
    expect(duck.batches).toHaveLength(1);
    expect(duck.batches).toEqual(js.batches);
    expect(duck.dead).toEqual(js.dead);
    expect(JSON.stringify(duck.dead)).not.toContain("330102195001010011X");
  });

  // Dates cross from DuckDB as codes into the file's dictionary, and columns no record keeps are not read at all:
  // the records and the reasons (bad dates, a missing required date, an empty optional one) must stay the same.
  it("with dates and columns the spec does not name give the same batches read either way", async () => {
    const registry = parseRecordFeedSpec(entitySpecYaml("test-registry", "测试登记 Test registry"), "r.yaml");
    const dir = mkdtempSync(join(tmpdir(), "gongfu-record-readers-"));
    const lines = ["entity_id,note,county_code,registered_on,cancelled_on"];
    for (let i = 0; i < 300; i++) {
      const day = String(1 + (i % 28)).padStart(2, "0");
      const cancelled = i % 3 === 0 ? `2024-02-${day}` : "";
      lines.push(`E${i},备注${i},${i % 2 ? "330102" : "330105"},2023-0${1 + (i % 9)}-${day},${cancelled}`);
    }
    lines.splice(40, 0, "E-bad1,x,330102,2023-02-30,");
    lines.splice(80, 0, "E-bad2,x,330102,,2024-01-01");
    lines.splice(120, 0, "E-bad3,x,330102,2023-01-05,not a date");
    lines.splice(160, 0, "E-ok, x ,330105, 2023-03-04 ,");
    const path = join(dir, "r.csv");
    writeFileSync(path, `${lines.join("\n")}\n`);
    expect(typeof (await openRecordCsv(registry, path, ["entity_id", "county_code", "registered_on"]))).toBe("object");
    const js = await produce(path, false, registry);
    const duck = await produce(path, true, registry);
    expect(duck.stats.rejected).toBe(3);
    expect(duck.stats).toEqual(js.stats);
    expect(duck.batches).toEqual(js.batches);
    expect(duck.dead).toEqual(js.dead);
    expect(JSON.stringify(duck.batches)).not.toContain("备注");
  });

  // A text column that is not personal crosses as codes when the file's first records show few values in it, and as
  // text when they show many: the batches are the same either way, and the same as the JavaScript reader's.
  it("with texts of few and of many values give the same batches read either way", async () => {
    const extra = ["kind: { type: string, optional: true }", "label: { type: string }"];
    const registry = parseRecordFeedSpec(entitySpecYaml("test-kinds", "测试 Test", extra), "k.yaml");
    const dir = mkdtempSync(join(tmpdir(), "gongfu-record-readers-"));
    const kinds = ["设立", " 注销 ", "存续", ""];
    const lines = ["entity_id,county_code,registered_on,cancelled_on,kind,label"];
    for (let i = 0; i < 3000; i++) lines.push(`E${i},330102,2023-01-05,,${kinds[i % 4]},L${i}`);
    const path = join(dir, "k.csv");
    writeFileSync(path, `${lines.join("\n")}\n`);
    const names = ["entity_id", "county_code", "registered_on", "cancelled_on", "kind", "label"];
    const opened = await openRecordCsv(registry, path, names);
    if (typeof opened === "string") throw new Error(opened);
    expect(opened.file.dictionaries[4]).toEqual(expect.arrayContaining(["设立", " 注销 ", "存续", ""]));
    expect(opened.file.dictionaries[5]).toBeUndefined();
    const js = await produce(path, false, registry);
    const duck = await produce(path, true, registry);
    expect(duck.stats).toEqual(js.stats);
    expect(duck.stats.records).toBe(3000);
    expect(duck.batches).toEqual(js.batches);
  });

  it("that are not plain go to the JavaScript reader", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gongfu-record-readers-"));
    const path = join(dir, "q.csv");
    writeFileSync(path, 'household_id,id_card,county_code,survey_year,members,income\n"HH\n1",x,330102,2024,3,1\n');
    expect(await openRecordCsv(spec, path, ["household_id"])).toMatch(/line|quote|record/i);
  });
});
