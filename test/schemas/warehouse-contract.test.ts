import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ensureEvalTables } from "../../evaluate/index.ts";
import { syncCatalog } from "../../load/index.ts";
import { defaultCatalog, WAREHOUSE_OBJECT_LIST } from "../../schemas/index.ts";
import { REPO } from "../helpers/cli.ts";
import { rows, scratchWarehouse } from "../load/fixtures.ts";

/** Every table, view and table macro of the warehouse file, as `name kind`. */
const CATALOG = `
SELECT table_name AS name, 'table' AS kind FROM duckdb_tables()
  WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
UNION ALL SELECT view_name, 'view' FROM duckdb_views()
  WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
UNION ALL SELECT DISTINCT function_name, 'table macro' FROM duckdb_functions()
  WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal AND function_type = 'table_macro'`;

/** The rows of docs/WAREHOUSE.md's "The contract" table, as `name kind made-by`. */
function documented(): string[] {
  const doc = readFileSync(`${REPO}docs/WAREHOUSE.md`, "utf8");
  const section = doc.split(/^## /m).find((s) => s.startsWith("The contract\n"));
  expect(section, "docs/WAREHOUSE.md has a section '## The contract'").toBeDefined();
  return [...(section ?? "").matchAll(/^\| `([^`]+)` \| ([^|]+) \| ([^|]+) \|$/gm)].map(
    ([, name, kind, madeBy]) => `${name} ${kind!.trim()} ${madeBy!.trim()}`,
  );
}

const sorted = (xs: Iterable<string>) => [...xs].sort();

describe("the warehouse contract (schemas/warehouse-contract.ts)", () => {
  it("names exactly the objects a migrated warehouse holds once the catalog is synced and an evaluation set up", async () => {
    const db = await scratchWarehouse();
    try {
      await syncCatalog(db.connection, defaultCatalog());
      await ensureEvalTables(db.connection);
      const catalog = (await rows(db.connection, CATALOG)).map((r) => `${r["name"]} ${r["kind"]}`);
      expect(sorted(WAREHOUSE_OBJECT_LIST.map((o) => `${o.name} ${o.kind}`))).toEqual(sorted(catalog));
    } finally {
      db.close();
    }
  });

  it("lists the same objects, kinds and makers as docs/WAREHOUSE.md", () => {
    expect(sorted(documented())).toEqual(sorted(WAREHOUSE_OBJECT_LIST.map((o) => `${o.name} ${o.kind} ${o.madeBy}`)));
  });

  it("names each object once", () => {
    const names = WAREHOUSE_OBJECT_LIST.map((o) => o.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
