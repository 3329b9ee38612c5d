import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { keyAsText } from "../../load/lake-layout.ts";

describe("keyAsText", () => {
  it("writes every 128-bit key as its 32 hex digits, leading zeros and all, and NULL as NULL", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      const keys = [
        "0",
        "1",
        "15",
        "16",
        (2n ** 124n - 1n).toString(), // the largest key whose first digit is 0
        (2n ** 124n).toString(),
        (2n ** 128n - 1n).toString(),
      ];
      const reader = await connection.runAndReadAll(
        `SELECT ${keyAsText("k")} AS text FROM (SELECT unnest([${keys.map((k) => `${k}::UHUGEINT`).join(", ")}, NULL]) AS k)`,
      );
      const expected = keys.map((k) => BigInt(k).toString(16).toUpperCase().padStart(32, "0"));
      expect(reader.getRowObjectsJS().map((r) => r["text"])).toEqual([...expected, null]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it("gives the same text as padding every key, over many md5 keys", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(
        `SELECT count(*) FILTER (WHERE ${keyAsText("k")} IS DISTINCT FROM lpad(hex(k), 32, '0')) AS differ,
           count(*) FILTER (WHERE strlen(hex(k)) < 32) AS short
         FROM (SELECT md5_number(i::VARCHAR) AS k FROM range(20000) r(i))`,
      );
      const [row] = reader.getRowObjectsJS();
      expect(row?.["differ"]).toBe(0n);
      // About one key in sixteen has a leading zero digit: the padded branch is exercised too.
      expect(Number(row?.["short"])).toBeGreaterThan(500);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
