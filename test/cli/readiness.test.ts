import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { folderCheck, warehouseCheck } from "../../cli/readiness.ts";

describe("readiness checks", () => {
  it("fails the warehouse check once the warehouse file is gone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gongfu-ready-"));
    const file = join(dir, "gongfu.duckdb");
    writeFileSync(file, "");
    const check = warehouseCheck(file);
    expect(check.name).toBe("warehouse");
    await expect(check.check()).resolves.toBeUndefined();
    rmSync(file);
    await expect(check.check()).rejects.toThrow(/ENOENT/);
  });

  it("fails a folder check for a folder that does not exist", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gongfu-ready-"));
    await expect(folderCheck("inbox", dir).check()).resolves.toBeUndefined();
    await expect(folderCheck("inbox", join(dir, "missing")).check()).rejects.toThrow(/ENOENT/);
  });
});
