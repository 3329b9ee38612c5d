import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfigWithOrigin } from "../../runtime/config.ts";

function configFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "gongfu-config-")), "gongfu.config.yaml");
  writeFileSync(file, text);
  return file;
}

const cwd = () => mkdtempSync(join(tmpdir(), "gongfu-config-"));

describe("renamed settings", () => {
  it("reads load.maxBatch from a file as load.mergeRows, and reports the old name", () => {
    const loaded = loadConfigWithOrigin({ file: configFile("load:\n  maxBatch: 500\n"), env: {} });
    expect(loaded.config.load.mergeRows).toBe(500);
    expect(loaded.deprecations).toEqual([{ old: "load.maxBatch", now: "load.mergeRows", ignored: false }]);
  });

  it("prefers load.mergeRows when a file sets both, and says the old one was ignored", () => {
    const loaded = loadConfigWithOrigin({ file: configFile("load:\n  maxBatch: 500\n  mergeRows: 600\n"), env: {} });
    expect(loaded.config.load.mergeRows).toBe(600);
    expect(loaded.deprecations).toEqual([{ old: "load.maxBatch", now: "load.mergeRows", ignored: true }]);
  });

  it("reads GONGFU_LOAD_MAX_BATCH as GONGFU_LOAD_MERGE_ROWS, which wins when both are set", () => {
    const old = loadConfigWithOrigin({ env: { GONGFU_LOAD_MAX_BATCH: "77" }, cwd: cwd() });
    expect(old.config.load.mergeRows).toBe(77);
    expect(old.deprecations).toEqual([{ old: "GONGFU_LOAD_MAX_BATCH", now: "GONGFU_LOAD_MERGE_ROWS", ignored: false }]);
    const both = loadConfigWithOrigin({
      env: { GONGFU_LOAD_MAX_BATCH: "77", GONGFU_LOAD_MERGE_ROWS: "88" },
      cwd: cwd(),
    });
    expect(both.config.load.mergeRows).toBe(88);
    expect(both.deprecations).toEqual([{ old: "GONGFU_LOAD_MAX_BATCH", now: "GONGFU_LOAD_MERGE_ROWS", ignored: true }]);
  });

  it("reports a bad value under the name the file gives it, at its line", () => {
    const file = configFile("dataDir: data\nload:\n  maxBatch: 0\n");
    expect(() => loadConfigWithOrigin({ file, env: {} })).toThrow(`${file}:3: load.maxBatch:`);
  });

  it("warns about nothing when only the new names are used", () => {
    const loaded = loadConfigWithOrigin({ file: configFile("load:\n  mergeRows: 5\n"), env: {} });
    expect(loaded.deprecations).toEqual([]);
  });
});
