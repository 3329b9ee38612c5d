import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { syncCatalog } from "../../load/index.ts";
import { defaultCatalog } from "../../schemas/index.ts";
import { REPO } from "../helpers/cli.ts";
import { rows, scratchWarehouse } from "./fixtures.ts";

const doc = readFileSync(`${REPO}docs/WAREHOUSE.md`, "utf8");
const BOOKKEEPING = ["_kafka_offsets", "_lake_dirty", "_schema_migrations", "_source_lines"];

describe("docs/WAREHOUSE.md", () => {
  it("lists every column of every warehouse table with the comment the warehouse carries", async () => {
    const db = await scratchWarehouse();
    try {
      await syncCatalog(db.connection, defaultCatalog());
      const columns = await rows(
        db.connection,
        "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE schema_name = 'main' " +
          "AND NOT internal AND table_name IN (SELECT table_name FROM duckdb_tables() WHERE " +
          "schema_name = 'main') ORDER BY ALL",
      );
      expect(columns.length).toBeGreaterThan(60);
      for (const c of columns) {
        const name = BOOKKEEPING.includes(String(c["table_name"]))
          ? `${c["table_name"]}.${c["column_name"]}`
          : String(c["column_name"]);
        const row = new RegExp(
          `^\\| ${name.replace(".", "\\.")} \\|[^\\n]*\\| ${String(c["comment"]).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\|$`,
          "m",
        );
        expect(doc, `${c["table_name"]}.${c["column_name"]}`).toMatch(row);
      }
      const objects = await rows(
        db.connection,
        "SELECT table_name AS name FROM duckdb_tables() WHERE schema_name = 'main' UNION SELECT " +
          "view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal",
      );
      for (const o of objects) expect(doc).toContain(`\`${o["name"]}\``);
    } finally {
      db.close();
    }
  });
});
