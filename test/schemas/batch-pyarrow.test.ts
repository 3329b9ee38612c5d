import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  encodeObservationBatch,
  encodeRawBatch,
  ObservationBatchBuilder,
  RawBatchBuilder,
} from "../../schemas/index.ts";
import { pythonWith } from "../helpers/python-venv.ts";

// A consumer in another language reads our Kafka message values with nothing but pyarrow.
const dir = mkdtempSync(join(tmpdir(), "gongfu-pyarrow-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const READ = `
import json, sys, pyarrow.ipc as ipc
with open(sys.argv[1], "rb") as f:
    t = ipc.open_stream(f).read_all()
print(json.dumps({
    "metadata": {k.decode(): v.decode() for k, v in (t.schema.metadata or {}).items()},
    "types": {f.name: str(f.type) for f in t.schema},
    "rows": t.to_pylist(),
    "categorical": str(t.to_pandas()[t.schema.names[0]].dtype),
}, ensure_ascii=False))
`;

function readWithPyarrow(bytes: Uint8Array): {
  metadata: Record<string, string>;
  types: Record<string, string>;
  rows: Record<string, unknown>[];
  categorical: string;
} {
  const python = pythonWith(["pyarrow", "pandas"]);
  const file = join(dir, "message.arrows");
  writeFileSync(file, bytes);
  writeFileSync(join(dir, "read.py"), READ);
  return JSON.parse(execFileSync(python, [join(dir, "read.py"), file], { encoding: "utf8" }));
}

describe("batches read by pyarrow", () => {
  it("a raw batch: the source's columns as categoricals, absent fields as nulls, positions as numbers", () => {
    const b = new RawBatchBuilder({
      feed: "stats",
      uri: "公报.csv",
      checksum: "ab".repeat(32),
      receivedAt: "t0",
      seq: 1,
    });
    b.add({ line: 2 }, { 地区: "杭州市", 数值: "１２３" }, "2025-01-20T00:00:00.000Z");
    b.add({ line: 4 }, { 数值: "—" }, "2025-01-20T00:00:00.000Z");
    const got = readWithPyarrow(encodeRawBatch(b.build()));
    expect(got.metadata).toMatchObject({ "gongfu.batch": "raw/v1", "gongfu.feed": "stats", "gongfu.seq": "1" });
    // Codes in the narrowest signed integer that holds the dictionary: one byte a row for a column of few values.
    expect(got.types["地区"]).toBe("dictionary<values=string, indices=int8, ordered=0>");
    expect(got.categorical).toBe("category");
    expect(got.rows).toEqual([
      {
        地区: "杭州市",
        数值: "１２３",
        vintage: "2025-01-20T00:00:00.000Z",
        source_line: 2,
        source_row: null,
        source_offset: null,
        source_sheet: null,
        source_column: null,
      },
      {
        地区: null,
        数值: "—",
        vintage: "2025-01-20T00:00:00.000Z",
        source_line: 4,
        source_row: null,
        source_offset: null,
        source_sheet: null,
        source_column: null,
      },
    ]);
    const wide = new RawBatchBuilder({
      feed: "stats",
      uri: "u.csv",
      checksum: "ab".repeat(32),
      receivedAt: "t0",
      seq: 2,
    });
    for (let i = 0; i < 300; i++) wide.add({ line: i + 2 }, { 地区: `区${i}` }, "2025-01-20T00:00:00.000Z");
    const read = readWithPyarrow(encodeRawBatch(wide.build()));
    expect(read.types["地区"]).toBe("dictionary<values=string, indices=int16, ordered=0>");
    expect(read.rows.map((r) => r["地区"])).toEqual(Array.from({ length: 300 }, (_, i) => `区${i}`));
  }, 600_000);

  it("an observation batch: codes, values and positions", () => {
    const raw = new RawBatchBuilder({ feed: "f", uri: "u", checksum: "cd".repeat(32), receivedAt: "t0", seq: 0 });
    raw.add({ sheet: "2024年", row: 5 }, {}, "v");
    const b = new ObservationBatchBuilder({
      feed: "f",
      uri: "u.xlsx",
      checksum: "cd".repeat(32),
      seq: 0,
      ingestedAt: "t1",
    });
    b.add(
      "gdp",
      "330100",
      "2024",
      "亿元",
      18753.1,
      "2025-01-20T00:00:00.000Z",
      raw.build().position,
      0,
      "地区生产总值",
    );
    const got = readWithPyarrow(encodeObservationBatch(b.build()));
    expect(got.metadata["gongfu.batch"]).toBe("observations/v1");
    expect(got.rows).toEqual([
      {
        indicator_code: "gdp",
        region_code: "330100",
        period: "2024",
        unit: "亿元",
        value: 18753.1,
        vintage: "2025-01-20T00:00:00.000Z",
        source_line: null,
        source_row: 5,
        source_offset: null,
        source_sheet: "2024年",
        source_column: "地区生产总值",
      },
    ]);
  }, 600_000);
});
