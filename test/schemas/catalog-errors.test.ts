import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CATALOG_DIR, CatalogError, loadCatalog } from "../../schemas/catalog.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of the shipped catalog with one file rewritten by `edit`. */
function catalogWith(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "catalog-"));
  dirs.push(dir);
  for (const name of ["indicators.csv", "dimensions.csv", "regions.csv"])
    copyFileSync(join(CATALOG_DIR, name), join(dir, name));
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), "utf8")));
  return dir;
}

function errorOf(dir: string): CatalogError {
  try {
    loadCatalog(dir);
  } catch (err) {
    if (err instanceof CatalogError) return err;
    throw err;
  }
  throw new Error("expected the catalog to be rejected");
}

describe("loadCatalog on a broken catalog", () => {
  it("names file, line and column of a non-numeric target value", () => {
    const err = errorOf(
      catalogWith("indicators.csv", (t) => t.replace("D2,万户,higher,>=,1100", "D2,万户,higher,>=,lots")),
    );
    expect([err.file, err.line, err.field]).toEqual(["indicators.csv", 2, "target_value"]);
    expect(err.message).toMatch(/^indicators\.csv:2 \(target_value\): /);
  });

  it("rejects a target with a comparison but no value", () => {
    const err = errorOf(
      catalogWith("indicators.csv", (t) => t.replace("D2,万户,higher,>=,1100", "D2,万户,higher,>=,")),
    );
    expect([err.line, err.field]).toEqual([2, "target_value"]);
  });

  it("rejects an unknown dimension", () => {
    const err = errorOf(
      catalogWith("indicators.csv", (t) =>
        t.replace(
          "market_entities,市场主体总量,Registered market entities,D2",
          "market_entities,市场主体总量,Registered market entities,D9",
        ),
      ),
    );
    expect([err.line, err.field]).toEqual([2, "dimension"]);
  });

  it("rejects a unit that is not a registry code", () => {
    const err = errorOf(
      catalogWith("indicators.csv", (t) => t.replace("D2,万户,higher,>=,1100", "D2,million households,higher,>=,1100")),
    );
    expect([err.line, err.field]).toEqual([2, "unit"]);
  });

  it("rejects a duplicate indicator code", () => {
    const err = errorOf(
      catalogWith("indicators.csv", (t) => t.replace("hightech_value_added_annual_increase,", "market_entities,")),
    );
    expect([err.line, err.field]).toEqual([3, "code"]);
  });

  it("rejects a missing column", () => {
    const err = errorOf(catalogWith("indicators.csv", (t) => t.replace(",frequency,", ",freq,")));
    expect([err.line, err.field]).toEqual([1, "frequency"]);
  });

  it("rejects a row with the wrong number of fields", () => {
    const err = errorOf(catalogWith("dimensions.csv", (t) => `${t}D8,x\n`));
    expect(err.file).toBe("dimensions.csv");
    expect(err.field).toBeNull();
    expect(err.line).toBe(9);
  });

  it("rejects a region whose parent does not exist", () => {
    const err = errorOf(
      catalogWith("regions.csv", (t) =>
        t.replace("330102,上城区,上城,Shangcheng,county,330100", "330102,上城区,上城,Shangcheng,county,339900"),
      ),
    );
    expect([err.file, err.field]).toEqual(["regions.csv", "parent_code"]);
  });

  it("rejects a flag that is not 0 or 1", () => {
    const err = errorOf(
      catalogWith("regions.csv", (t) =>
        t.replace(
          "330127,淳安县,淳安,Chun'an,county,330100,county,1,1",
          "330127,淳安县,淳安,Chun'an,county,330100,county,yes,1",
        ),
      ),
    );
    expect(err.field).toBe("mountain26_2021");
  });

  it("reports an unreadable directory as a CatalogError", () => {
    expect(() => loadCatalog(join(tmpdir(), "no-such-catalog-dir"))).toThrow(CatalogError);
  });
});
