import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dropSamples } from "../../cli/samples.ts";
import { listDropFiles, settleRemainingMs } from "../../ingest/connectors/drop-folder.ts";
import { runCli } from "../helpers/cli.ts";

const base = mkdtempSync(join(tmpdir(), "gongfu-samples-drop-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const filesUnder = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

describe("the sample feeds dropped by gongfu run --samples", () => {
  it("are ready to read at once, whatever their timestamps and the settle time", () => {
    // In a fresh clone the samples' timestamps are minutes old: without a marker the first run waited out
    // ingest.settleSeconds (60 s by default) before it read a file.
    const drop = join(base, "drop");
    const { copied } = dropSamples(drop);
    expect(copied).toBeGreaterThan(5);
    const files = listDropFiles(drop, {
      kind: "file-drop",
      path: ".",
      pattern: "*",
      recursive: true,
      readyMarker: "optional",
    });
    expect(files.length).toBe(copied);
    const now = Date.now();
    expect(files.filter((f) => settleRemainingMs(f, 10 ** 12, now) > 0).map((f) => f.uri)).toEqual([]);
  });

  it("leave no marker behind once a run has read them", async () => {
    const data = join(base, "data");
    expect((await runCli(["run", "--samples", "--data", data])).code).toBe(0);
    const left = filesUnder(join(data, "inbox")).filter((f) => !f.includes("/processed/"));
    expect(left).toEqual([]);
  });
});
