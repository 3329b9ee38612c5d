import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../../runtime/errors.ts";
import { csv, households, recordRig, type RecordRig } from "./record-scenario.ts";

let rig: RecordRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe("the pseudonymisation key at ingest", () => {
  it("is not needed while no file of a feed with identifiers waits", async () => {
    rig = await recordRig([]);
    expect(await rig.ingest({})).toEqual([
      {
        feed: "test-households",
        files: 0,
        duplicates: 0,
        records: 0,
        rejected: 0,
        batches: 0,
        refusedFiles: 0,
        pending: 0,
      },
    ]);
  });

  it("stops ingest before a waiting file is read, saying what to set, and leaves the file for the next run", async () => {
    rig = await recordRig([]);
    rig.drop("a.csv", csv(households([2024])));
    await expect(rig.ingest({})).rejects.toThrow(ConfigError);
    await expect(rig.ingest({})).rejects.toThrow(/GONGFU_PSEUDONYM_KEY/);
    const [stats] = await rig.ingest();
    expect(stats).toMatchObject({ files: 1, records: 159 });
  });
});
