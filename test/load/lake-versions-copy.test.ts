import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { tempPathFor } from "../../load/atomic-file.ts";
import { currentVersion, publishLakeVersion } from "../../load/lake-versions.ts";
import { tempDir } from "./fixtures.ts";

// A filesystem without hard links (exFAT, some network shares): link(2) fails with EPERM.
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  return {
    ...fs,
    linkSync: () => {
      throw Object.assign(new Error("EPERM: operation not permitted, link"), { code: "EPERM" });
    },
  };
});

describe("lake file versions without hard links", () => {
  it("copy the version to the plain name, so both names still hold the newest version", () => {
    const file = join(tempDir("lake-versions-copy"), "t.parquet");
    for (const text of ["first", "second"]) {
      const temp = tempPathFor(file);
      writeFileSync(temp, text);
      publishLakeVersion(temp, file, 1);
    }
    const version = currentVersion(file)!;
    expect(version.endsWith("000000000002.parquet")).toBe(true);
    expect(statSync(file).ino).not.toBe(statSync(version).ino);
    expect([readFileSync(file, "utf8"), readFileSync(version, "utf8")]).toEqual(["second", "second"]);
  });
});
