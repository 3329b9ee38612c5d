import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { runMeasured } from "../../bench/run-child.ts";

const usageFolders = () => readdirSync(tmpdir()).filter((f) => f.startsWith("gongfu-bench-"));

describe("runMeasured", () => {
  it("reports a child's peak RSS and CPU, and leaves no folder behind, whether the child succeeds or fails", async () => {
    const before = usageFolders();
    const measured = await runMeasured(["-e", "let s = 0; for (let i = 0; i < 1e6; i++) s += i;"], { rows: 1 });
    expect(measured.maxRssMb).toBeGreaterThan(0);
    expect(measured.cpuMs).toBeGreaterThan(0);
    await expect(runMeasured(["-e", "process.exit(3)"])).rejects.toThrow("exited 3");
    expect(usageFolders()).toEqual(before);
  });
});
