import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openWarehouse, type Warehouse } from "../../../load/index.ts";
import { appendRecords } from "../../../load/records/append-records.ts";
import { ensureRecordTable, recordTable } from "../../../load/records/record-table.ts";
import { fixedTextRows, parseRecordFeedSpec, type RecordBatch } from "../../../schemas/index.ts";
import { entitySpecYaml } from "./record-scenario.ts";

// The registry spec of the record tests (entity_id, county_code, registered_on, cancelled_on) with more columns.
const SPEC = parseRecordFeedSpec(
  entitySpecYaml("test-append", "测试 Test", [
    "owner_id: { type: string, personal: identifier, optional: true }",
    "kind: { type: string, optional: true }",
    "note: { type: string, optional: true }",
    "capital: { type: number, optional: true }",
  ]),
  "test-append.yaml",
);

const COUNTIES = ["330102", "330105", "330106"];
const KINDS = ["企业", "个体工商户", "农民专业合作社"];
const DAY = 86_400_000;

/**
 * A batch over several data chunks whose columns take every way to the stage: a text of distinct values (the
 * identifier), pseudonyms held as one string with nulls, texts that repeat with and without nulls (codes), a text
 * that starts repeating and then does not (coded until its dictionary grows too large), columns the batch lacks,
 * and numbers with missing values.
 */
function batch(rows: number): RecordBatch {
  const text = (f: (i: number) => string | null) => ({
    kind: "text" as const,
    values: Array.from({ length: rows }, (_, i) => f(i)),
  });
  return {
    kind: "records",
    feed: SPEC.id,
    uri: "file:///test/append.csv",
    checksum: "c".repeat(64),
    seq: 0,
    receivedAt: "2024-03-02T00:00:00.000Z",
    vintage: "2024-03-01T00:00:00.000Z",
    rows,
    last: true,
    lines: Int32Array.from({ length: rows }, (_, i) => i + 2),
    columns: {
      entity_id: text((i) => `p_${i.toString(16).padStart(32, "0")}`),
      // Pseudonyms as ingest hands them on: one string for the batch, blanks where a row has none.
      owner_id: {
        kind: "fixed",
        width: 34,
        text: Array.from({ length: rows }, (_, i) =>
          i % 11 === 0 ? " ".repeat(34) : `p_${(i * 7).toString(16).padStart(32, "0")}`,
        ).join(""),
        nulls: Uint8Array.from({ length: rows }, (_, i) => (i % 11 === 0 ? 1 : 0)),
      },
      county_code: text((i) => COUNTIES[i % 3]!),
      kind: text((i) => (i % 7 === 0 ? null : KINDS[i % 3]!)),
      registered_on: text((i) =>
        i < rows / 2 ? "2020-01-01" : new Date(Date.UTC(2010, 0, 1) + i * DAY).toISOString().slice(0, 10),
      ),
      capital: {
        kind: "number",
        values: Float64Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? Number.NaN : i * 1.5)),
      },
    },
  };
}

describe("appending a record batch", () => {
  let dir: string | undefined;
  let warehouse: Warehouse | undefined;
  afterEach(() => {
    warehouse?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("stores every value as given, whichever way its column reaches the stage", async () => {
    dir = mkdtempSync(join(tmpdir(), "gongfu-append-"));
    warehouse = await openWarehouse(join(dir, "w.duckdb"));
    const c = warehouse.connection;
    await ensureRecordTable(c, SPEC);
    const given = batch(5000);
    // A second batch with a different dictionary for the same columns: codes are the batch's own.
    const second: RecordBatch = {
      ...given,
      seq: 1,
      rows: 3,
      lines: Int32Array.from([9001, 9002, 9003]),
      columns: {
        entity_id: { kind: "text", values: ["p_a", "p_b", "p_c"] },
        owner_id: { kind: "fixed", width: 3, text: "p_xp_yp_z" },
        county_code: { kind: "text", values: ["330106", "330106", "330102"] },
        kind: { kind: "text", values: [null, "农民专业合作社", "农民专业合作社"] },
        registered_on: { kind: "text", values: ["2024-02-29", "2024-02-29", "2024-02-29"] },
        capital: { kind: "number", values: Float64Array.from([Number.NaN, 2, 3]) },
      },
    };
    await appendRecords(c, SPEC, given, 1);
    await appendRecords(c, SPEC, second, 2);
    const rows = (
      await c.runAndReadAll(
        `SELECT entity_id, owner_id, county_code, kind, note, CAST(registered_on AS VARCHAR), cancelled_on, capital,
           _region, _period, _line, _snapshot
         FROM ${recordTable(SPEC.id)} ORDER BY _line`,
      )
    ).getRows();
    const expected = [given, second].flatMap((b, s) =>
      Array.from({ length: b.rows }, (_, i) => {
        const v = (name: string) => {
          const col = b.columns[name]!;
          if (col.kind === "fixed") return fixedTextRows(col)[i];
          return col.kind === "text" ? col.values[i] : Number.isNaN(col.values[i]!) ? null : col.values[i];
        };
        return [
          v("entity_id"),
          v("owner_id"),
          v("county_code"),
          v("kind"),
          null,
          v("registered_on"),
          null,
          v("capital"),
          v("county_code"),
          String(v("registered_on")).slice(0, 4),
          b.lines[i],
          BigInt(s + 1),
        ];
      }),
    );
    expect(rows).toEqual(expected);
  });
});
