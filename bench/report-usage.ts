// Preloaded into a benchmarked process (node --import): writes its peak RSS and CPU time to GONGFU_BENCH_USAGE on exit.
import { writeFileSync } from "node:fs";

const target = process.env["GONGFU_BENCH_USAGE"];
if (target) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    writeFileSync(
      target,
      JSON.stringify({ maxRssMb: usage.maxRSS / 1024, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }),
    );
  });
}
