import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { topicNames } from "../../../schemas/index.ts";
import { createLogger } from "../../../runtime/logger.ts";
import { csv, households, recordRig, SPEC_YAML, type RecordRig } from "./record-scenario.ts";

let rig: RecordRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe("record feed limits", () => {
  it("refuses a file over limits.maxFileBytes whole: a dead letter, failed/ with the reason, nothing loaded", async () => {
    rig = await recordRig([], createLogger({ level: "silent" }), `${SPEC_YAML}limits: { maxFileBytes: 1000 }\n`);
    const dead: unknown[] = [];
    const publish = rig.bus.publish.bind(rig.bus);
    rig.bus.publish = async (topic, records) => {
      if (topic === topicNames("test").dlqIngest) dead.push(...records.map((r) => r.value));
      await publish(topic, records);
    };
    rig.drop("big.csv", csv(households([2024])));
    const [stats] = await rig.ingest();
    expect(stats).toMatchObject({ files: 0, refusedFiles: 1, records: 0 });
    expect(dead).toMatchObject([{ stage: "ingest", payload: null, reasons: [{ code: "file_too_large" }] }]);
    const failed = join(rig.dropDir, "test-households", "failed");
    expect(existsSync(failed) && readdirSync(failed).some((f) => f.endsWith("big.csv.reason.txt"))).toBe(true);
  });
});
